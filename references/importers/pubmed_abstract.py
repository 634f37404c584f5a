"""PubMed's abstract view: title, citation line, abstract, then publication types and MeSH terms."""

from __future__ import annotations

import re

from references.identifiers import first_doi

from .pubmed import ABSTRACT_STOP, CITATION_RE, apply_citation, bullet_list, fill_lists
from .records import SourceRecord
from .text import PageText, author_list, count_markers, find_line, paragraphs, person_any, work_type

KIND = "pubmed-abstract"
_MARKERS = frozenset(("Publication types", "MeSH terms", "Substances", "Grants and funding", "Abstract"))
_TOP_LINES = 8
_FRONT_MATTER_RE = re.compile(r"^(?:Author information|\(\d+\)|Erratum|Comment (?:in|on)|Update (?:of|in))")


def matches(page: PageText) -> bool:
    return _citation_at(page.lines) >= 0 and count_markers(page.lines, _MARKERS, ("PMID:", "Keywords:")) >= 1


def _citation_at(lines: list[str]) -> int:
    filled = [index for index, line in enumerate(lines) if line][:_TOP_LINES]
    return next((index for index in filled if CITATION_RE.match(lines[index])), -1)


def parse(page: PageText) -> SourceRecord:
    lines = page.lines
    cited_at = _citation_at(lines)
    before = [index for index in range(cited_at) if lines[index]]
    # The web view prints the title above the citation, the text export below it.
    after = [index for index in range(cited_at + 1, len(lines)) if lines[index]]
    title_at = before[-1] if before else (after[0] if after else -1)
    record = SourceRecord(
        page_kind=KIND,
        title=lines[title_at].strip() if title_at >= 0 else "",
        doi=first_doi(lines[cited_at]),
    )
    apply_citation(record, CITATION_RE.match(lines[cited_at]))
    body_at = max(cited_at, title_at) + 1
    names_at = next((index for index in after if index >= body_at), -1)
    names = author_list(lines[names_at]) if names_at >= 0 else []
    if names:
        record.authors = [person_any(name) for name in names]
        body_at = names_at + 1
    record.abstract = _abstract(lines, body_at)
    record.publication_types = list(dict.fromkeys(bullet_list(lines, "Publication types")))
    record.work_type = work_type(record.title, record.publication_types)
    fill_lists(record, lines)
    record.doi = record.doi or first_doi("\n".join(lines[: body_at + 1]))
    return record


def _abstract(lines: list[str], start: int) -> str:
    heading = find_line(lines, "Abstract", start)
    found = paragraphs(lines, heading + 1 if heading >= 0 else start, ABSTRACT_STOP)
    return "\n\n".join(paragraph for paragraph in found if not _FRONT_MATTER_RE.match(paragraph))
