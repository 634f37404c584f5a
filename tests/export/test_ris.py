"""RIS export: one `TAG  - value` line per field, standard tags, a record per work."""

from dataclasses import replace

import pytest

from references.export.records import ExportRecord
from references.export.ris import RIS_TYPES, ris_record
from references.people import Name
from tests.export.test_bibtex import FULL, TRICKY


def test_record_lists_every_field_in_order():
    assert ris_record(FULL, abstract=True) == (
        "TY  - JOUR\n"
        "ID  - pieters2007treatment\n"
        "AU  - Pieters, Rob\n"
        "AU  - Möricke, Anja\n"
        "AU  - Pánek, Łukasz\n"
        "AU  - Gül, Ayşe\n"
        "AU  - van der Linden, Marieke H.\n"
        "AU  - Interfant-99 Study Group\n"
        "TI  - A treatment protocol for infants younger than 1 year with acute lymphoblastic leukaemia "
        "(Interfant-99): an observational, multicentre, randomised trial\n"
        "T2  - The Lancet\n"
        "PY  - 2007\n"
        "VL  - 370\n"
        "IS  - 9583\n"
        "SP  - 240\n"
        "EP  - 250\n"
        "PB  - Elsevier\n"
        "SN  - 0140-6736\n"
        "SN  - 1474-547X\n"
        "DO  - 10.1016/S0140-6736(07)61126-X\n"
        "AN  - 17658395\n"
        "UR  - https://pubmed.ncbi.nlm.nih.gov/17658395/\n"
        "KW  - Leukemia, Lymphoid\n"
        "KW  - Infant\n"
        "KW  - KMT2A\n"
        "AB  - Background & aims: 50% of infants <1 year ~ relapse; costs $5 #1 a_b {braced} x^2 \\ end.\n"
        "ER  - \n"
        "\n"
    )


@pytest.mark.parametrize(
    ("work_type", "ty"),
    [
        ("journal-article", "JOUR"),
        ("review", "JOUR"),
        ("case-report", "JOUR"),
        ("book-chapter", "CHAP"),
        ("book", "BOOK"),
        ("report", "RPRT"),
        ("conference-abstract", "CONF"),
        ("web-page", "ELEC"),
        ("other", "GEN"),
    ],
)
def test_types(work_type, ty):
    assert RIS_TYPES[work_type] == ty
    assert ris_record(replace(FULL, work_type=work_type)).startswith(f"TY  - {ty}\n")


def test_editors_are_secondary_authors():
    chapter = TRICKY[2]
    assert "A2  - Pui, Ching-Hon\nA2  - Brüggemann, Monika\n" in ris_record(chapter)


@pytest.mark.parametrize(
    ("pages", "lines"),
    [
        ("317-335", "SP  - 317\nEP  - 335\n"),
        ("317–335", "SP  - 317\nEP  - 335\n"),
        ("317-35", "SP  - 317\nEP  - 335\n"),  # Medline's abbreviated last page
        ("e33693", "SP  - e33693\n"),
        ("S12-S15", "SP  - S12\nEP  - S15\n"),
    ],
)
def test_pages_are_split(pages, lines):
    record = ExportRecord(key="k", work_type="journal-article", title="T", pages=pages)
    assert ris_record(record) == f"TY  - JOUR\nID  - k\nTI  - T\n{lines}ER  - \n\n"


def test_empty_fields_are_left_out_and_abstract_only_when_asked():
    record = ExportRecord(key="k", work_type="other", title="T", authors=(Name("Doe", ""),), abstract="A")
    assert ris_record(record) == "TY  - GEN\nID  - k\nAU  - Doe\nTI  - T\nER  - \n\n"
    assert "AB  - A\n" in ris_record(record, abstract=True)


def test_values_stay_on_one_line():
    record = replace(FULL, title="Two\nlines\r\n  and\ttabs", abstract="Para one.\n\nPara two.")
    text = ris_record(record, abstract=True)
    assert "TI  - Two lines and tabs\n" in text
    assert "AB  - Para one. Para two.\n" in text
    assert all(line[:2].isalnum() and line[2:6] == "  - " for line in text.splitlines() if line)


def test_every_record_is_well_formed():
    for record in TRICKY:
        lines = ris_record(record, abstract=True).split("\n")
        assert lines[0].startswith("TY  - ")
        assert lines[-3:] == ["ER  - ", "", ""]
        assert "\r" not in "".join(lines)
