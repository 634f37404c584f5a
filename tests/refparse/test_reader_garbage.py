"""Readers run with the cycle collector paused (references.refparse.collector): a reader that made reference
cycles would keep every record it read until the end of the file. Their cyclic garbage stays the same
however many records a file holds (BibTeX's parser, a library, makes cycles of its own and is left out)."""

import gc

import pytest
from django.conf import settings

from references.refparse import parse_reference_list

SAMPLES = settings.SHARED_DIR / "samples"
FILES = {
    "pubmed-xml": ("pubmed-xml/pubmed2.xml", "<PubmedArticle>", "</PubmedArticleSet>"),
    "endnote-xml": ("endnote/EndnoteXmlImporterTestArticle.xml", "<record>", "</records>"),
    "medline": ("medline/pubmed_result2.txt", "", ""),
    "ris": ("ris/example_full.ris", "", ""),
    "wos": ("wos/example_wos.txt", "PT ", "EF"),
    "csv": ("scopus/scopus_testing.csv", "\n", ""),
}


def _replicated(name: str, copies: int) -> str:
    path, start, end = FILES[name]
    text = (SAMPLES / path).read_text(encoding="utf-8-sig")
    head_end = text.index(start) + (1 if start == "\n" else 0) if start else 0
    tail_start = text.rindex(end) if end else len(text)
    return text[:head_end] + text[head_end:tail_start] * copies + text[tail_start:]


def _garbage(text: str, format: str) -> int:
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        parse_reference_list(text, format=format)
        gc.collect()
        return len(gc.garbage)
    finally:
        gc.set_debug(0)
        gc.garbage.clear()


@pytest.mark.parametrize("format", FILES)
def test_a_reader_leaves_no_cycles_per_record(format):
    one, many = _replicated(format, 1), _replicated(format, 30)
    assert len(parse_reference_list(many, format=format).references) > len(
        parse_reference_list(one, format=format).references
    )
    assert _garbage(many, format) == _garbage(one, format)
