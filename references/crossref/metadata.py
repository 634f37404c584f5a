"""A Crossref work record (`message`) read into the fields of our Work: plain Python, no ORM."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from references import worktypes
from references.people import Name

# Crossref types -> our work types.
WORK_TYPES = {
    "journal-article": worktypes.JOURNAL_ARTICLE,
    "book-chapter": worktypes.BOOK_CHAPTER,
    "book-section": worktypes.BOOK_CHAPTER,
    "book-part": worktypes.BOOK_CHAPTER,
    "book": worktypes.BOOK,
    "monograph": worktypes.BOOK,
    "edited-book": worktypes.BOOK,
    "reference-book": worktypes.BOOK,
    "report": worktypes.REPORT,
    "report-component": worktypes.REPORT,
    "proceedings-article": worktypes.CONFERENCE_ABSTRACT,
    "posted-content": worktypes.OTHER,
    "dataset": worktypes.OTHER,
}

_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")
_SECTION_TITLE = re.compile(r"<jats:title>(.*?)</jats:title>", re.S)


@dataclass(frozen=True)
class CrossrefRecord:
    """What a Crossref record says, in our field names; empty values are what it does not say."""

    fields: dict[str, object]
    authors: list[Name] = field(default_factory=list)
    declared_references: int | None = None


def read_record(message: dict) -> CrossrefRecord:
    fields = {
        "doi": (message.get("DOI") or "").lower(),
        "title": _title(message),
        "container_title": _text(_first(message.get("container-title"))),
        "container_abbreviation": _text(_first(message.get("short-container-title"))),
        "work_type": WORK_TYPES.get(message.get("type", ""), ""),
        "year": _year(message),
        "volume": _text(message.get("volume")),
        "issue": _text(message.get("issue")),
        "pages": _text(message.get("page") or message.get("article-number")),
        "issns": list(dict.fromkeys(message.get("ISSN") or [])),
        "isbns": list(dict.fromkeys(message.get("ISBN") or [])),
        "publisher": _text(message.get("publisher")),
        "abstract": plain_text(message.get("abstract") or ""),
    }
    authors = [_person(a) for a in message.get("author") or [] if a.get("family") or a.get("name")]
    return CrossrefRecord(fields, authors, message.get("reference-count"))


def plain_text(markup: str) -> str:
    """JATS or HTML markup as plain text: section titles become 'Title: ', tags go, spaces collapse."""
    markup = _SECTION_TITLE.sub(lambda m: f" {m.group(1).strip()}: ", markup)
    return _SPACE.sub(" ", html.unescape(_TAG.sub(" ", markup))).strip()


def _title(message: dict) -> str:
    title = _text(_first(message.get("title")))
    subtitle = _text(_first(message.get("subtitle")))
    return f"{title}: {subtitle}" if title and subtitle else title


def _text(value: object) -> str:
    if value is None:
        return ""
    # Markup like "<i>KRAS</i> / <i>NRAS</i>" leaves spaces around the slash that the printed title lacks.
    return re.sub(r"\s+/\s+", "/", plain_text(str(value)))


def _first(values: list | None) -> str:
    return values[0] if values else ""


def _year(message: dict) -> int | None:
    """The print year where there is one: that is the year reference lists cite."""
    for key in ("published-print", "issued", "published-online", "published"):
        parts = (message.get(key) or {}).get("date-parts") or [[None]]
        if parts[0] and parts[0][0]:
            return int(parts[0][0])
    return None


def _person(author: dict) -> Name:
    orcid = (author.get("ORCID") or "").rsplit("/", 1)[-1]
    return Name(family=author.get("family") or author["name"], given=author.get("given", ""), orcid=orcid)
