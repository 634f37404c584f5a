"""RIS reference lists: every field, record types and records without an ER line."""

from dataclasses import replace
from pathlib import Path

import pytest
import rispy
from django.conf import settings

from references.people import Name
from references.refparse.formats import detect_format, parse_structured
from references.refparse.records import ParsedReference, Problem
from references.worktypes import (
    BOOK,
    BOOK_CHAPTER,
    CONFERENCE_ABSTRACT,
    JOURNAL_ARTICLE,
    OTHER,
    REPORT,
    REVIEW,
    WEB_PAGE,
)
from tests.refparse.expected import BREESE_2022, HEIM_1987, PIETERS_2007

SAMPLES = sorted((Path(settings.SHARED_DIR) / "samples" / "ris").iterdir())

INTERFANT_RIS = """\
TY  - JOUR
ID  - pieters2007
AU  - Pieters, Rob
AU  - Schrappe, Martin
AU  - De Lorenzo, Paola
TI  - A treatment protocol for infants younger than 1 year with acute lymphoblastic leukaemia (Interfant-99): an observational study and a multicentre randomised trial
JO  - Lancet
PY  - 2007/07/21/
VL  - 370
IS  - 9583
SP  - 240
EP  - 50
DO  - 10.1016/S0140-6736(07)61126-X
SN  - 0140-6736
ER  -

TY  - JOUR
A1  - Mann, Georg
A1  - Attarbaschi, Andishe
A1  - Schrappe, Martin
T1  - Improved outcome with hematopoietic stem cell transplantation in a poor prognostic subgroup of infants
      with mixed-lineage-leukemia (MLL)-rearranged acute lymphoblastic leukemia: results from the Interfant-99 Study
JF  - Blood
Y1  - 2010
VL  - 116
IS  - 15
SP  - 2644-2650
UR  - https://doi.org/10.1182/blood-2010-03-273532
ER  -

TY  - JOUR
AU  - Mejstříková, Ester
AU  - Hrusak, Ondrej
TI  - CD19-negative relapse of pediatric B-cell precursor acute lymphoblastic leukemia following blinatumomab treatment.
T2  - Blood Cancer J
PY  - 2017
VL  - 7
IS  - 12
SP  - 659
DO  - https://doi.org/10.1038/s41408-017-0023-x
ER  -

TY  - BOOK
AU  - Heim, Sverre
AU  - Mitelman, Felix
TI  - Cancer Cytogenetics
PB  - Alan R. Liss
CY  - New York
PY  - 1987
ER  -
"""


def parse(text: str):
    return parse_structured(text, "ris")


def test_reads_every_field_of_a_journal_article():
    parsed = parse(INTERFANT_RIS)
    assert parsed.format == "ris"
    assert parsed.problems == []
    assert parsed.references[0] == replace(
        PIETERS_2007, line=1, label="pieters2007", issns=["0140-6736"], date="2007-07-21"
    )


def test_reads_alternative_tags_a_wrapped_title_and_a_doi_url():
    assert parse(INTERFANT_RIS).references[1] == ParsedReference(
        raw="Mann G, Attarbaschi A, Schrappe M. Improved outcome with hematopoietic stem cell transplantation "
        "in a poor prognostic subgroup of infants with mixed-lineage-leukemia (MLL)-rearranged acute "
        "lymphoblastic leukemia: results from the Interfant-99 Study. Blood. 2010;116(15):2644-2650. "
        "doi:10.1182/blood-2010-03-273532",
        line=17,
        authors=[Name("Mann", "Georg"), Name("Attarbaschi", "Andishe"), Name("Schrappe", "Martin")],
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
        url="https://doi.org/10.1182/blood-2010-03-273532",
        date="2010",
    )


