"""The plain record every export writer takes: no ORM, no HTTP."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from references.importers.text import expand_pages
from references.people import Name


@dataclass(frozen=True)
class ExportRecord:
    key: str
    work_type: str
    title: str
    authors: tuple[Name, ...] = ()
    editors: tuple[Name, ...] = ()
    container_title: str = ""
    year: int | None = None
    volume: str = ""
    issue: str = ""
    pages: str = ""
    doi: str = ""
    pmid: str = ""
    url: str = ""
    issns: tuple[str, ...] = ()
    isbns: tuple[str, ...] = ()
    publisher: str = ""
    keywords: tuple[str, ...] = ()
    abstract: str = ""


# Hyphen, non-breaking hyphen, figure dash, en dash, em dash, horizontal bar, minus sign.
PAGE_DASHES = re.compile(r"\s*[-‐‑‒–—―−]+\s*")
_PAGE_RANGE = re.compile(r"^\s*([^\s\-‐‑‒–—―−]+)\s*[-‐‑‒–—―−]+\s*([^\s\-‐‑‒–—―−]+)\s*$")


def split_pages(pages: str) -> tuple[str, str]:
    """("317", "335") from "317-335" or "317–335"; Medline's "317-35" becomes ("317", "335").

    A single page, an e-locator ("e33693") or anything that is not one range comes back whole as the first page.
    """
    match = _PAGE_RANGE.match(expand_pages(pages))
    return match.groups() if match else (pages.strip(), "")


_WHITESPACE = re.compile(r"\s+")
_INVISIBLE = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]"
)


def clean(text: str) -> str:
    """One line of NFC text: runs of white space become one space; control and invisible characters go."""
    if not text.isprintable():
        text = _WHITESPACE.sub(" ", _INVISIBLE.sub("", text))
    elif "  " in text:
        text = _WHITESPACE.sub(" ", text)
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    return text.strip()
