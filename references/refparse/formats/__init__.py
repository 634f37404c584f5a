"""Readers for structured reference lists: BibTeX, RIS, PubMed MEDLINE, CSL-JSON and lists of identifiers.

detect_format(text)             -> "bibtex" | "ris" | "medline" | "csljson" | "ids" | "text"
parse_structured(text, format)  -> ParsedList (never raises on bad input: it reports Problems)
render_reference(ref)           -> one-line NLM rendering, the `raw` of structured entries
"""

from __future__ import annotations

from collections.abc import Callable

from references.refparse.records import ParsedList

from .bibtex import parse_bibtex
from .csljson import parse_csljson
from .delimited import parse_csv
from .detect import FORMATS, detect_format
from .endnote_xml import parse_endnote_xml
from .ids import parse_ids
from .medline import parse_medline
from .ovid import parse_ovid
from .pubmed_xml import parse_pubmed_xml
from .render import render_reference
from .ris import parse_ris
from .wos import parse_wos

__all__ = ["FORMATS", "detect_format", "parse_structured", "render_reference"]

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


def parse_structured(text: str, format: str) -> ParsedList:
    """Read `text` as `format` (one of FORMATS); entries that cannot be read become Problems."""
    if format not in _READERS:
        raise ValueError(f"unknown structured format {format!r}; expected one of {', '.join(FORMATS)}")
    return _READERS[format](text.removeprefix("\ufeff"))
