"""PubMed MEDLINE (.nbib) reference lists: every field, continuation lines, full names and identifiers."""

from dataclasses import replace
from pathlib import Path

import pytest
from Bio import Medline
from django.conf import settings

from references.people import Name
from references.refparse.formats import detect_format, parse_structured
from references.refparse.records import ParsedReference, Problem
from references.worktypes import BOOK, BOOK_CHAPTER, CLINICAL_TRIAL, REVIEW
from tests.refparse.expected import PIETERS_2007

SAMPLES = sorted((Path(settings.SHARED_DIR) / "samples" / "medline").iterdir())

INTERFANT_NBIB = """\
PMID- 17658395
OWN - NLM
STAT- MEDLINE
IS  - 1474-547X (Electronic)
IS  - 0140-6736 (Linking)
VI  - 370
IP  - 9583
DP  - 2007 Jul 21
TI  - A treatment protocol for infants younger than 1 year with acute lymphoblastic
      leukaemia (Interfant-99): an observational study and a multicentre randomised
      trial.
PG  - 240-50
LID - 10.1016/S0140-6736(07)61126-X [doi]
FAU - Pieters, Rob
AU  - Pieters R
AD  - Erasmus MC-Sophia Children's Hospital, Rotterdam,
      Netherlands.
FAU - Schrappe, Martin
AU  - Schrappe M
FAU - De Lorenzo, Paola
AU  - De Lorenzo P
LA  - eng
PT  - Journal Article
PT  - Multicenter Study
PT  - Randomized Controlled Trial
PL  - England
TA  - Lancet
JT  - Lancet (London, England)
JID - 2985213R
AID - S0140-6736(07)61126-X [pii]
AID - 10.1016/S0140-6736(07)61126-X [doi]
PST - ppublish
SO  - Lancet. 2007 Jul 21;370(9583):240-50. doi: 10.1016/S0140-6736(07)61126-X.

PMID- 20592248
OWN - NLM
VI  - 116
IP  - 15
DP  - 2010 Oct 14
TI  - Improved outcome with hematopoietic stem cell transplantation in a poor
      prognostic subgroup of infants with mixed-lineage-leukemia (MLL)-rearranged
      acute lymphoblastic leukemia: results from the Interfant-99 Study.
PG  - 2644-50
FAU - Mann, Georg
AU  - Mann G
FAU - Attarbaschi, Andishe
AU  - Attarbaschi A
CN  - Interfant-99 Study Group
LA  - eng
PT  - Journal Article
TA  - Blood
JT  - Blood
AID - 10.1182/blood-2010-03-273532 [doi]

PMID- 25523971
OWN - NLM
VI  - 19
IP  - 49
DP  - 2014 Dec 11
TI  - Clinical severity of human infections with avian influenza A(H7N9) virus,
      winter 2013/14.
PG  - 20984
LID - 20984
AU  - Feng L
AU  - Wu JT
AU  - Liu X
TA  - Euro Surveill
JT  - Euro surveillance : bulletin Europeen sur les maladies transmissibles = European
      communicable disease bulletin
PMC - PMC4454636
AID - 10.2807/1560-7917.es2014.19.49.20984 [doi]
"""


def parse(text: str):
    return parse_structured(text, "medline")


def test_reads_every_field_of_a_journal_article():
    parsed = parse(INTERFANT_NBIB)
    assert parsed.format == "medline"
    assert parsed.problems == []
    # A randomised trial is a clinical trial; the record's affiliation, ISSNs, date and types are kept.
    assert parsed.references[0] == replace(
        PIETERS_2007,
        line=1,
        pmid="17658395",
        authors=[
            Name(
                "Pieters", "Rob", affiliation="Erasmus MC-Sophia Children's Hospital, Rotterdam, Netherlands."
            ),
            Name("Schrappe", "Martin"),
            Name("De Lorenzo", "Paola"),
        ],
        work_type=CLINICAL_TRIAL,
        journal_abbrev="Lancet",
        issns=["1474-547X", "0140-6736"],
        date="2007-07-21",
        language="eng",
        publication_types=["Journal Article", "Multicenter Study", "Randomized Controlled Trial"],
    )


