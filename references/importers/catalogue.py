"""Library catalogue records (VuFind and alike): 'Main Authors:', 'Published:', 'Summary:' fields."""

from __future__ import annotations

import re
from collections.abc import Sequence

from references.identifiers import DOI_RE, first_doi
from references.people import Name

from .records import SourceRecord
from .text import (
    PageText,
    clean,
    count_markers,
    first_substantial,
    issns_in,
    person_any,
    person_natural,
    unique,
    work_type,
    year_in,
)

KIND = "library-catalogue"
_KEYS = (
    "Main Authors",
    "Main Author",
    "Other Authors",
    "Corporate Author",
    "Format",
    "Language",
    "Published",
    "Published in",
    "Edition",
    "Series",
    "Subjects",
    "Online Access",
    "Tags",
    "Summary",
    "Item Description",
    "Physical Description",
    "ISBN",
    "ISSN",
    "DOI",
    "Notes",
    "Note",
)
_FIELD_RE = re.compile(rf"^({'|'.join(sorted(_KEYS, key=len, reverse=True))}):\s*(.*)$")
_MARKERS = frozenset(("Bibliographic Details", "Saved in:", "Full description", "Description", "Staff View"))
_ROLE_RE = re.compile(r"\s*\((?:Author|Editor|Contributor|[a-z]+\.?)\)\s*,?\s*")
_YEAR_ONLY_RE = re.compile(r"\b(?:1[89]|20)\d\d\b\.?$")
_ISBN_RE = re.compile(r"\b(?:97[89][\d-]{10,14}|\d[\d-]{8,11}[\dXx])\b")


def matches(page: PageText) -> bool:
    prefixes = tuple(f"{key}:" for key in _KEYS)
    return count_markers(page.lines, _MARKERS, prefixes) >= 4


def parse(page: PageText) -> SourceRecord:
    lines = page.lines
    fields = _fields(lines)
    title = _title(lines)
    publisher, year = _publisher_and_year(" ".join(fields.get("Published", [])))
    descriptions = "\n".join(fields.get("Item Description", []) + fields.get("DOI", []))
    authors = fields.get("Main Authors", []) + fields.get("Main Author", []) + fields.get("Other Authors", [])
    return SourceRecord(
        page_kind=KIND,
        title=title,
        doi=first_doi(descriptions) or first_doi("\n".join(lines)),
        work_type=work_type(title),
        authors=_people(" ".join(authors)),
        container_title=clean(" ".join(fields.get("Published in", []))),
        year=year,
        publisher=publisher,
        issns=issns_in(" ".join(fields.get("ISSN", [])) + "\n" + _without_dois(descriptions)),
        isbns=unique(_ISBN_RE.findall(" ".join(fields.get("ISBN", [])))),
        abstract="\n\n".join(fields.get("Summary", [])),
    )


def _fields(lines: Sequence[str]) -> dict[str, list[str]]:
    """Values per field; lines without a field name continue the field above."""
    fields: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in lines:
        match = _FIELD_RE.match(line)
        if match:
            current = fields.setdefault(match.group(1), [])
            value = match.group(2)
        else:
            value = line
        if not line:
            current = None
        elif current is not None and value:
            current.append(value)
    return fields


def _publisher_and_year(published: str) -> tuple[str, int | None]:
    """'The Korean Society of Pediatric Hematology-Oncology, 2024-04-01T00:00:00Z.'"""
    publisher, comma, date = published.rpartition(",")
    if not comma or year_in(date) is None:
        publisher, date = published, published
    return clean(_YEAR_ONLY_RE.sub("", publisher)).rstrip(".,: "), year_in(date)


def _title(lines: Sequence[str]) -> str:
    """The line above the teaser, 'Full description' and 'Saved in:' that sit over the details table."""
    anchor = next((i for i, line in enumerate(lines) if line in ("Bibliographic Details", "Saved in:")), -1)
    for index in range(anchor - 1, -1, -1):
        line = lines[index]
        if line and line != "Saved in:" and not line.endswith(("...", "\u2026", "Full description")):
            return line
    return first_substantial(lines)


def _people(printed: str) -> list[Name]:
    names = [name for name in _ROLE_RE.split(printed) if name.strip(" ,;")]
    if len(names) == 1 and ";" in names[0]:
        names = names[0].split(";")
    person = person_natural if all("," not in name for name in names) else person_any
    return [person(name.strip(" ,;")) for name in names]


def _without_dois(text: str) -> str:
    return DOI_RE.sub("", text)
