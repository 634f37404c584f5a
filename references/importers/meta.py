"""Highwire (citation_*), Dublin Core and PRISM meta tags (and COinS, read into Highwire names by html.py):
they fill gaps in the text, and win for DOI and title."""

from __future__ import annotations

import re

from references.identifiers import first_doi
from references.people import Name
from references.worktypes import JOURNAL_ARTICLE

from .meta_refs import meta_references
from .records import SourceRecord
from .text import PageText, clean, expand_pages, issns_in, person_any, unique, work_type, year_in

_DOI_NAMES = (
    "citation_doi",
    "dc.identifier",
    "dc.identifier.doi",
    "dcterms.identifier",
    "prism.doi",
    "bepress_citation_doi",
)
_TITLE_NAMES = ("citation_title", "dc.title", "dcterms.title")
# Each a whole author list: the first name present gives it (eLife prints its authors as dc.contributor).
_AUTHOR_NAMES = ("citation_author", "dc.creator", "dcterms.creator", "dc.contributor", "dcterms.contributor")
_CONTAINER_NAMES = (
    "citation_journal_title",
    "citation_book_title",
    "citation_inbook_title",
    "prism.publicationname",
    "dc.source",  # Open Journal Systems: the journal
)
_DATE_NAMES = (
    "citation_publication_date",
    "citation_date",
    "citation_online_date",
    "dc.date",
    "dc.date.issued",
    "dcterms.issued",
    "dcterms.date",
    "dcterms.created",
    "prism.publicationdate",
    "prism.coverdate",
)
_ABSTRACT_NAMES = ("citation_abstract", "dcterms.abstract")
_ISSN_NAMES = ("citation_issn", "dc.source.issn", "prism.issn", "prism.eissn")
_ISBN_RE = re.compile(r"[\dXx-]{10,17}")
_URL_RE = re.compile(r"^(?:https?:|www\.)", re.IGNORECASE)


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
    record.authors = record.authors or meta_authors(page)
    record.container_title = record.container_title or _container(page)
    record.year = record.year or year_in(page.meta_first(*_DATE_NAMES))
    record.volume = record.volume or page.meta_first("citation_volume", "prism.volume", "dc.source.volume")
    record.issue = record.issue or page.meta_first("citation_issue", "prism.number", "dc.source.issue")
    record.pages = record.pages or _pages(page)
    record.issns = record.issns or issns_in(
        " ".join(v for name in _ISSN_NAMES for v in page.meta.get(name, []))
    )
    record.isbns = record.isbns or unique(_ISBN_RE.findall(" ".join(page.meta.get("citation_isbn", []))))
    record.publisher = record.publisher or page.meta_first(
        "citation_publisher", "dc.publisher", "dcterms.publisher"
    )
    record.keywords = record.keywords or _keywords(page)
    record.abstract = record.abstract or page.meta_first(*_ABSTRACT_NAMES)
    record.pmid = record.pmid or page.meta_first("citation_pmid")
    references = meta_references(page.meta.get("citation_reference", []))
    # The printed list is kept unless the tags hold more: a page often prints only part of its list.
    if len(references) > len(record.references):
        record.references = references
    if record.work_type == JOURNAL_ARTICLE:
        record.work_type = work_type(record.title)


def meta_authors(page: PageText) -> list[Name]:
    names = next((values for name in _AUTHOR_NAMES if (values := page.meta.get(name))), [])
    if not names and (listed := page.meta_first("citation_authors")):
        names = listed.split(";")
    return [person_any(name) for name in names if clean(name)]


def _container(page: PageText) -> str:
    return next(
        (value for name in _CONTAINER_NAMES for value in page.meta.get(name, ()) if not _URL_RE.match(value)),
        "",
    )


def _pages(page: PageText) -> str:
    first, last = page.meta_first("citation_firstpage"), page.meta_first("citation_lastpage")
    if first and last and first != last:
        return expand_pages(f"{first}-{last}")
    return clean(first) or expand_pages(page.meta_first("citation_pages", "dc.identifier.pagenumber"))


def _keywords(page: PageText) -> list[str]:
    values = page.meta.get("citation_keywords", [])
    if len(values) == 1:
        values = re.split(r";" if ";" in values[0] else r",", values[0])
    return unique(clean(word) for word in values)