def test_reads_non_ascii_names_and_a_single_page():
    assert parse(INTERFANT_RIS).references[2] == ParsedReference(
        raw="Mejstříková E, Hrusak O. CD19-negative relapse of pediatric B-cell precursor acute lymphoblastic "
        "leukemia following blinatumomab treatment. Blood Cancer J. 2017;7(12):659. "
        "doi:10.1038/s41408-017-0023-x",
        line=31,
        authors=[Name("Mejstříková", "Ester"), Name("Hrusak", "Ondrej")],
        title="CD19-negative relapse of pediatric B-cell precursor acute lymphoblastic leukemia following "
        "blinatumomab treatment",
        container_title="Blood Cancer J",
        year=2017,
        volume="7",
        issue="12",
        page_first="659",
        doi="10.1038/s41408-017-0023-x",
        date="2017",
    )


def test_reads_a_book():
    assert parse(INTERFANT_RIS).references[3] == replace(HEIM_1987, line=43, date="1987")


def test_reads_a_chapter_with_editors_and_the_book_title_from_t2():
    chapter = """TY  - CHAP
AU  - Breese, E.H.
AU  - Kotecha, R.S.
AU  - Guest, E.M.
A2  - Litzow, M.R.
A2  - Raetz, E.A.
TI  - Acute Lymphoblastic Leukemia in Infants: A Distinctive, High-Risk Subtype of Childhood Acute Lymphoblastic Leukemia
T2  - Clinical Management of Acute Lymphoblastic Leukemia
PB  - Springer
CY  - Cham
PY  - 2022
DO  - 10.1007/978-3-030-85147-7_6
ER  - """
    assert parse(chapter).references == [
        replace(
            BREESE_2022,
            authors=[Name("Breese", "E.H."), Name("Kotecha", "R.S."), Name("Guest", "E.M.")],
            editors=[Name("Litzow", "M.R."), Name("Raetz", "E.A.")],
            date="2022",
        )
    ]


@pytest.mark.parametrize(
    ("ris_type", "work_type"),
    [
        ("JOUR", JOURNAL_ARTICLE),
        ("BOOK", BOOK),
        ("CHAP", BOOK_CHAPTER),
        ("CONF", CONFERENCE_ABSTRACT),
        ("ABST", CONFERENCE_ABSTRACT),
        ("RPRT", REPORT),
        ("ELEC", WEB_PAGE),
        ("GEN", OTHER),
    ],
)
def test_maps_record_types(ris_type, work_type):
    assert parse(f"TY  - {ris_type}\nTI  - Interfant-06\nER  - \n").references[0].work_type == work_type


def test_an_elocator_as_start_page():
    text = "TY  - JOUR\nTI  - Methylphenidate exposure\nJO  - PLoS ONE\nSP  - e33693\nER  - \n"
    ref = parse(text).references[0]
    assert (ref.elocator, ref.page_first, ref.page_last) == ("e33693", "", "")


def test_a_record_cut_off_at_the_end_of_the_file_is_kept_with_a_problem():
    parsed = parse(INTERFANT_RIS.rsplit("ER  -", 1)[0])
    assert parsed.problems == []
    assert len(parsed.references) == 4
    book = parsed.references[3]
    assert (book.title, book.year) == ("Cancer Cytogenetics", 1987)
    assert book.problems == [Problem("record has no ER line", line=43, entry="Cancer Cytogenetics")]


def test_a_record_followed_by_a_new_ty_without_er_is_named_by_its_first_author():
    text = "TY  - JOUR\nAU  - Mann, Georg\nJO  - Blood\nPY  - 2010\n\nTY  - BOOK\nTI  - Cancer Cytogenetics\nER  - \n"
    first, second = parse(text).references
    assert first.problems == [
        Problem("record has no ER line", line=1, entry="Mann, Georg"),
        Problem("entry has no title", line=1, entry="Mann, Georg"),
    ]
    assert (first.container_title, first.year) == ("Blood", 2010)
    assert (second.line, second.title, second.problems) == (6, "Cancer Cytogenetics", [])


def test_lines_outside_records_are_ignored():
    text = "Exported by EndNote\n\nTY  - JOUR\nTI  - Interfant-99\nER  - \ntrailing words\n"
    parsed = parse(text)
    assert [(ref.line, ref.title, ref.problems) for ref in parsed.references] == [(3, "Interfant-99", [])]


