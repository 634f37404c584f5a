"""Which format a pasted or uploaded list is in, and reading it by name."""

import subprocess
import sys
import time
from pathlib import Path

import pytest

from references.refparse.formats import FORMATS, detect_format, parse_structured
from tests.refparse.test_formats_bibtex import CROSSREF, INTERFANT_BIB
from tests.refparse.test_formats_csljson import INTERFANT_CSL
from tests.refparse.test_formats_endnote_xml import RECORDS as ENDNOTE_RECORDS
from tests.refparse.test_formats_ids import ID_LIST
from tests.refparse.test_formats_medline import INTERFANT_NBIB
from tests.refparse.test_formats_pubmed_xml import ARTICLE as PUBMED_ARTICLE
from tests.refparse.test_formats_ris import INTERFANT_RIS

ROOT = Path(__file__).resolve().parents[2]
NUMBERED_TEXT = """\
[1] Pieters R, Schrappe M, De Lorenzo P, et al. A treatment protocol for infants younger than 1 year with
acute lymphoblastic leukaemia (Interfant-99). Lancet. 2007;370(9583):240-50. doi:10.1016/S0140-6736(07)61126-X
[2] Heim S, Mitelman F. Cancer Cytogenetics. Alan R Liss; New York 1987.
"""


@pytest.mark.parametrize(
    ("text", "format"),
    [
        (INTERFANT_BIB, "bibtex"),
        ((CROSSREF / "cn-bibtex-10.1126_science.169.3946.635.bib").read_text(), "bibtex"),
        (INTERFANT_RIS, "ris"),
        ("\ufeff" + INTERFANT_RIS, "ris"),
        (INTERFANT_NBIB, "medline"),
        (INTERFANT_CSL, "csljson"),
        ((CROSSREF / "cn-csl-json-10.1126_science.169.3946.635.json").read_text(), "csljson"),
        (ID_LIST, "ids"),
        ("PMID: 25523971", "ids"),
        (NUMBERED_TEXT, "text"),
        ("Heim S, Mitelman F. Cancer Cytogenetics. Alan R Liss; New York 1987.", "text"),
        ("10.1016/S0140-6736(07)61126-X\nPieters R. Lancet. 2007.", "text"),
        ('{"status": "ok"}', "text"),
        ("", "text"),
        ("   \n\n", "text"),
    ],
)
def test_detects_each_format(text, format):
    assert detect_format(text) == format


def test_broken_csl_json_is_still_json_so_its_error_can_be_shown():
    broken = INTERFANT_CSL.replace('"publisher": "Alan R. Liss",', '"publisher": "Alan R. Liss"')
    assert detect_format(broken) == "csljson"
    assert parse_structured(broken, "csljson").problems[0].message.startswith("not valid JSON")


def test_an_email_address_is_not_a_bibtex_entry():
    assert detect_format("Correspondence: r.pieters@prinsesmaximacentrum.nl {see} page 2") == "text"


def test_detection_is_quick_on_a_long_paste():
    paste = NUMBERED_TEXT * 3_400  # about 10,000 lines
    started = time.perf_counter()
    assert detect_format(paste) == "text"
    assert detect_format(ID_LIST * 1_250) == "ids"
    assert time.perf_counter() - started < 1


INTERFANT_WOS = """FN Clarivate Analytics Web of Science
VR 1.0
PT J
AU Pieters, R
AF Pieters, Rob
TI A treatment protocol for infants younger than 1 year with acute lymphoblastic leukaemia (Interfant-99)
SO LANCET
PY 2007
VL 370
BP 240
EP 250
DI 10.1016/S0140-6736(07)61126-X
ER

EF
"""
INTERFANT_OVID = """<1>
VN  - Ovid Technologies
DB  - Ovid MEDLINE(R)
UI  - 17658395
AU  - Pieters R
TI  - A treatment protocol for infants younger than 1 year with acute lymphoblastic leukaemia (Interfant-99)
SO  - Lancet. 370(9583):240-50, 2007 Jul 28.
DO  - https://dx.doi.org/10.1016/S0140-6736(07)61126-X
"""
INTERFANT_CSV = (
    "Authors,Title,Year,Source title,Volume,Page start,Page end,DOI\n"
    '"Pieters R.","A treatment protocol for infants (Interfant-99)",2007,Lancet,370,240,250,'
    "10.1016/S0140-6736(07)61126-X\n"
)


def test_every_format_parses_by_name():
    samples = {"bibtex": INTERFANT_BIB, "ris": INTERFANT_RIS, "medline": INTERFANT_NBIB}
    samples |= {"csljson": INTERFANT_CSL, "ids": ID_LIST}
    samples |= {"pubmed-xml": PUBMED_ARTICLE, "endnote-xml": ENDNOTE_RECORDS}
    samples |= {"wos": INTERFANT_WOS, "ovid": INTERFANT_OVID, "csv": INTERFANT_CSV}
    assert set(samples) == set(FORMATS)
    for format, text in samples.items():
        parsed = parse_structured(text, format)
        assert (parsed.format, parsed.problems) == (format, [])
        assert parsed.references[0].doi == "10.1016/s0140-6736(07)61126-x"


def test_an_unknown_format_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown structured format 'endnote'"):
        parse_structured("", "endnote")


def test_the_readers_do_not_import_django():
    code = "import sys, references.refparse.formats; print(sorted(m for m in sys.modules if m.startswith('django')))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert result.stdout.strip() == "[]"
