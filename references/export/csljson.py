"""CSL-JSON items (the input format of citeproc-js, citeproc-py, pandoc and Zotero), valid against csl-data.json."""

from __future__ import annotations

from typing import Any

from references.people import Name
from references.worktypes import (
    BOOK,
    BOOK_CHAPTER,
    CASE_REPORT,
    CLINICAL_TRIAL,
    CONFERENCE_ABSTRACT,
    JOURNAL_ARTICLE,
    OTHER,
    REPORT,
    REVIEW,
    WEB_PAGE,
)

from .records import PAGE_DASHES, ExportRecord, clean

# CSL's "review" is a review of another work, not a review article: reviews are journal articles here.
CSL_TYPES: dict[str, str] = {
    JOURNAL_ARTICLE: "article-journal",
    REVIEW: "article-journal",
    CASE_REPORT: "article-journal",
    CLINICAL_TRIAL: "article-journal",
    BOOK_CHAPTER: "chapter",
    BOOK: "book",
    REPORT: "report",
    CONFERENCE_ABSTRACT: "paper-conference",
    WEB_PAGE: "webpage",
    OTHER: "document",
}


def csl_name(person: Name) -> dict[str, str]:
    """{"family", "given"}; an organisation as {"literal"}, so processors do not invert or abbreviate it."""
    if person.is_organisation:
        return {"literal": clean(person.family)}
    name = {"family": clean(person.family)}
    if given := clean(person.given):
        name["given"] = given
    return name


def csl_item(record: ExportRecord, *, abstract: bool = False) -> dict[str, Any]:
    """One item; keys whose value would be empty are left out."""
    item: dict[str, Any] = {
        "id": record.key,
        "citation-key": record.key,
        "type": CSL_TYPES.get(record.work_type, "document"),
        "title": clean(record.title),
        "author": [csl_name(p) for p in record.authors if clean(p.family)],
        "editor": [csl_name(p) for p in record.editors if clean(p.family)],
        "container-title": clean(record.container_title),
        "issued": {"date-parts": [[record.year]]} if record.year is not None else None,
        "volume": clean(record.volume),
        "issue": clean(record.issue),
        "page": PAGE_DASHES.sub("-", clean(record.pages)),
        "publisher": clean(record.publisher),
        "DOI": clean(record.doi),
        "PMID": clean(record.pmid),
        "URL": clean(record.url),
        "ISSN": ", ".join(filter(None, map(clean, record.issns))),
        "ISBN": ", ".join(filter(None, map(clean, record.isbns))),
        "keyword": ", ".join(filter(None, map(clean, record.keywords))),
        "abstract": clean(record.abstract) if abstract else "",
    }
    return {key: value for key, value in item.items() if value}
