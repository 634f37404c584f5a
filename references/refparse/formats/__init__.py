"""Readers for structured reference lists: BibTeX, RIS, PubMed MEDLINE, CSL-JSON and lists of identifiers.

detect_format(text)             -> "bibtex" | "ris" | "medline" | "csljson" | "ids" | "text"
parse_structured(text, format)  -> ParsedList (never raises on bad input: it reports Problems)
render_reference(ref)           -> one-line NLM rendering, the `raw` of structured entries
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from references.refparse.records import ParsedList, ParsedReference, Problem
from references.refparse.source import TextSource

from .bibtex import parse_bibtex
from .csljson import parse_csljson
from .delimited import parse_csv
from .detect import FORMATS, detect_format
from .endnote_xml import parse_endnote_xml
from .ids import parse_ids
from .medline import iter_medline, parse_medline
from .ovid import parse_ovid
from .pubmed_xml import iter_pubmed_xml, parse_pubmed_xml
from .render import render_reference
from .ris import parse_ris
from .wos import parse_wos

__all__ = [
    "FORMATS",
    "STREAMED",
    "detect_format",
    "parse_structured",
    "render_reference",
    "stream_structured",
]

_READERS: dict[str, Callable[[str], ParsedList]] = {
    "bibtex": parse_bibtex,
    "ris": parse_ris,
    "medline": parse_medline,
    "csljson": parse_csljson,
    "ids": parse_ids,
    "wos": parse_wos,
    "ovid": parse_ovid,
    "csv": parse_csv,
    "pubmed-xml": parse_pubmed_xml,
    "endnote-xml": parse_endnote_xml,
}


# Readers that give one record at a time (the formats of large database exports), each with a quick count of
# the records a file holds, for progress bars.
_STREAMS: dict[
    str, tuple[Callable[[str | TextSource], Iterator[ParsedReference]], Callable[[str | TextSource], int]]
] = {
    "medline": (iter_medline, lambda text: text.count("\nPMID-") + text.startswith("PMID-")),
    "pubmed-xml": (
        iter_pubmed_xml,
        lambda text: text.count("<PubmedArticle>") + text.count("<PubmedBookArticle>"),
    ),
}


STREAMED = frozenset(_STREAMS)


def parse_structured(text: str, format: str) -> ParsedList:
    """Read `text` as `format` (one of FORMATS); entries that cannot be read become Problems."""
    return _READERS[_known(format)](text.removeprefix("\ufeff"))


def stream_structured(
    text: str | TextSource, format: str
) -> tuple[Iterator[ParsedReference], list[Problem], int]:
    """The records of `text` as they are read (all at once for formats read whole), the list of entries that
    could not be read (it grows as reading goes), and about how many records there are."""
    if stream := _STREAMS.get(_known(format)):
        reader, count = stream
        return reader(text.removeprefix("\ufeff") if isinstance(text, str) else text), [], count(text)
    parsed = parse_structured(text if isinstance(text, str) else text.text(), format)
    return iter(parsed.references), parsed.problems, len(parsed.references)


def _known(format: str) -> str:
    if format not in _READERS:
        raise ValueError(f"unknown structured format {format!r}; expected one of {', '.join(FORMATS)}")
    return format
