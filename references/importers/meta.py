"""Highwire (citation_*) and Dublin Core meta tags: they fill gaps in the text, and win for DOI and title."""

from __future__ import annotations

import re

from .records import JOURNAL_ARTICLE, SourceRecord
from .text import PageText, clean, expand_pages, first_doi, issns_in, person_any, unique, work_type, year_in

_DOI_NAMES = ("citation_doi", "dc.identifier", "dcterms.identifier", "prism.doi", "bepress_citation_doi")
_TITLE_NAMES = ("citation_title", "dc.title", "dcterms.title")
_CONTAINER_NAMES = (
    "citation_journal_title",
    "citation_book_title",
    "citation_inbook_title",
    "prism.publicationname",
)
_DATE_NAMES = (
    "citation_publication_date",
    "citation_date",
    "citation_online_date",
    "dc.date",
    "dcterms.issued",
)
_ABSTRACT_NAMES = ("citation_abstract", "dcterms.abstract")
_ISBN_RE = re.compile(r"[\dXx-]{10,17}")


def meta_doi(page: PageText) -> str:
    return next(
        (doi for name in _DOI_NAMES for value in page.meta.get(name, ()) if (doi := first_doi(value))), ""
    )


def meta_title(page: PageText) -> str:
    return page.meta_first(*_TITLE_NAMES)


def apply_meta(record: SourceRecord, page: PageText) -> None:
    if not page.meta:
        return
    record.doi = meta_doi(page) or record.doi
    record.title = meta_title(page) or record.title
    record.authors = record.authors or [person_any(name) for name in page.meta.get("citation_author", [])]
    record.container_title = record.container_title or page.meta_first(*_CONTAINER_NAMES)
    record.year = record.year or year_in(page.meta_first(*_DATE_NAMES))
    record.volume = record.volume or page.meta_first("citation_volume", "prism.volume")
    record.issue = record.issue or page.meta_first("citation_issue", "prism.number")
    record.pages = record.pages or _pages(page)
    record.issns = record.issns or issns_in(" ".join(page.meta.get("citation_issn", [])))
    record.isbns = record.isbns or unique(_ISBN_RE.findall(" ".join(page.meta.get("citation_isbn", []))))
    record.publisher = record.publisher or page.meta_first("citation_publisher", "dc.publisher")
    record.keywords = record.keywords or _keywords(page)
    record.abstract = record.abstract or page.meta_first(*_ABSTRACT_NAMES)
    record.pmid = record.pmid or page.meta_first("citation_pmid")
    if record.work_type == JOURNAL_ARTICLE:
        record.work_type = work_type(record.title)


def _pages(page: PageText) -> str:
    first, last = page.meta_first("citation_firstpage"), page.meta_first("citation_lastpage")
    if first and last and first != last:
        return expand_pages(f"{first}-{last}")
    return clean(first)


def _keywords(page: PageText) -> list[str]:
    values = page.meta.get("citation_keywords", [])
    if len(values) == 1:
        values = re.split(r";" if ";" in values[0] else r",", values[0])
    return unique(clean(word) for word in values)
