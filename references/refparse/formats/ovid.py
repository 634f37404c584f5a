"""Ovid MEDLINE / Embase exports. Records start with a number in angle brackets ('<1>', '<3001. >') and come
in one of two layouts:
- tagged ('Reference Manager/Medlars'): 'VN  - Ovid Technologies', 'TI  - ...', continuation lines indented;
- labelled ('Citation (Complete)' display): a field name alone on a line ('Authors', 'Digital Object
  Identifier') followed by its values, indented, one per line.
Both become the same tags, so one function reads a record."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from references.people import Name
from references.refparse.records import ParsedList, ParsedReference
from references.worktypes import BOOK, BOOK_CHAPTER, JOURNAL_ARTICLE, from_publication_types

from .fields import doi_from, finish, name_from, set_pages, title_text, year_from
from .values import clean, isbns_from, iso_date, issns_from, split_list

RECORD_START_RE = re.compile(r"^<\s*(\d+)\.?\s*>\s*$")
_TAG_RE = re.compile(r"^([A-Z][A-Z0-9]{1,3}) *- ?(.*)$")
# The labelled layout's field names (lower-cased), as the tags the tagged layout gives the same field.
_LABELS = {
    "database": "DB",
    "unique identifier": "UI",
    "accession number": "AN",
    "embase accession number": "AN",
    "pubmed id": "PM",
    "medline pmid": "PM",
    "pmid": "PM",
    "pubmed central identifier (pmcid)": "PMC",
    "pmcid": "PMC",
    "authors": "AU",
    "author": "AU",
    "authors full name": "FA",
    "group author": "CN",
    "corporate author": "CN",
    "institution": "IN",
    "title": "TI",
    "book title": "BT",
    "source": "SO",
    "journal name": "JN",
    "journal title": "JN",
    "abbreviated source": "JA",
    "nlm journal name": "JA",
    "volume": "VI",
    "issue": "IP",
    "issue/part": "IP",
    "page": "PG",
    "pages": "PG",
    "issn": "IS",
    "issn print": "IS",
    "issn electronic": "ES",
    "issn linking": "IL",
    "isbn": "IB",
    "publisher": "PB",
    "date of publication": "DP",
    "year of publication": "YR",
    "abstract": "AB",
    "language": "LG",
    "publication type": "PT",
    "document type": "PT",
    "mesh subject headings": "MH",
    "subject headings": "MH",
    "emtree heading": "MH",
    "keyword heading": "KW",
    "keywords": "KW",
    "author keywords": "KW",
    "digital object identifier": "DO",
    "link to the ovid full text or citation": "XL",
}
_INDENT_RE = re.compile(r"^\s+\S")
_WRAPPED = frozenset(("TI", "SO", "AB", "JN", "BT", "IN", "JA"))


@dataclass
class _Record:
    line: int
    tags: dict[str, list[str]] = field(default_factory=dict)
    last_tag: str = ""
    wrapped: list[str] = field(default_factory=list)  # the last value's wrapped lines, joined once

    def add(self, tag: str, value: str) -> None:
        self.join_wrapped()
        self.tags.setdefault(tag, []).append(clean(value))
        self.last_tag = tag

    def extend(self, value: str) -> None:
        """A wrapped value: the tagged layout's continuation line."""
        if self.last_tag and self.tags.get(self.last_tag):
            self.wrapped.append(value)

    def join_wrapped(self) -> None:
        if self.wrapped:
            values = self.tags[self.last_tag]
            values[-1] = clean(" ".join([values[-1], *self.wrapped]))
            self.wrapped = []

    def first(self, *tags: str) -> str:
        return next((value for tag in tags for value in self.tags.get(tag, []) if value), "")

    def all(self, *tags: str) -> list[str]:
        return [value for tag in tags for value in self.tags.get(tag, []) if value]


def parse_ovid(text: str) -> ParsedList:
    return ParsedList(format="ovid", references=[_reference(record) for record in _records(text)])


