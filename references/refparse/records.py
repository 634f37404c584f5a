"""Plain records of parsed reference lists: no ORM, no HTTP."""

from __future__ import annotations

from dataclasses import dataclass, field

from references.people import Name
from references.worktypes import JOURNAL_ARTICLE


class Unreadable(ValueError):
    """The whole input cannot be read as a bibliographic file; the message says what it looks like, in a
    sentence for a curator ("an XML file that is not PubMed XML or EndNote XML")."""


@dataclass(frozen=True)
class Problem:
    """Something wrong with the input, said so a curator can find and fix it."""

    message: str
    line: int | None = None  # 1-based line of the input where the entry starts
    entry: str = ""  # the entry's key, number or first words

    def __str__(self) -> str:
        where = ", ".join(part for part in (f"line {self.line}" if self.line else "", self.entry) if part)
        return f"{where}: {self.message}" if where else self.message


@dataclass
class ParsedReference:
    raw: str  # the reference as given (for structured formats: a one-line rendering of the entry)
    line: int | None = None  # 1-based line of the input where it starts
    label: str = ""  # the printed number, BibTeX key or RIS ID
    authors: list[Name] = field(default_factory=list)
    et_al: bool = False
    editors: list[Name] = field(default_factory=list)
    title: str = ""
    container_title: str = ""  # journal, book or proceedings title
    year: int | None = None
    volume: str = ""
    issue: str = ""
    page_first: str = ""
    page_last: str = ""  # "" for a single page; abbreviated ranges expanded ("2246–56" -> "2256")
    elocator: str = ""  # e.g. "e27057", when the reference has no page range
    publisher: str = ""
    location: str = ""
    doi: str = ""  # lower-cased, no prefix
    pmid: str = ""
    pmcid: str = ""  # "PMC1234567"
    url: str = ""
    work_type: str = JOURNAL_ARTICLE
    # What records of database exports carry beyond a printed reference.
    abstract: str = ""  # structured abstracts keep their section labels: "BACKGROUND: ... METHODS: ..."
    journal_abbrev: str = ""  # "N Engl J Med"
    issns: list[str] = field(default_factory=list)
    isbns: list[str] = field(default_factory=list)
    date: str = ""  # as full as the record gives it: "2007", "2007-07", "2007-07-28"
    language: str = ""  # as the record names it: "eng", "English"
    keywords: list[str] = field(default_factory=list)
    mesh: list[str] = field(default_factory=list)  # "Precursor Cell Lymphoblastic Leukemia-Lymphoma/*therapy"
    publication_types: list[str] = field(default_factory=list)  # as printed: "Review", "Case Reports"
    problems: list[Problem] = field(default_factory=list)  # e.g. "no year found"

    @property
    def pages(self) -> str:
        return f"{self.page_first}-{self.page_last}" if self.page_last else self.page_first or self.elocator


@dataclass
class ParsedList:
    format: str  # text | bibtex | ris | medline | csljson | ids
    references: list[ParsedReference] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # entries that could not be read at all
