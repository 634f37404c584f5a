"""Web of Science tagged text: every field, names with ORCIDs and addresses, and the sample exports."""

from pathlib import Path

import pytest
import rispy
from django.conf import settings

from references.people import Name
from references.refparse.formats import detect_format, parse_structured
from references.refparse.records import Problem
from references.worktypes import CONFERENCE_ABSTRACT, REVIEW

SAMPLES = sorted((Path(settings.SHARED_DIR) / "samples" / "wos").iterdir())
RECORD = """FN Clarivate Analytics Web of Science
VR 1.0
PT J
AU Pieters, R
   Schrappe, M
AF Pieters, Rob
   Schrappe, Martin
CA Interfant-99 Study Grp
TI A treatment protocol for infants younger than 1 year with acute
   lymphoblastic leukaemia (Interfant-99)
SO LANCET
LA English
DT Review; Proceedings Paper
DE infant; acute lymphoblastic leukaemia
ID MLL GENE; CHILDREN
AB Infants with ALL do badly.
C1 [Pieters, Rob] Erasmus MC Sophia Childrens Hosp, Rotterdam, Netherlands.
   [Schrappe, Martin] Univ Kiel, Kiel, Germany.
OI Pieters, Rob/0000-0002-1825-0097
SN 0140-6736
EI 1474-547X
J9 LANCET
JI Lancet
PD JUL 21
PY 2007
VL 370
IS 9583
AR e27057
DI 10.1016/S0140-6736(07)61126-X
PM 17658395
UT WOS:000248311800027
ER

EF
"""


def parse(text: str):
    return parse_structured(text, "wos")


def test_reads_every_field_of_a_record():
    parsed = parse(RECORD)
    assert (parsed.format, parsed.problems) == ("wos", [])
    ref = parsed.references[0]
    assert ref.authors == [
        Name(
            "Pieters",
            "Rob",
            orcid="0000-0002-1825-0097",
            affiliation="Erasmus MC Sophia Childrens Hosp, Rotterdam, Netherlands",
        ),
        Name("Schrappe", "Martin", affiliation="Univ Kiel, Kiel, Germany"),
        Name("Interfant-99 Study Grp", collective=True),
    ]
    assert (
        ref.title
        == "A treatment protocol for infants younger than 1 year with acute lymphoblastic leukaemia (Interfant-99)"
    )
    assert (ref.container_title, ref.journal_abbrev, ref.year, ref.date) == (
        "LANCET",
        "Lancet",
        2007,
        "2007-07-21",
    )
    assert (ref.volume, ref.issue, ref.elocator, ref.page_first) == ("370", "9583", "e27057", "")
    assert (ref.doi, ref.pmid, ref.label) == (
        "10.1016/s0140-6736(07)61126-x",
        "17658395",
        "WOS:000248311800027",
    )
    assert ref.keywords == ["infant", "acute lymphoblastic leukaemia", "MLL GENE", "CHILDREN"]
    assert (ref.publication_types, ref.work_type) == (["Review", "Proceedings Paper"], REVIEW)
    assert (ref.issns, ref.language, ref.abstract) == (
        ["0140-6736", "1474-547X"],
        "English",
        "Infants with ALL do badly.",
    )


def test_short_names_when_there_are_no_full_names():
    text = RECORD.replace("AF Pieters, Rob\n   Schrappe, Martin\n", "")
    assert [(n.family, n.given) for n in parse(text).references[0].authors][:2] == [
        ("Pieters", "R."),
        ("Schrappe", "M."),
    ]


def test_a_meeting_abstract_is_a_conference_abstract():
    text = RECORD.replace("DT Review; Proceedings Paper", "DT Meeting Abstract")
    assert parse(text).references[0].work_type == CONFERENCE_ABSTRACT


def test_a_record_without_er_is_kept_with_a_problem():
    ref = parse(RECORD.replace("ER\n", "")).references[0]
    assert ref.problems == [Problem("record has no ER line", line=3, entry="WOS:000248311800027")]


def test_is_told_apart_from_ris_and_medline():
    assert detect_format(RECORD) == "wos"
    assert detect_format(RECORD.replace("FN Clarivate Analytics Web of Science\nVR 1.0\n", "")) == "wos"


@pytest.mark.parametrize("path", SAMPLES, ids=lambda path: path.name)
def test_sample_files_agree_with_rispy(path):
    text = path.read_text(encoding="utf-8")
    with path.open(encoding="utf-8") as handle:
        expected = rispy.load(handle, implementation=rispy.WokParser)
    parsed = parse(text)
    assert detect_format(text) == "wos"
    assert parsed.problems == []
    assert len(parsed.references) == len(expected)
    for ref, record in zip(parsed.references, expected, strict=True):
        assert ref.title == record["document_title"]
        names = record.get("author_full_name") or record["authors"]
        assert [name.family for name in ref.authors] == [name.split(",")[0] for name in names]
        assert ref.year == int(record["publication_year"])
        assert ref.container_title == record["publication_name"]
        assert (ref.volume, ref.issue) == (record["volume"], record["issue"])
        assert (ref.page_first, ref.page_last) == (record["beginning_page"], record["ending_page"])
        assert ref.doi == record.get("doi", "").lower()
        assert ref.pmid == record.get("pubmed_id", "")
        assert ref.abstract == record["abstract"]
        assert ref.label == record["accession_number"]
        assert ref.problems == []
