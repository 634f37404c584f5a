"""Field helpers shared by the structured readers: names, pages, years, identifiers, finishing touches."""

from __future__ import annotations

import re
from urllib.parse import unquote

from references.identifiers import DOI_RE, normalize_doi
from references.importers.text import clean, expand_pages, person_any, year_in
from references.people import Name
from references.refparse.records import ParsedReference, Problem

from .render import render_reference

_RANGE_RE = re.compile(r"^([^\s\-,;]+)-([^\s\-,;]+)")
_ELOCATOR_RE = re.compile(r"^e\d+$", re.IGNORECASE)
_PMCID_RE = re.compile(r"\bPMC\d+\b", re.IGNORECASE)
_DOI_URL_RE = re.compile(r"^https?://(?:dx\.)?doi\.org/", re.IGNORECASE)


def split_pages(value: str) -> tuple[str, str, str]:
    """(page_first, page_last, elocator): '240-50' -> ('240', '250', ''), 'e27057' -> ('', '', 'e27057')."""
    pages = expand_pages(value)
    match = _RANGE_RE.match(pages)
    if match:
        return match.group(1), match.group(2), ""
    if _ELOCATOR_RE.match(pages):
        return "", "", pages
    return pages, "", ""


def set_pages(ref: ParsedReference, value: str) -> None:
    ref.page_first, ref.page_last, ref.elocator = split_pages(value)


def year_from(value: object) -> int | None:
    return year_in(str(value)) if value not in (None, "") else None


def doi_from(value: str) -> str:
    """A DOI from a DOI field or a doi.org URL (URL-encoded or not); "" when there is none."""
    value = unquote(value) if _DOI_URL_RE.match(value.strip()) else value
    match = DOI_RE.search(value)
    return normalize_doi(match.group(0)) if match else ""


def doi_from_url(url: str) -> str:
    """The DOI of a doi.org URL; other URLs (publisher pages) may carry more than the DOI."""
    return doi_from(url) if _DOI_URL_RE.match(url.strip()) else ""


def pmcid_from(value: str) -> str:
    match = _PMCID_RE.search(value)
    return match.group(0).upper() if match else ""


def name_from(printed: str) -> Name:
    """'Pieters, Rob', 'Pieters R' or 'Rob Pieters' as a Name."""
    person = person_any(printed)
    return Name(family=person.family, given=person.given)


def title_text(value: str) -> str:
    """One line, without the closing period the renderer adds back."""
    title = clean(value)
    return title[:-1].rstrip() if title.endswith(".") else title


def finish(ref: ParsedReference, entry: str) -> ParsedReference:
    """Flag a missing title, then set `raw` to the one-line rendering."""
    if not ref.title:
        ref.problems.append(Problem("entry has no title", line=ref.line, entry=entry))
    ref.raw = render_reference(ref)
    return ref
