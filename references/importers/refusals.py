"""Files that are not a saved article page: a file of bibliographic records, or a page that is only a
reference list. Each is refused with a sentence naming the import that takes it."""

from __future__ import annotations

import re

from references.refparse.formats.detect import detect_format
from references.refparse.records import Unreadable

from . import generic
from .meta import meta_doi, meta_title
from .records import DecodedPage, PageRejected, SourceRecord
from .text import PageText

# How a detected format is named in the sentence; a format not listed here is named as detect_format calls it.
_FORMAT_NAMES = {
    "medline": "a MEDLINE (PubMed) file",
    "ris": "a RIS file",
    "bibtex": "a BibTeX file",
    "csljson": "a CSL-JSON file",
    "pubmed-xml": "a PubMed XML file",
    "endnote-xml": "an EndNote XML file",
    "wos": "a Web of Science file",
    "csv": "a CSV file",
    "ovid": "an Ovid file",
    "ids": "a list of DOIs or PubMed ids",
}
_RECORDS = (
    "This is {name} of bibliographic records, not a saved article page: import it with "
    "`manage.py import_records` (into the library) or `manage.py import_references --into WORK` "
    "(as a work's reference list)."
)
_XML = (
    "This is an XML file, not a saved article page (save the page as text or HTML); if it holds bibliographic "
    "records, import it with `manage.py import_records` (into the library) or "
    "`manage.py import_references --into WORK` (as a work's reference list)."
)
_XML_RE = re.compile(r"^\s*<\?xml\b")
_XHTML_RE = re.compile(r"<html[\s>]", re.IGNORECASE)
_XML_SAMPLE_CHARS = 4096
_BIBLIOGRAPHY = (
    "This page is a list of references with no abstract, not an article: import it as the reference "
    "list of the work that cites them, with `manage.py import_references FILE --into WORK` or the "
    "“Import a reference list” page."
)
_MIN_REFERENCES = 5
_MIN_REFERENCE_SHARE = 0.7  # of the page's text; an article body, even a short letter's, weighs more
_REFERENCE_CHARS = range(25, 1000)
_MAX_WRAPPED_LINES = 3  # a reference wrapped at a fixed width takes up to this many lines
_YEAR_RE = re.compile(r"\b(?:1[5-9]|20)\d\d\b")
_LOCATOR_RE = re.compile(
    r"10\.\d{4,9}/|https?://|\d\s*(?:\([^()]{1,15}\))?\s*:\s*[A-Za-z]?\d|\bpp?\.\s*\d|\d\s*[-\u2013]\s*\d"
)


def refuse_record_file(page: DecodedPage) -> None:
    """A MEDLINE, RIS, BibTeX, CSL-JSON, XML ... file of records is refused, naming the commands that take it."""
    if page.file_format != "text":
        return
    try:
        found = detect_format(page.text)
    except Unreadable:
        found = "text"  # an HTML fragment, say: the page readers judge it; other XML is refused below
    if found != "text":
        raise PageRejected(_RECORDS.format(name=_FORMAT_NAMES.get(found, f"a {found} file")))
    head = page.text[:_XML_SAMPLE_CHARS]
    if _XML_RE.match(head) and not _XHTML_RE.search(head):
        raise PageRejected(_XML)


def refuse_bibliography(record: SourceRecord, page: PageText) -> None:
    """A page of no known layout, with no abstract and nothing naming its own work, that is mostly references."""
    if record.page_kind != generic.KIND or record.abstract or meta_title(page) or meta_doi(page):
        return
    count, chars = max(_references_in_blocks(page.lines), _listed(record))
    if count >= _MIN_REFERENCES and chars >= _MIN_REFERENCE_SHARE * sum(map(len, page.lines)):
        raise PageRejected(_BIBLIOGRAPHY)


def _references_in_blocks(lines: list[str]) -> tuple[int, int]:
    """(references, their characters) in the paragraphs: one that reads as a single reference counts whole, and
    so does one where every few lines read as a reference (a list wrapped at a fixed width)."""
    count = chars = 0
    for block in _blocks(lines):
        found = [line for line in block if _has_citation_marks(line)]
        if _looks_like_reference(" ".join(block)) or len(found) * _MAX_WRAPPED_LINES >= len(block):
            count, chars = count + max(1, len(found)), chars + sum(map(len, block))
        else:
            count, chars = count + len(found), chars + sum(map(len, found))
    return count, chars


def _listed(record: SourceRecord) -> tuple[int, int]:
    found = [ref.raw for ref in record.references if _looks_like_reference(ref.raw)]
    return len(found), sum(map(len, found))


def _blocks(lines: list[str]) -> list[list[str]]:
    blocks: list[list[str]] = [[]]
    for line in lines:
        if line:
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    return [block for block in blocks if block]


def _looks_like_reference(raw: str) -> bool:
    return len(raw) in _REFERENCE_CHARS and _has_citation_marks(raw)


def _has_citation_marks(text: str) -> bool:
    """A year, and a DOI, a link, a volume and page or a page range."""
    return bool(_YEAR_RE.search(text)) and bool(_LOCATOR_RE.search(text))