def test_keeps_a_group_author_in_its_place():
    assert parse(INTERFANT_NBIB).references[1] == ParsedReference(
        raw="Mann G, Attarbaschi A, Interfant-99 Study Group. Improved outcome with hematopoietic stem cell "
        "transplantation in a poor prognostic subgroup of infants with mixed-lineage-leukemia "
        "(MLL)-rearranged acute lymphoblastic leukemia: results from the Interfant-99 Study. "
        "Blood. 2010;116(15):2644-2650. doi:10.1182/blood-2010-03-273532",
        line=35,
        authors=[
            Name("Mann", "Georg"),
            Name("Attarbaschi", "Andishe"),
            Name("Interfant-99 Study Group", collective=True),
        ],
        title="Improved outcome with hematopoietic stem cell transplantation in a poor prognostic subgroup of "
        "infants with mixed-lineage-leukemia (MLL)-rearranged acute lymphoblastic leukemia: results from "
        "the Interfant-99 Study",
        container_title="Blood",
        year=2010,
        volume="116",
        issue="15",
        page_first="2644",
        page_last="2650",
        doi="10.1182/blood-2010-03-273532",
        pmid="20592248",
        journal_abbrev="Blood",
        date="2010-10-14",
        language="eng",
        publication_types=["Journal Article"],
    )


def test_short_names_a_single_page_and_a_pmcid_without_fau():
    assert parse(INTERFANT_NBIB).references[2] == ParsedReference(
        raw="Feng L, Wu JT, Liu X. Clinical severity of human infections with avian influenza A(H7N9) virus, "
        "winter 2013/14. Euro Surveill. 2014;19(49):20984. doi:10.2807/1560-7917.es2014.19.49.20984",
        line=55,
        authors=[Name("Feng", "L."), Name("Wu", "J.T."), Name("Liu", "X.")],
        title="Clinical severity of human infections with avian influenza A(H7N9) virus, winter 2013/14",
        container_title="Euro Surveill",
        year=2014,
        volume="19",
        issue="49",
        page_first="20984",
        doi="10.2807/1560-7917.es2014.19.49.20984",
        pmid="25523971",
        pmcid="PMC4454636",
        journal_abbrev="Euro Surveill",
        date="2014-12-11",
    )


def test_an_elocator_from_pg_or_lid():
    from_pg = "TI  - Methylphenidate exposure.\nPG  - e33693\nTA  - PLoS One\n"
    from_lid = "TI  - Methylphenidate exposure.\nLID - e33693\nLID - 10.1371/journal.pone.0033693 [doi]\n"
    for text in (from_pg, from_lid):
        ref = parse(text).references[0]
        assert (ref.elocator, ref.page_first, ref.pages) == ("e33693", "", "e33693")


def test_a_book_and_a_chapter_from_pubmed_bookshelf():
    text = """BTI - Cancer Cytogenetics
FED - Heim, Sverre
DP  - 1987
PB  - Alan R. Liss
PL  - New York

TI  - Chromosome banding.
BTI - Cancer Cytogenetics
FED - Heim, Sverre
ED  - Heim S
FED - Mitelman, Felix
ED  - Mitelman F
DP  - 1987
PB  - Alan R. Liss
PL  - New York
"""
    book, chapter = parse(text).references
    assert (book.work_type, book.title, book.container_title, book.editors) == (
        BOOK,
        "Cancer Cytogenetics",
        "",
        [Name("Heim", "Sverre")],
    )
    assert (book.publisher, book.location, book.year) == ("Alan R. Liss", "New York", 1987)
    assert (chapter.work_type, chapter.title, chapter.container_title, chapter.line) == (
        BOOK_CHAPTER,
        "Chromosome banding",
        "Cancer Cytogenetics",
        7,
    )
    assert chapter.editors == [Name("Heim", "Sverre"), Name("Mitelman", "Felix")]
    assert chapter.raw == (
        "Chromosome banding. In: Heim S, Mitelman F, editors. Cancer Cytogenetics. "
        "New York: Alan R. Liss; 1987."
    )


def test_records_without_blank_lines_between_them_split_at_pmid():
    text = INTERFANT_NBIB.replace("\n\nPMID-", "\nPMID-")
    assert [ref.pmid for ref in parse(text).references] == ["17658395", "20592248", "25523971"]


def test_a_record_without_a_title_is_kept_with_a_problem():
    ref = parse("\n\nPMID- 17658395\nTA  - Lancet\nDP  - 2007\n").references[0]
    assert ref.line == 3
    assert ref.problems == [Problem("entry has no title", line=3, entry="PMID 17658395")]


def test_crlf_line_ends():
    ref = parse(INTERFANT_NBIB.replace("\n", "\r\n")).references[0]
    assert ref.title.endswith("randomised trial")
    assert ref.doi == "10.1016/s0140-6736(07)61126-x"


