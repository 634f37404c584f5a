"""Journal sites on the OJS / eLibrary pattern: a "For citations:" line under the reference list."""

from __future__ import annotations

import re

from references.identifiers import first_doi
from references.people import Name

from .records import SourceRecord
from .refs import reference_list
from .text import (
    PageText,
    count_markers,
    expand_pages,
    find_line,
    first_substantial,
    issns_in,
    next_nonblank,
    paragraphs,
    person_family_first,
    person_natural,
    work_type,
)

KIND = "journal-site"
_CITATION_HEADINGS = (
    "For citations:",
    "For citation:",
    "\u0414\u043b\u044f \u0446\u0438\u0442\u0438\u0440\u043e\u0432\u0430\u043d\u0438\u044f:",
)
_MARKERS = frozenset(
    (
        *_CITATION_HEADINGS,
        "About the Authors",
        "About the Author",
        "JATS XML",
        "Advanced search",
        "Creative Commons License",
    )
)
_CITE_NAME_RE = re.compile(r"((?:[^\W\d_][\w'\u2019-]*\s)+?)((?:[^\W\d_]{1,2}\.\s?-?)+)(,\s|;\s|\s)")
_SOURCE_RE = re.compile(
    r"^(?P<head>.+)\.\s+(?P<year>\d{4})\s*;\s*(?P<volume>[^(:;\s]+)?\s*(?:\((?P<issue>[^)]+)\))?"
    r"\s*:\s*(?P<pages>[\w\u2010-\u2015-]+)"
)
_ABSTRACT_STOP = re.compile(
    r"^(?:For citations?:|Keywords:|Key words:"
    r"|(?:About the Authors?|Keywords|Key words|References|Full Text|Supplementary files|Article Metrics"
    r"|\u041a\u043b\u044e\u0447\u0435\u0432\u044b\u0435 \u0441\u043b\u043e\u0432\u0430)\s*:?$)"
)
_INITIALS_NAME_RE = re.compile(r"^(?:[^\W\d_]\.\s?-?)+\s?[^\W\d_][\w'\u2019-]+$")


def matches(page: PageText) -> bool:
    lines = page.lines
    has_citation = any(line.startswith(_CITATION_HEADINGS) for line in lines)
    return has_citation and count_markers(lines, _MARKERS, ("ISSN ", *_CITATION_HEADINGS)) >= 3


def parse(page: PageText) -> SourceRecord:
    lines = page.lines
    heading = _heading(lines)
    cite = _citation(lines)
    authors, rest = _cite_authors(cite)
    record = SourceRecord(page_kind=KIND, title=heading, authors=authors)
    _apply_source(record, rest, heading)
    record.work_type = work_type(record.title)
    references_at = find_line(lines, "References")
    record.doi = first_doi(cite) or first_doi(
        "\n".join(lines[:references_at] if references_at >= 0 else lines)
    )
    record.issns = issns_in("\n".join(line for line in lines if line.startswith("ISSN")))
    abstract_at = find_line(lines, ("Abstract", "Summary", "Annotation"))
    if abstract_at >= 0:
        record.abstract = "\n\n".join(paragraphs(lines, abstract_at + 1, _ABSTRACT_STOP))
    record.keywords = _keywords(lines)
    record.references = reference_list(lines)
    if not record.authors:
        record.authors = _about_authors(lines)
    return record


def _citation(lines: list[str]) -> str:
    """The line after 'For citations:', or the rest of that line when the citation follows on it."""
    for index, line in enumerate(lines):
        heading = next((h for h in _CITATION_HEADINGS if line.startswith(h)), "")
        if heading and line != heading:
            return line[len(heading) :].strip()
        if heading:
            after = next_nonblank(lines, index + 1)
            return lines[after] if after > 0 else ""
    return ""


def _heading(lines: list[str]) -> str:
    """The article title: the line just above the DOI link, else the first title-like line."""
    for index, line in enumerate(lines):
        if line.startswith(("https://doi.org/", "http://doi.org/", "DOI:", "doi:")):
            above = [candidate for candidate in lines[:index] if candidate]
            return above[-1] if above else ""
    return first_substantial(lines)


def _cite_authors(cite: str) -> tuple[list[Name], str]:
    """'Machneva E.B., Sergeenko K.A. Title...' -> the people and what follows them."""
    authors: list[Name] = []
    position = 0
    while match := _CITE_NAME_RE.match(cite, position):
        authors.append(person_family_first(match.group(1) + match.group(2)))
        position = match.end()
        if match.group(3).strip() not in (",", ";"):
            break
    return authors, cite[position:]


def _apply_source(record: SourceRecord, rest: str, heading: str) -> None:
    match = _SOURCE_RE.match(rest)
    if not match:
        return
    head = match.group("head")
    if heading and head.startswith(heading):
        record.container_title = head[len(heading) :].lstrip(". ")
    else:
        title, _, record.container_title = head.rpartition(". ")
        record.title = record.title or title
    record.year = int(match.group("year"))
    record.volume = match.group("volume") or ""
    record.issue = match.group("issue") or ""
    record.pages = expand_pages(match.group("pages"))


def _keywords(lines: list[str]) -> list[str]:
    at = find_line(lines, ("Keywords", "Key words"))
    after = next_nonblank(lines, at + 1) if at >= 0 else -1
    line = lines[after] if after >= 0 else ""
    if not line:
        line = next((x.partition(":")[2] for x in lines if x.startswith(("Keywords:", "Key words:"))), "")
    return [word.strip(" .") for word in re.split(r"[;,]", line) if word.strip(" .")]


def _about_authors(lines: list[str]) -> list[Name]:
    start = find_line(lines, ("About the Authors", "About the Author"))
    end = find_line(lines, "References", max(start, 0))
    if start < 0:
        return []
    block = lines[start + 1 : end if end > 0 else None]
    return [
        person_natural(line)
        for index, line in enumerate(block)
        if _INITIALS_NAME_RE.match(line) and (index == 0 or not block[index - 1])
    ]
