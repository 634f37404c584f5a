"""PubMed article pages, and the pieces every PubMed layout shares."""

from __future__ import annotations

import re
from collections.abc import Sequence

from references.identifiers import DOI_RE, first_doi
from references.people import Name

from .records import SourceRecord
from .refs import reference_list
from .text import (
    PageText,
    author_list,
    count_markers,
    expand_pages,
    find_line,
    first_substantial,
    looks_like_name,
    next_nonblank,
    paragraphs,
    person_natural,
    strip_bullet,
    work_type,
)

KIND = "pubmed"
_MARKERS = frozenset(
    (
        "PubMed Disclaimer",
        "Similar articles",
        "Cited by",
        "LinkOut - more resources",
        "Skip to main page content",
        "An official website of the United States government",
        "Full text links",
        "Conflict of interest statement",
    )
)
CITATION_RE = re.compile(
    r"^(?:\d+\.\s+)?(?P<journal>[^.;]*?)\.?\s*(?P<year>(?:1[89]|20)\d\d)"
    r"(?:\s+[A-Z][a-z]{2}(?:\s+\d{1,2})?(?:\s*-\s*(?:[A-Z][a-z]{2})?\s*\d{0,2})?)?"
    r"\s*;\s*(?P<volume>[^(:;.\s]+)?\s*(?:\((?P<issue>[^)]+)\))?(?:\s*:\s*(?P<pages>[^.;\s]+))?\.(?:\s|$)"
)
_SHORT_CITATION_RE = re.compile(
    r"^(?P<names>.+?)(?P<etal> et al)?\.\s+(?P<journal>[^.]+)\.\s+(?P<year>\d{4})\b"
)
_PMID_RE = re.compile(r"\bPMID:\s*(\d+)")
# Lists of other articles, each item with a PMID of its own.
_OTHER_ARTICLES = ("Similar articles", "Cited by", "References", "Comment in", "Erratum in")
_PUBLICATION_TYPES = frozenset(
    (
        "Review",
        "Systematic Review",
        "Meta-Analysis",
        "Case Reports",
        "Clinical Trial",
        "Randomized Controlled Trial",
        "Comparative Study",
        "Editorial",
        "Letter",
        "Comment",
        "Observational Study",
        "Multicenter Study",
        "Practice Guideline",
        "Guideline",
    )
)
ABSTRACT_STOP = re.compile(
    r"^(?:Keywords:|Copyright|\u00a9|PMID:|DOI:|Trial registration:|Comment in|Conflict of interest"
    r"|(?:Publication types|MeSH terms|Substances|PubMed Disclaimer|Grants and funding|Similar articles"
    r"|Cited by|References|Figures|Associated data|LinkOut - more resources)$)"
)
_LIST_HEADINGS = frozenset(
    ("Publication types", "MeSH terms", "Substances", "Grants and funding", "Keywords")
)
_NOT_TITLE_RE = re.compile(
    r"^(?:doi:|Epub|PMID|PMCID|Free (?:PMC )?article|Affiliations|Erratum|Comment)", re.I
)


def matches(page: PageText) -> bool:
    return count_markers(page.lines, _MARKERS, ("Access keys NCBI Homepage",)) >= 2


def parse(page: PageText) -> SourceRecord:
    lines = page.lines
    abstract_at = find_line(lines, "Abstract")
    header = lines[: abstract_at if abstract_at >= 0 else len(lines)]
    cited_at = next((i for i, line in enumerate(header) if CITATION_RE.match(line)), -1)
    title_at = next(
        (i for i in range(cited_at + 1, len(header)) if header[i] and not _skipped_in_header(header[i])), -1
    )
    title = header[title_at] if cited_at >= 0 and title_at >= 0 else first_substantial(header)
    record = SourceRecord(page_kind=KIND, title=title, doi=first_doi("\n".join(header)))
    if cited_at >= 0:
        apply_citation(record, CITATION_RE.match(header[cited_at]))
    _apply_authors(record, header, title_at)
    publication_types = [line for line in header if line in _PUBLICATION_TYPES]
    publication_types += bullet_list(lines, "Publication types")
    record.publication_types = list(dict.fromkeys(publication_types))  # the header and list repeat them
    record.work_type = work_type(record.title, record.publication_types)
    if abstract_at >= 0:
        record.abstract = "\n\n".join(paragraphs(lines, abstract_at + 1, ABSTRACT_STOP))
    fill_lists(record, lines)
    record.references = reference_list(lines)
    return record


def _skipped_in_header(line: str) -> bool:
    return bool(_NOT_TITLE_RE.match(line) or DOI_RE.search(line) or line in _PUBLICATION_TYPES)


def apply_citation(record: SourceRecord, match: re.Match[str] | None) -> None:
    """Fields of an NLM citation line: 'Lancet Oncol. 2013 May;14(6):e205-17.'"""
    if not match:
        return
    record.container_title = record.container_title or match.group("journal").strip()
    record.year = int(match.group("year"))
    record.volume = match.group("volume") or ""
    record.issue = match.group("issue") or ""
    record.pages = expand_pages(match.group("pages") or "")


def _apply_authors(record: SourceRecord, header: Sequence[str], title_at: int) -> None:
    after_title = next_nonblank(header, title_at + 1) if title_at >= 0 else -1
    names = author_list(header[after_title]) if after_title >= 0 else []
    if names:
        record.authors = [person_natural(name) for name in names]
        return
    for line in header:
        short = _SHORT_CITATION_RE.match(line)
        names = short.group("names").split(",") if short else []
        if short and (short.group("etal") or len(names) > 1) and all(map(looks_like_name, names)):
            record.authors = _short_names(short.group("names"))
            record.authors_truncated = bool(short.group("etal"))
            record.container_title = record.container_title or short.group("journal")
            record.year = record.year or int(short.group("year"))
            return


def _short_names(names: str) -> list[Name]:
    return [person_natural(name.strip()) for name in names.split(",") if name.strip()]


def bullet_list(lines: Sequence[str], heading: str) -> list[str]:
    """The items under a list heading, up to the first blank line after them."""
    at = find_line(lines, heading)
    if at < 0:
        return []
    items: list[str] = []
    for line in lines[at + 1 :]:
        if not line and items:
            break
        if line in _LIST_HEADINGS:
            break
        if line:
            items.append(strip_bullet(line))
    return items


def fill_lists(record: SourceRecord, lines: Sequence[str]) -> None:
    """Keywords, MeSH terms and PMID, printed the same way on every PubMed layout."""
    keywords = next((line[len("Keywords:") :] for line in lines if line.startswith("Keywords:")), "")
    record.keywords = [word.strip(" .") for word in keywords.split(";") if word.strip(" .")]
    record.mesh_terms = [re.sub(r"\s*\*\s*", " ", term).strip() for term in bullet_list(lines, "MeSH terms")]
    end = find_line(lines, _OTHER_ARTICLES)
    own = lines[:end] if end >= 0 else lines
    record.pmid = record.pmid or next((m.group(1) for line in own if (m := _PMID_RE.search(line))), "")