def test_crlf_line_ends():
    ref = parse(INTERFANT_RIS.replace("\n", "\r\n")).references[0]
    assert (ref.label, ref.page_last, ref.problems) == ("pieters2007", "250", [])


def test_a_doi_is_taken_from_a_doi_org_url_only():
    publisher_page = "https://onlinelibrary.wiley.com/doi/10.1002/pbc.25953/abstract"
    text = f"TY  - JOUR\nTI  - Lineage switch\nUR  - {publisher_page}\nER  -\n"
    ref = parse(text).references[0]
    assert (ref.doi, ref.url) == ("", publisher_page)


@pytest.mark.parametrize(
    ("ris_type", "work_type"),
    [
        ("Journal Article", JOURNAL_ARTICLE),
        ("Book Section", BOOK_CHAPTER),
        ("Conference Paper", CONFERENCE_ABSTRACT),
        ("Edited Book", BOOK),
        ("Web Page", WEB_PAGE),
    ],
)
def test_maps_the_long_type_names_endnote_and_mendeley_write(ris_type, work_type):
    assert parse(f"TY  - {ris_type}\nTI  - Interfant-06\nER  - \n").references[0].work_type == work_type


def test_reads_what_a_record_carries_beyond_the_reference():
    text = """TY  - JOUR
AU  - Federico, S.
AU  - Grillo, A.
AD  - Univ. degli Studi di Catania, Italy
AD  - University of Calgary, Canada
ST  - Short title only
VO  - 52
AB  - BACKGROUND: first part
      RESULTS: second part
JF  - Journal of Leukemia Research
J2  - J Leuk Res
DA  - 2007/07/28/
PY  - 2007
SN  - 0140-6736
LA  - English
KW  - infant
KW  - leukemia
M3  - Review
ER  - """
    ref = parse(text).references[0]
    assert [name.affiliation for name in ref.authors] == [
        "Univ. degli Studi di Catania, Italy",
        "University of Calgary, Canada",
    ]
    assert (ref.title, ref.volume, ref.journal_abbrev) == ("Short title only", "52", "J Leuk Res")
    assert ref.abstract == "BACKGROUND: first part RESULTS: second part"
    assert (ref.date, ref.issns, ref.language, ref.keywords) == (
        "2007-07-28",
        ["0140-6736"],
        "English",
        ["infant", "leukemia"],
    )
    assert (ref.publication_types, ref.work_type) == (["Review"], REVIEW)


def test_an_isbn_in_sn_is_an_isbn():
    ref = parse("TY  - BOOK\nTI  - Cancer Cytogenetics\nSN  - 978-3-86680-192-9\nER  - \n").references[0]
    assert (ref.isbns, ref.issns) == (["978-3-86680-192-9"], [])


@pytest.mark.parametrize("path", SAMPLES, ids=lambda path: path.name)
def test_sample_files_agree_with_rispy(path):
    text = path.read_text(encoding="utf-8")
    expected = rispy.loads(text)
    parsed = parse(text)
    assert detect_format(text) == "ris"
    assert len(parsed.references) == len(expected)
    for ref, record in zip(parsed.references, expected, strict=True):
        title = record.get("title") or record.get("primary_title") or ""
        assert ref.title == title.rstrip(".")
        authors = record.get("authors") or record.get("first_authors") or []
        assert [name.family for name in ref.authors] == [author.split(",")[0] for author in authors]
        year = record.get("year") or record.get("publication_year") or ""
        assert ref.year == (int(year[:4]) if year else None)
        journal = (
            record.get("journal_name")
            or record.get("alternate_title3")
            or record.get("secondary_title")
            or ""
        )
        assert ref.container_title == journal
        assert ref.volume == record.get("volume", "")
        assert (ref.page_first or ref.elocator) == record.get("start_page", "")
        assert ref.doi == (
            record["doi"].lower().removeprefix("http://dx.doi.org/") if record.get("doi") else ""
        )
        assert bool(ref.abstract) == bool(record.get("abstract") or record.get("notes_abstract"))
        assert ref.keywords == record.get("keywords", [])