def _records(text: str) -> list[_Record]:
    records: list[_Record] = []
    labelled = False
    for number, line in enumerate(text.splitlines(), start=1):
        if RECORD_START_RE.match(line):
            records.append(_Record(line=number))
            labelled = False
            continue
        if not records or not line.strip():
            continue
        record = records[-1]
        tag_match = None if labelled else _TAG_RE.match(line)
        if tag_match:
            record.add(tag_match.group(1), tag_match.group(2))
        elif not _INDENT_RE.match(line) and clean(line).lower() in _LABELS:
            labelled = True
            record.join_wrapped()
            record.last_tag = _LABELS[clean(line).lower()]
            record.tags.setdefault(record.last_tag, [])
        elif not _INDENT_RE.match(line) and labelled:
            record.join_wrapped()
            record.last_tag = ""  # a field this reader does not use
        elif labelled and record.last_tag:
            _add_labelled(record, line)
        elif _INDENT_RE.match(line):
            record.extend(line)
    for record in records:
        record.join_wrapped()
    return records


def _add_labelled(record: _Record, line: str) -> None:
    """Lists (authors, headings) give one value a line; a title or an abstract wraps over several."""
    if record.last_tag in _WRAPPED and record.tags[record.last_tag]:
        record.extend(line)
    elif record.last_tag in ("AU", "FA") and ";" in line:
        for name in line.split(";"):
            record.add(record.last_tag, name)
    else:
        record.add(record.last_tag, line)


def _reference(record: _Record) -> ParsedReference:
    ref = ParsedReference(raw="", line=record.line)
    ref.authors = _authors(record)
    ref.title = title_text(record.first("TI"))
    source = record.first("SO")
    ref.container_title = clean(record.first("JN", "JT")) or _journal_of(source)
    ref.journal_abbrev = clean(record.first("JA", "TA", "AS"))
    _read_numbers(ref, record, source)
    ref.doi = doi_from(record.first("DO", "DI"))
    _read_identifiers(ref, record)
    _read_description(ref, record)
    if ref.work_type in (BOOK, BOOK_CHAPTER):
        ref.publisher = clean(record.first("PB"))
        if ref.work_type == BOOK_CHAPTER:
            ref.container_title = clean(record.first("BT")) or ref.container_title
    return finish(ref, entry=ref.label)


def _authors(record: _Record) -> list[Name]:
    """Full names (FA) when given, else AU ('Behan L.', 'Werner, S. M. [Author, Reprint Author]')."""
    printed = record.all("FA") or record.all("AU")
    names = [name_from(_without_roles(value)) for value in printed]
    return names + [Name(family=value, collective=True) for value in record.all("CN")]


def _without_roles(printed: str) -> str:
    return printed.split("[", 1)[0].strip()


# "Lancet. 370(9583):240-50, 2007 Jul 21." / "Forest Ecology & Management. 201(2-3):327-334, November 2004."
_SOURCE_NUMBERS_RE = re.compile(r"\.\s+(\d[\w-]*)\s*(?:\(([^)]*)\))?\s*(?::\s*([\w-]+))?")


def _journal_of(source: str) -> str:
    return clean(source.split(". ", 1)[0]) if ". " in source else ""


def _read_numbers(ref: ParsedReference, record: _Record, source: str) -> None:
    match = _SOURCE_NUMBERS_RE.search(source)
    volume, issue, pages = match.groups() if match else ("", "", "")
    ref.volume = clean(record.first("VI") or volume or "")
    ref.issue = clean(record.first("IP") or issue or "")
    set_pages(ref, record.first("PG") or pages or "")
    printed_date = record.first("DP", "YR")
    ref.year = year_from(record.first("YR", "DP")) or year_from(source)
    ref.date = iso_date(printed_date) or (str(ref.year) if ref.year else "")


def _read_identifiers(ref: ParsedReference, record: _Record) -> None:
    """Ovid MEDLINE's unique identifier is the PMID; Embase's is its own accession number."""
    accession = record.first("UI", "AN")
    database = record.first("DB").lower()
    ref.pmid = record.first("PM") or (accession if "medline" in database or "pubmed" in database else "")
    ref.label = accession
    ref.pmcid = record.first("PMC")


def _read_description(ref: ParsedReference, record: _Record) -> None:
    ref.abstract = clean(" ".join(record.all("AB")))
    ref.issns = issns_from(record.all("IS", "ES", "IL"))
    ref.isbns = isbns_from(record.all("IB"))
    ref.language = record.first("LG", "LA")
    ref.keywords = split_list(record.all("KW"))
    ref.mesh = record.all("MH")
    ref.publication_types = split_list(record.all("PT"))
    ref.work_type = from_publication_types(ref.publication_types, JOURNAL_ARTICLE)
