"""Lists of DOIs, PMIDs and PMCIDs, one a line or several a line in any common punctuation."""

import json
import re
import time

import pytest

from config.shared import shared_dir
from references.identifiers import first_doi
from references.refparse import parse_reference_list
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


def crossref_fixture_dois() -> list[str]:
    """The distinct DOIs of the Crossref fixtures (their works and reference lists), SICIs first."""
    found: list[str] = []

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                found.append(value) if key == "DOI" and isinstance(value, str) else walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for path in sorted((shared_dir() / "fixtures" / "crossref").glob("*.json")):
        walk(json.loads(path.read_text(encoding="utf-8")))
    distinct = list(dict.fromkeys(doi.lower() for doi in found))
    return sorted(distinct, key=lambda doi: not re.search(r"[<\[(;]", doi))


@pytest.mark.parametrize("separator", [",", ", ", ";", "; ", "\t", " "])
@pytest.mark.parametrize("quote", ['"', "'", ""])
def test_a_list_of_113_dois_in_any_punctuation_keeps_every_doi(separator, quote):
    dois = crossref_fixture_dois()[:113]
    assert len(dois) == 113 and sum("<" in doi for doi in dois) >= 10
    lines = [separator.join(f"{quote}{doi}{quote}" for doi in dois[i : i + 7]) for i in range(0, 113, 7)]
    parsed = parse_reference_list("\n".join(lines))
    assert (parsed.format, parsed.problems) == ("ids", [])
    assert [ref.doi for ref in parsed.references] == dois


def test_prefixes_short_dois_pmids_and_pmcids_on_one_line():
    line = (
        '"doi:10.1016/S0140-6736(07)61126-X", "https://doi.org/10.1182/blood-2010-03-273532";'
        "10.1002/(SICI)1096-987X(199803)19:4<377::AID-JCC1>3.0.CO;2-P,10/FQD6HJ, https://doi.org/10/b2q8"
    )
    parsed = parse_reference_list(
        line + "\nPMID: 25523971, PMC4454636; 17658395 'http://dx.doi.org/10.1182%2Fblood-2009-02-204214'"
    )
    assert parsed.format == "ids"
    assert [ref.doi or ref.pmid or ref.pmcid for ref in parsed.references] == [
        "10.1016/s0140-6736(07)61126-x",
        "10.1182/blood-2010-03-273532",
        "10.1002/(sici)1096-987x(199803)19:4<377::aid-jcc1>3.0.co;2-p",
        "10/fqd6hj",
        "10/b2q8",
        "25523971",
        "PMC4454636",
        "17658395",
        "10.1182/blood-2009-02-204214",
    ]
    assert [ref.line for ref in parsed.references] == [1, 1, 1, 1, 1, 2, 2, 2, 2]


def test_a_column_header_is_skipped_and_junk_between_ids_is_reported():
    parsed = parse('DOI\n"10.1182/blood-2010-03-273532", see also, 10.1038/s41408-017-0023-x\n')
    assert [ref.doi for ref in parsed.references] == [
        "10.1182/blood-2010-03-273532",
        "10.1038/s41408-017-0023-x",
    ]
    assert parsed.problems == [Problem("not a DOI, PMID or PMCID", line=2, entry="see also")]


@pytest.mark.parametrize(
    ("prose", "doi"),
    [
        (
            "doi:10.1002/(SICI)1096-987X(199803)19:4<377::AID-JCC1>3.0.CO;2-P.",
            "10.1002/(sici)1096-987x(199803)19:4<377::aid-jcc1>3.0.co;2-p",
        ),
        ("(see doi 10.1016/S0140-6736(07)61126-X).", "10.1016/s0140-6736(07)61126-x"),
        (
            "10.1890/1051-0761(2006)016[0770:ROMCIT]2.0.CO;2, and",
            "10.1890/1051-0761(2006)016[0770:romcit]2.0.co;2",
        ),
        ('<a href="x">10.1182/blood-2009-02-204214</a>', "10.1182/blood-2009-02-204214"),
        ("10.1182/blood-2009-02-204214;", "10.1182/blood-2009-02-204214"),
    ],
)
def test_first_doi_keeps_every_doi_character_and_drops_prose_punctuation(prose, doi):
    assert first_doi(prose) == doi