def test_reads_what_a_record_carries_beyond_the_reference():
    text = """PMID- 30000001
TI  - Blinatumomab in infant ALL.
AB  - BACKGROUND: Infants do badly. METHODS: We gave
      blinatumomab. RESULTS: Most responded.
FAU - Van der Sluis, Inge M
AU  - van der Sluis IM
AUID- ORCID: https://orcid.org/0000-0002-1825-0097
AD  - Princess Maxima Center, Utrecht, the Netherlands.
AD  - Erasmus MC, Rotterdam.
FAU - Pieters, Rob
AU  - Pieters R
CN  - Interfant Study Group
LA  - eng
PT  - Journal Article
PT  - Review
OT  - infant
OT  - blinatumomab
MH  - Humans
MH  - *Infant
MH  - Precursor Cell Lymphoblastic Leukemia-Lymphoma/*drug therapy
DP  - 2023 Feb
TA  - Blood
JT  - Blood
IS  - 0006-4971 (Print)
IS  - 1528-0020 (Electronic)
ISBN- 978-3-86680-192-9
"""
    ref = parse(text).references[0]
    assert (
        ref.abstract
        == "BACKGROUND: Infants do badly. METHODS: We gave blinatumomab. RESULTS: Most responded."
    )
    assert ref.authors == [
        Name(
            "Van der Sluis",
            "Inge M",
            orcid="0000-0002-1825-0097",
            affiliation="Princess Maxima Center, Utrecht, the Netherlands.",
        ),
        Name("Pieters", "Rob"),
        Name("Interfant Study Group", collective=True),
    ]
    assert (ref.work_type, ref.date, ref.language, ref.journal_abbrev) == (REVIEW, "2023-02", "eng", "Blood")
    assert ref.keywords == ["infant", "blinatumomab"]
    assert ref.mesh == ["Humans", "*Infant", "Precursor Cell Lymphoblastic Leukemia-Lymphoma/*drug therapy"]
    assert (ref.issns, ref.isbns) == (["0006-4971", "1528-0020"], ["978-3-86680-192-9"])


def test_an_affiliation_printed_ahead_of_the_names_goes_to_the_first_author():
    text = "PMID- 1\nTI  - Bio toolkits.\nAD  - tacg Informatics, Irvine, CA.\nFAU - Mangalam, Harry\nAU  - Mangalam H\n"
    assert parse(text).references[0].authors == [
        Name("Mangalam", "Harry", affiliation="tacg Informatics, Irvine, CA.")
    ]


def test_records_without_pmid_lines_from_other_tools():
    text = INTERFANT_NBIB.replace("PMID- 17658395\n", "").replace("PMID- 20592248\n", "")
    assert detect_format(text) == "medline"
    refs = parse(text).references
    assert [ref.pmid for ref in refs] == ["", "", "25523971"]
    assert refs[0].title.startswith("A treatment protocol") and refs[1].container_title == "Blood"


@pytest.mark.parametrize("path", SAMPLES, ids=lambda path: path.name)
def test_sample_files_agree_with_biopython(path):
    with path.open(encoding="utf-8") as handle:
        expected = list(Medline.parse(handle))
    parsed = parse(path.read_text(encoding="utf-8"))
    assert detect_format(path.read_text(encoding="utf-8")) == "medline"
    assert len(parsed.references) == len(expected)
    for ref, record in zip(parsed.references, expected, strict=True):
        assert ref.pmid == record.get("PMID", "")
        assert ref.title == record["TI"].rstrip(".")
        first = record.get("FAU", record.get("AU", [""]))[0]
        assert ref.authors[0].family == (first.split(",")[0] if "," in first else first.split(" ")[0])
        assert ref.year == int(record["DP"][:4])
        assert ref.container_title == record.get("TA", "")
        assert ref.volume == record.get("VI", "")
        assert ref.pages.split("-")[0] == record.get("PG", "").split("-")[0]
        assert bool(ref.abstract) == bool(record.get("AB"))
        assert ref.abstract == " ".join(record.get("AB", "").split())
        doi = next(
            (aid[:-6] for aid in [*record.get("AID", []), record.get("LID", "")] if aid.endswith(" [doi]")),
            "",
        )
        assert ref.doi == doi.lower()
        assert ref.mesh == record.get("MH", [])
        assert ref.publication_types == record.get("PT", [])
