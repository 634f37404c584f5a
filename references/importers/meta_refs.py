"""A page's reference list from its meta tags: Highwire `citation_reference` (and COinS, read into the same form).

Each tag is either `citation_title=...; citation_author=...; citation_journal_title=...` or a plain reference
string. Structured ones are written out Vancouver style, the form the reference parser reads best.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from references.identifiers import first_doi
from references.people import Name

from .records import Reference
from .text import clean, expand_pages, person_any, year_in

_FIELD_RE = re.compile(r"(?:^|;)\s*(citation_[a-z_]+)\s*=", re.IGNORECASE)
_INITIAL_RE = re.compile(r"(?:^|[\s.-])([^\W\d_])")
_MAX_VANCOUVER_AUTHORS = 6


def meta_references(values: Sequence[str]) -> list[Reference]:
    references = []
    for value in values:
        fields = highwire_fields(value)
        raw = vancouver(fields) if fields else clean(value)
        if raw:
            doi = first_doi(_first(fields, "citation_doi")) if fields else first_doi(raw)
            position = len(references) + 1
            references.append(Reference(position=position, raw=raw, label=str(position), doi=doi))
    return references


def highwire_fields(value: str) -> dict[str, list[str]]:
    """'citation_title=A; citation_author=B; citation_author=C' -> {name: [values]}; {} for a plain string.
    Only a `;` before another `citation_` name separates fields: titles may hold semicolons."""
    matches = list(_FIELD_RE.finditer(value))
    if not matches or value[: matches[0].start()].strip():
        return {}
    fields: dict[str, list[str]] = {}
    for match, end in zip(matches, [m.start() for m in matches[1:]] + [len(value)], strict=True):
        content = clean(value[match.end() : end]).rstrip(";").strip()
        if content:
            fields.setdefault(match.group(1).lower(), []).append(content)
    return fields


def vancouver(fields: dict[str, list[str]]) -> str:
    """'Witter RL, Salter DW. Title. Avian Dis. 1989;33(1):44-52. doi:10.2307/1591066'"""
    authors = _authors([person_any(name) for name in fields.get("citation_author", [])])
    title = _first(fields, "citation_title", "citation_book_title")
    container = _first(fields, "citation_journal_title", "citation_inbook_title", "citation_conference_title")
    if container == title:
        container = ""
    source = _source(fields)
    doi = first_doi(_first(fields, "citation_doi"))
    parts = [authors, title, container or _first(fields, "citation_publisher"), source]
    text = " ".join(f"{part.rstrip('.')}." for part in parts if part)
    return f"{text} doi:{doi}" if doi else text


def _authors(people: list[Name]) -> str:
    names = [f"{person.family} {''.join(_INITIAL_RE.findall(person.given))}".strip() for person in people]
    if len(names) > _MAX_VANCOUVER_AUTHORS:
        names = [*names[:_MAX_VANCOUVER_AUTHORS], "et al"]
    return ", ".join(names)


def _source(fields: dict[str, list[str]]) -> str:
    """'1989;33(1):44-52'"""
    year = year_in(_first(fields, "citation_year", "citation_publication_date", "citation_date"))
    volume, issue = _first(fields, "citation_volume"), _first(fields, "citation_issue")
    pages = _pages(fields)
    located = volume + (f"({issue})" if issue else "") + (f":{pages}" if pages else "")
    if year and located:
        return f"{year};{located}"
    return str(year or "") or located


def _pages(fields: dict[str, list[str]]) -> str:
    first = _first(fields, "citation_first_page", "citation_firstpage")
    last = _first(fields, "citation_last_page", "citation_lastpage")
    if first and last and first != last:
        return expand_pages(f"{first}-{last}")
    return first or expand_pages(_first(fields, "citation_pages"))


def _first(fields: dict[str, list[str]], *names: str) -> str:
    return next((values[0] for name in names if (values := fields.get(name))), "")
