"""Any other page: a DOI anywhere, a title, the paragraph under an Abstract or Summary heading, and a
numbered reference list if there is one."""

from __future__ import annotations

import re

from references.identifiers import first_doi

from .meta import meta_doi, meta_title
from .records import SourceRecord
from .refs import reference_list
from .text import PageText, first_substantial, work_type

KIND = "generic"
_HEADING_RE = re.compile(r"^(?:abstract|summary|резюме|аннотация)(?:\s*[:.]\s*(.*)|\s*)$", re.IGNORECASE)
_TITLE_SUFFIX_RE = re.compile(r"\s+\|\s+[^|]+$")  # "Article title | Site name"
_MAX_HEADING_WORDS = 5


def parse(page: PageText) -> SourceRecord:
    title = (
        meta_title(page)
        or _TITLE_SUFFIX_RE.sub("", page.html_title)
        or page.h1
        or first_substantial(page.lines)
    )
    return SourceRecord(
        page_kind=KIND,
        title=title,
        doi=meta_doi(page) or first_doi("\n".join(page.lines)),
        work_type=work_type(title),
        abstract=_abstract(page.lines),
        references=reference_list(page.lines),
    )


def _abstract(lines: list[str]) -> str:
    for index, line in enumerate(lines):
        match = _HEADING_RE.match(line)
        if not match:
            continue
        if match.group(1):
            return match.group(1)
        paragraph = _paragraph_after(lines, index + 1)
        # An empty Abstract section is followed by the next heading ("Results"), not by an abstract.
        if len(paragraph.split()) > _MAX_HEADING_WORDS or paragraph.endswith((".", "!", "?")):
            return paragraph
    return ""


def _paragraph_after(lines: list[str], start: int) -> str:
    paragraph: list[str] = []
    for following in lines[start:]:
        if following:
            paragraph.append(following)
        elif paragraph:
            break
    return " ".join(paragraph)
