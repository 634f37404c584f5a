"""Lists of DOIs, PMIDs and PMCIDs, one a line."""

import time

import pytest

from references.refparse.formats import parse_structured
from references.refparse.records import ParsedReference, Problem

ID_LIST = """\
10.1016/S0140-6736(07)61126-X
doi:10.1182/blood-2010-03-273532
https://doi.org/10.1038/s41408-017-0023-x

PMID: 25523971
PMC4454636
PMCID: PMC2990706
http://dx.doi.org/10.1182%2Fblood-2009-02-204214
"""


def parse(text: str):
    return parse_structured(text, "ids")


def test_reads_dois_pmids_and_pmcids_skipping_blank_lines():
    parsed = parse(ID_LIST)
    assert parsed.format == "ids"
    assert parsed.problems == []
    assert parsed.references == [
        ParsedReference(raw="doi:10.1016/s0140-6736(07)61126-x", line=1, doi="10.1016/s0140-6736(07)61126-x"),
        ParsedReference(raw="doi:10.1182/blood-2010-03-273532", line=2, doi="10.1182/blood-2010-03-273532"),
        ParsedReference(raw="doi:10.1038/s41408-017-0023-x", line=3, doi="10.1038/s41408-017-0023-x"),
        ParsedReference(raw="PMID: 25523971.", line=5, pmid="25523971"),
        ParsedReference(raw="PMCID: PMC4454636.", line=6, pmcid="PMC4454636"),
        ParsedReference(raw="PMCID: PMC2990706.", line=7, pmcid="PMC2990706"),
        ParsedReference(raw="doi:10.1182/blood-2009-02-204214", line=8, doi="10.1182/blood-2009-02-204214"),
    ]


@pytest.mark.parametrize(
    ("line", "field", "value"),
    [
        ("DOI: 10.1016/S1470-2045(12)70580-6.", "doi", "10.1016/s1470-2045(12)70580-6"),
        ("  10.1007/978-3-030-85147-7_6  ", "doi", "10.1007/978-3-030-85147-7_6"),
        ("25523971", "pmid", "25523971"),
        ("1234567", "pmid", "1234567"),
        ("PMID 123456", "pmid", "123456"),
        ("pmid:25523971", "pmid", "25523971"),
        ("pmc4454636", "pmcid", "PMC4454636"),
    ],
)
def test_reads_each_spelling(line, field, value):
    assert getattr(parse(line).references[0], field) == value


def test_lines_that_are_not_ids_are_reported_and_the_rest_is_read():
    text = "10.1016/S0140-6736(07)61126-X\nPieters R, et al. Lancet 2007\n123456\n\nPMID: 25523971\n"
    parsed = parse(text)
    assert parsed.problems == [
        Problem("not a DOI, PMID or PMCID", line=2, entry="Pieters R, et al. Lancet 2007"),
        Problem("not a DOI, PMID or PMCID", line=3, entry="123456"),
    ]
    assert [ref.line for ref in parsed.references] == [1, 5]


def test_a_list_of_ten_thousand_dois_parses_quickly():
    text = "\n".join(f"10.1182/blood-2010-03-{number:06d}" for number in range(10_000))
    started = time.perf_counter()
    parsed = parse(text)
    assert time.perf_counter() - started < 2
    assert (len(parsed.references), parsed.problems) == (10_000, [])
    assert (parsed.references[-1].line, parsed.references[-1].doi) == (10_000, "10.1182/blood-2010-03-009999")
