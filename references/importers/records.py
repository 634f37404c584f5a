"""Plain records that the page importers produce: no ORM, no HTTP."""

from __future__ import annotations

from dataclasses import dataclass, field

from references.people import Name
from references.worktypes import JOURNAL_ARTICLE


class PageRejected(ValueError):
    """The input cannot be imported; the message says why, in words for a curator."""


@dataclass(frozen=True)
class Reference:
    position: int  # 1-based, in printed order
    raw: str  # the reference as printed, without link words ("Google Scholar", "- DOI - PMC - PubMed")
    label: str = ""  # the printed number, "" when the list is not numbered
    doi: str = ""  # lower-cased, when the string carries one


@dataclass
class SourceRecord:
    page_kind: str  # springer-chapter | journal-site | pubmed | library-catalogue | pubmed-abstract | generic
    title: str
    doi: str = ""  # lower-cased, no "https://doi.org/" prefix
    pmid: str = ""
    work_type: str = JOURNAL_ARTICLE
    authors: list[Name] = field(default_factory=list)
    authors_truncated: bool = False  # the page printed "et al." instead of the full list
    editors: list[Name] = field(default_factory=list)
    container_title: str = ""  # journal or book title
    year: int | None = None
    volume: str = ""
    issue: str = ""
    pages: str = ""  # "158-167", "e205-e217": abbreviated ranges expanded, hyphen-separated
    issns: list[str] = field(default_factory=list)
    isbns: list[str] = field(default_factory=list)
    publisher: str = ""
    abstract: str = ""
    keywords: list[str] = field(default_factory=list)
    mesh_terms: list[str] = field(default_factory=list)
    publication_types: list[str] = field(default_factory=list)  # as printed: "Review", "Case Reports"
    references: list[Reference] = field(default_factory=list)


@dataclass(frozen=True)
class DecodedPage:
    text: str  # the file's contents decoded; HTML stays HTML
    encoding: str  # "utf-8", "windows-1251", ...
    file_format: str  # "text" | "html"
