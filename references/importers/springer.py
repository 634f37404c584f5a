"""Springer Link chapter pages: the "Cite this chapter" line carries most of the record."""

from __future__ import annotations

import re

from references.identifiers import first_doi, normalize_doi
from references.people import Name

from .records import SourceRecord
from .refs import reference_list
from .text import (
    PageText,
    count_markers,
    find_line,
    first_substantial,
    next_nonblank,
    paragraphs,
    person_inverted,
    strip_bullet,
    work_type,
    year_in,
)

KIND = "springer-chapter"
_MARKERS = frozenset(
    (
        "Cite this chapter",
        "Access this chapter",
        "About this chapter",
        "Download citation",
        "Download references",
        "Editor information",
        "Publish with us",
    )
)
_FIELD_PREFIXES = ("Publisher Name:", "Print ISBN:", "Online ISBN:", "eBook Packages:")
_CITE_RE = re.compile(
    r"^(?P<authors>.+?) \((?P<year>\d{4})\)\. (?P<title>.+?)\.? In: "
    r"(?:(?P<editors>.+?) \((?:eds?|Hrsg)\.?\) )?(?P<rest>.+)$"
)
_INITIALS_PIECE_RE = re.compile(r" ((?:[^\W\d_]{1,3}+\.\s?+-?+)++)")
_DOI_URL_RE = re.compile(r"\s*https?://(?:dx\.)?doi\.org/\S+$")
_ISBN_RE = re.compile(r"^(?:Print |Online |eBook |Softcover |Hardcover )?ISBN:?\s*([\dXx][\d\sXx-]{8,})$")
_ABSTRACT_STOP = re.compile(
    r"^(?:This is a preview|Access this (?:chapter|article)|Similar content"
    r"|(?:Keywords|Introduction|References|Download references|Notes)\s*:?$"
    r"|\d+(?:\.\d+)*\s+[A-Z][^.]{0,80}$)"
)


def matches(page: PageText) -> bool:
    lines = page.lines
    return "Cite this chapter" in lines and count_markers(lines, _MARKERS, _FIELD_PREFIXES) >= 3


def parse(page: PageText) -> SourceRecord:
    lines = [strip_bullet(line) for line in page.lines]
    fields = _fields(lines)
    cite_at = next_nonblank(lines, find_line(lines, "Cite this chapter") + 1)
    cite = _CITE_RE.match(lines[cite_at]) if cite_at > 0 else None
    title = cite.group("title") if cite else first_substantial(lines)
    record = SourceRecord(
        page_kind=KIND,
        title=title,
        doi=normalize_doi(fields.get("DOI", "")) or first_doi(lines[cite_at] if cite_at > 0 else ""),
        work_type=work_type(title, chapter=True),
        publisher=fields.get("Publisher Name", ""),
        isbns=[m.group(1).replace(" ", "") for line in lines if (m := _ISBN_RE.match(line))],
        abstract=_abstract(lines),
        references=reference_list(lines),
    )
    if cite:
        _apply_cite(record, cite)
    if record.year is None:
        record.year = year_in(next((line for line in lines if line.startswith("\u00a9")), ""))
    record.doi = record.doi or first_doi("\n".join(lines))
    return record


def _fields(lines: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for line in lines:
        key, colon, value = line.partition(":")
        if colon and value.strip() and key in ("DOI", "Publisher Name"):
            found.setdefault(key, value.strip())
    return found


def _apply_cite(record: SourceRecord, cite: re.Match[str]) -> None:
    record.year = int(cite.group("year"))
    record.authors = _names(cite.group("authors"))
    record.authors_truncated = "et al" in cite.group("authors")
    record.editors = _names(cite.group("editors") or "")
    rest = _DOI_URL_RE.sub("", cite.group("rest")).rstrip(".")
    if record.publisher and rest.endswith(record.publisher):
        record.container_title = rest[: -len(record.publisher)].rstrip(". ")
    else:
        record.container_title, _, publisher = rest.rpartition(". ")
        record.publisher = record.publisher or publisher


def _names(printed: str) -> list[Name]:
    """'Breese, E.H., Sidhu, J.': a family name, then initials, between commas. Read piece by piece: one
    regex over the whole line backtracks across it (quadratic on long lines)."""
    pieces = printed.split(",")
    people: list[Name] = []
    index = 0
    while index + 1 < len(pieces):
        family, initials = pieces[index], _INITIALS_PIECE_RE.fullmatch(pieces[index + 1])
        if family and initials:
            people.append(person_inverted(f"{family.lstrip() or family[-1]}, {initials.group(1).strip()}"))
        index += 2 if family and initials else 1
    return people


def _abstract(lines: list[str]) -> str:
    start = find_line(lines, ("Abstract", "Summary"))
    return "\n\n".join(paragraphs(lines, start + 1, _ABSTRACT_STOP)) if start >= 0 else ""
