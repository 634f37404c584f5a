"""Scopus CSV and other delimited tables with a header naming the columns."""

import csv
import time
from pathlib import Path

import pytest
from django.conf import settings

from references.people import Name
from references.refparse.formats import detect_format, parse_structured
from references.refparse.records import Unreadable
from references.worktypes import BOOK_CHAPTER, REVIEW

SCOPUS = Path(settings.SHARED_DIR) / "samples" / "scopus" / "scopus_testing.csv"


def parse(text: str):
    return parse_structured(text, "csv")


def test_scopus_export_agrees_with_csv_dictreader():
    text = SCOPUS.read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(text.splitlines(keepends=True)))
    parsed = parse(text)
    assert detect_format(text) == "csv"
    assert (parsed.format, parsed.problems) == ("csv", [])
    assert len(parsed.references) == len(rows) == 220
    for ref, row in zip(parsed.references, rows, strict=True):
        assert ref.title == row["Title"].strip().rstrip(".")
        assert ref.year == int(row["Year"])
        assert ref.container_title == row["Source title"]
        assert ref.volume == row["Volume"]
        assert (ref.page_first, ref.elocator) == (
            row["Page start"],
            "" if row["Page start"] else row["Art. No."].strip(),
        )
        assert ref.doi == row["DOI"].lower()
        assert ref.pmid == row["PubMed ID"]
        assert bool(ref.abstract) == (row["Abstract"] not in ("", "[No abstract available]"))
        assert ref.label == row["EID"]
        if row["Authors"] not in ("[No author name available]", "Anon"):
            first = row["Authors"].split(".,")[0].split(",")[0]
            assert first.startswith(ref.authors[0].family + " ") or first == ref.authors[0].family


def test_scopus_fields_beyond_the_reference():
    ref = parse(SCOPUS.read_text(encoding="utf-8-sig")).references[0]
    assert ref.authors[0] == Name("Yagai", "T.", affiliation="Sophia University, Tokyo, Japan")
    assert (ref.journal_abbrev, ref.issns, ref.language) == (
        "IEEE Trans Appl Supercond",
        ["1051-8223"],
        "English",
    )
    assert ref.keywords[:2] == ["complex bending", "force-balanced coil"]
    assert ref.publication_types == ["Article"]


def test_work_types_from_document_type():
    refs = parse(SCOPUS.read_text(encoding="utf-8-sig")).references
    assert {ref.work_type for ref in refs if ref.publication_types == ["Review"]} == {REVIEW}
    assert {ref.work_type for ref in refs if ref.publication_types == ["Book Chapter"]} == {BOOK_CHAPTER}


def test_a_semicolon_table_with_generic_names():
    text = 'Title;Authors;Year;Journal;DOI;PMID;Pages\n"Interfant-99; a trial";Pieters, Rob and Schrappe, Martin;2007;Lancet;10.1016/S0140-6736(07)61126-X;17658395;240-50\n'
    assert detect_format(text) == "csv"
    ref = parse(text).references[0]
    assert (ref.title, ref.container_title, ref.year, ref.pmid) == (
        "Interfant-99; a trial",
        "Lancet",
        2007,
        "17658395",
    )
    assert ref.authors == [Name("Pieters", "Rob"), Name("Schrappe", "Martin")]
    assert (ref.page_first, ref.page_last, ref.line) == ("240", "250", 2)


def test_a_tab_table_and_newer_scopus_names():
    text = (
        "Author full names\tTitle\tYear\nPieters, Rob (12345); Schrappe, Martin (678)\tInterfant-99\t2007\n"
    )
    ref = parse(text).references[0]
    assert ref.authors == [Name("Pieters", "Rob"), Name("Schrappe", "Martin")]


@pytest.mark.parametrize(
    "authors", ["Pieters R., Schrappe M.", "Pieters, R., Schrappe, M.", "Pieters R.; Schrappe M."]
)
def test_scopus_author_strings(authors):
    ref = parse(f'Authors,Title\n"{authors}",Interfant-99\n').references[0]
    assert ref.authors == [Name("Pieters", "R."), Name("Schrappe", "M.")]


def test_a_table_naming_no_title_or_identifier_is_refused():
    with pytest.raises(Unreadable, match="a CSV file whose header names no title, DOI or PMID column"):
        parse("Authors,Year,Journal\nPieters R,2007,Lancet\n")
    with pytest.raises(Unreadable):
        parse("Pieters R,2007,Lancet\nMann G,2010,Blood\n")


def test_rows_without_a_title_are_kept_with_a_problem_naming_their_line():
    parsed = parse("Title,DOI\nInterfant-99,\n,10.1182/blood-2010-03-273532\n")
    assert [ref.line for ref in parsed.references] == [2, 3]
    assert parsed.references[1].problems[0].message == "entry has no title"


def test_a_long_abstract_is_read_quickly():
    abstract = "Infants with acute lymphoblastic leukaemia do badly. " * 20_000  # about 1 MB
    started = time.perf_counter()
    ref = parse(f'Title,Abstract\nInterfant-99,"{abstract}"\n').references[0]
    assert len(ref.abstract) > 1_000_000
    assert time.perf_counter() - started < 2


def test_line_ends_of_every_kind_read_alike():
    rows = ["Title,DOI", '"A multi-line\ntitle",10.1000/one', "Plain title,10.1000/two"]
    for end in ("\n", "\r\n", "\r"):
        text = end.join(row.replace("\n", end) for row in rows) + end
        parsed = parse_structured(text, "csv")
        assert [ref.doi for ref in parsed.references] == ["10.1000/one", "10.1000/two"], repr(end)
        assert parsed.references[0].title == "A multi-line title" and not parsed.problems
