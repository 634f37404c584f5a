"""One-line NLM (Vancouver) rendering of a parsed reference, used as `raw` for structured entries."""

from __future__ import annotations

import re

from references.people import Name
from references.refparse.records import ParsedReference
from references.worktypes import (
    BOOK,
    BOOK_CHAPTER,
    CASE_REPORT,
    CLINICAL_TRIAL,
    CONFERENCE_ABSTRACT,
    JOURNAL_ARTICLE,
    REVIEW,
)

# NLM lists the first six authors, then "et al."
_MAX_AUTHORS = 6
_INITIAL_RE = re.compile(r"(?:^|[\s.\-])([^\W\d_])")


def render_reference(ref: ParsedReference) -> str:
    """'Pieters R, Schrappe M. A treatment protocol ... Lancet. 2007;370(9583):240-250. doi:10.1016/...'"""
    parts = [_authors(ref), _sentence(ref.title), _source(ref), _identifier(ref)]
    return " ".join(part for part in parts if part)


def nlm_name(name: Name) -> str:
    """'Pieters R', 'Mejstríková E', 'Frank HS'; a group name as it is."""
    initials = "".join(letter.upper() for letter in _INITIAL_RE.findall(name.given))
    return f"{name.family} {initials}".strip()


def _name_list(names: list[Name], et_al: bool) -> str:
    printed = [nlm_name(name) for name in names[:_MAX_AUTHORS]]
    if et_al or len(names) > _MAX_AUTHORS:
        printed.append("et al")
    return ", ".join(printed)


def _authors(ref: ParsedReference) -> str:
    return _sentence(_name_list(ref.authors, ref.et_al)) if ref.authors else ""


def _sentence(text: str) -> str:
    return f"{text}." if text and text[-1] not in ".?!" else text


def _source(ref: ParsedReference) -> str:
    if ref.work_type in (JOURNAL_ARTICLE, REVIEW, CASE_REPORT, CLINICAL_TRIAL):
        return _journal_source(ref)
    if ref.work_type == BOOK:
        return _publication(ref)
    if ref.work_type in (BOOK_CHAPTER, CONFERENCE_ABSTRACT):
        return _part_of_book(ref)
    return " ".join(part for part in (_sentence(ref.container_title), _publication(ref), _pages(ref)) if part)


def _journal_source(ref: ParsedReference) -> str:
    """'Lancet. 2007;370(9583):240-250.'"""
    volume = ref.volume + (f"({ref.issue})" if ref.issue else "")
    citation = str(ref.year or "")
    if volume:
        citation = f"{citation};{volume}" if citation else volume
    if ref.pages:
        citation = f"{citation}:{ref.pages}" if citation else ref.pages
    return " ".join(part for part in (_sentence(ref.container_title), _sentence(citation)) if part)


def _publication(ref: ParsedReference) -> str:
    """'New York: Alan R Liss; 1987.'"""
    publisher = ": ".join(part for part in (ref.location, ref.publisher) if part)
    return _sentence("; ".join(part for part in (publisher, str(ref.year or "")) if part))


def _part_of_book(ref: ParsedReference) -> str:
    """'In: Heim S, editor. Cancer cytogenetics. New York: Liss; 1987. p. 12-30.'"""
    editors = ""
    if ref.editors:
        noun = "editors" if len(ref.editors) > 1 else "editor"
        editors = f"{_name_list(ref.editors, et_al=False)}, {noun}."
    book = " ".join(part for part in (editors, _sentence(ref.container_title)) if part)
    parts = (f"In: {book}" if book else "", _publication(ref), _pages(ref))
    return " ".join(part for part in parts if part)


def _pages(ref: ParsedReference) -> str:
    return f"p. {ref.pages}." if ref.pages else ""


def _identifier(ref: ParsedReference) -> str:
    if ref.doi:
        return f"doi:{ref.doi}"
    if ref.pmid:
        return f"PMID: {ref.pmid}."
    if ref.pmcid:
        return f"PMCID: {ref.pmcid}."
    return f"Available from: {ref.url}" if ref.url else ""
