"""RIS records ('TY  - JOUR' ... 'ER  - '), from Embase/Ovid, Scopus, ScienceDirect, Web of Science, Zotero,
EndNote and Mendeley: repeated and wrapped tags, long types ('TY  - Journal Article')."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from references.people import Name
from references.refparse.records import ParsedList, ParsedReference, Problem
from references.worktypes import (
    BOOK,
    BOOK_CHAPTER,
    CONFERENCE_ABSTRACT,
    JOURNAL_ARTICLE,
    OTHER,
    REPORT,
    WEB_PAGE,
    from_publication_types,
)

from .fields import doi_from, doi_from_url, finish, name_from, pmcid_from, set_pages, title_text, year_from
from .values import clean, isbns_from, iso_date, issns_from

_TAG_RE = re.compile(r"^([A-Z][A-Z0-9])  -(?: (.*))?$")
_WORK_TYPES = {
    **dict.fromkeys(("JOUR", "JFULL", "EJOUR", "MGZN", "NEWS"), JOURNAL_ARTICLE),
    **dict.fromkeys(("BOOK", "EBOOK", "EDBOOK"), BOOK),
    **dict.fromkeys(("CHAP", "ECHAP"), BOOK_CHAPTER),
    **dict.fromkeys(("CONF", "CPAPER", "ABST"), CONFERENCE_ABSTRACT),
    **dict.fromkeys(("RPRT", "GOVDOC"), REPORT),
    **dict.fromkeys(("ELEC", "WEB", "BLOG"), WEB_PAGE),
    # EndNote and Mendeley write the type's name instead of its code.
    **dict.fromkeys(("JOURNAL ARTICLE", "MAGAZINE ARTICLE", "NEWSPAPER ARTICLE"), JOURNAL_ARTICLE),
    **dict.fromkeys(("EDITED BOOK", "ELECTRONIC BOOK"), BOOK),
    **dict.fromkeys(("BOOK SECTION", "BOOK CHAPTER", "ELECTRONIC BOOK SECTION"), BOOK_CHAPTER),
    **dict.fromkeys(
        ("CONFERENCE PAPER", "CONFERENCE PROCEEDINGS", "CONFERENCE ABSTRACT"), CONFERENCE_ABSTRACT
    ),
    **dict.fromkeys(("REPORT", "GOVERNMENT DOCUMENT"), REPORT),
    **dict.fromkeys(("WEB PAGE", "ELECTRONIC ARTICLE", "BLOG"), WEB_PAGE),
}
_PUBLICATION_TYPE_TAGS = ("M3", "PT")  # Scopus writes "Article" / "Review" in M3


@dataclass
class _Record:
    line: int
    tags: dict[str, list[str]] = field(default_factory=dict)
    closed: bool = False
    last_tag: str = ""
    wrapped: list[str] = field(default_factory=list)  # the last value's wrapped lines, joined once

    def add(self, tag: str, value: str) -> None:
        self.join_wrapped()
        self.tags.setdefault(tag, []).append(value.strip())
        self.last_tag = tag

    def join_wrapped(self) -> None:
        if self.wrapped:
            values = self.tags[self.last_tag]
            values[-1] = " ".join([values[-1], *self.wrapped])
            self.wrapped = []

    def first(self, *tags: str) -> str:
        for tag in tags:
            if values := self.tags.get(tag):
                return values[0]
        return ""

    def all(self, *tags: str) -> list[str]:
        return [value for tag in tags for value in self.tags.get(tag, []) if value]


def parse_ris(text: str) -> ParsedList:
    parsed = ParsedList(format="ris")
    for record in _records(text.splitlines()):
        parsed.references.append(_reference(record))
    return parsed


def _records(lines: list[str]) -> list[_Record]:
    records: list[_Record] = []
    current: _Record | None = None
    for number, line in enumerate(lines, start=1):
        match = _TAG_RE.match(line.rstrip())
        if match and match.group(1) == "TY":
            current = _Record(line=number)
            records.append(current)
        if current is None or current.closed:
            continue
        if match:
            current.add(match.group(1), match.group(2) or "")
            current.closed = match.group(1) == "ER"
        elif line.strip() and current.last_tag:
            # Some exporters wrap long values onto untagged lines.
            current.wrapped.append(line.strip())
    for record in records:
        record.join_wrapped()
    return records


def _reference(record: _Record) -> ParsedReference:
    ref = ParsedReference(raw="", line=record.line, label=record.first("ID"))
    ref.authors = _authors(record)
    ref.editors = [name_from(value) for value in record.all("ED", "A2")]
    _read_type(ref, record)
    ref.title = title_text(record.first("TI", "T1", "ST"))
    container_tags = ("T2", "BT") if ref.work_type == BOOK_CHAPTER else ("JO", "JF", "T2", "JA", "J2", "BT")
    ref.container_title = clean(record.first(*container_tags))
    ref.year = year_from(record.first("PY", "Y1", "DA"))
    ref.date = _date(record)
    ref.volume, ref.issue = clean(record.first("VL", "VO")), clean(record.first("IS"))
    _read_pages(ref, record.first("SP"), record.first("EP"))
    ref.publisher, ref.location = clean(record.first("PB")), clean(record.first("CY"))
    ref.url = clean(record.first("UR"))
    ref.doi = doi_from(record.first("DO", "DI")) or doi_from_url(ref.url)
    ref.pmcid = pmcid_from(record.first("C2"))
    ref.pmid = _pmid(record)
    _read_description(ref, record)
    entry = ref.title or record.first("AU", "A1")
    if not record.closed:
        ref.problems.append(Problem("record has no ER line", line=record.line, entry=_short(entry)))
    return finish(ref, entry=_short(entry))


# PubMed's accession number (EndNote, Zotero and Ovid put it in AN); Embase's are longer or start with "L".
_PMID_AN_RE = re.compile(r"^(?:PMID:?\s*)?(\d{1,8})$", re.IGNORECASE)
_PMID_NOTE_RE = re.compile(r"\bPMID:?\s*(\d{1,8})\b", re.IGNORECASE)


def _pmid(record: _Record) -> str:
    if match := _PMID_AN_RE.match(record.first("AN").strip()):
        return match.group(1)
    notes = " ".join(record.all("N1", "M1", "M2", "C1", "C3", "AN"))
    return match.group(1) if (match := _PMID_NOTE_RE.search(notes)) else ""


def _authors(record: _Record) -> list[Name]:
    """Authors in order; each with its address (AD) when the record gives one address per author."""
    authors = [name_from(value) for value in record.all("AU", "A1")]
    addresses = [clean(value) for value in record.all("AD")]
    if authors and len(addresses) == len(authors):
        return [replace(name, affiliation=address) for name, address in zip(authors, addresses, strict=True)]
    return authors


def _read_type(ref: ParsedReference, record: _Record) -> None:
    ref.publication_types = [clean(value) for value in record.all(*_PUBLICATION_TYPE_TAGS)]
    record_type = _WORK_TYPES.get(clean(record.first("TY")).upper(), OTHER)
    if record_type in (JOURNAL_ARTICLE, OTHER):
        record_type = from_publication_types(ref.publication_types, record_type)
    ref.work_type = record_type


def _date(record: _Record) -> str:
    """The fullest of DA and PY ('2007/07/28/' -> '2007-07-28')."""
    dates = [iso_date(value) for value in (record.first("DA"), record.first("PY", "Y1"))]
    return max(dates, key=len)


def _read_description(ref: ParsedReference, record: _Record) -> None:
    ref.abstract = clean(record.first("AB", "N2"))
    abbreviation = clean(record.first("J2", "JA"))
    journal = clean(record.first("JO"))
    if not abbreviation and journal and journal != ref.container_title:
        abbreviation = journal
    ref.journal_abbrev = abbreviation
    # SN holds an ISSN for a serial and an ISBN for a book.
    numbers = record.all("SN")
    ref.isbns = isbns_from(numbers)
    ref.issns = issns_from(value for value in numbers if not isbns_from([value]))
    ref.language = clean(record.first("LA"))
    ref.keywords = [clean(value) for value in record.all("KW")]


def _read_pages(ref: ParsedReference, start: str, end: str) -> None:
    start, end = clean(start), clean(end)
    set_pages(ref, f"{start}-{end}" if start and end and start != end else start or end)


def _short(value: str) -> str:
    return value if len(value) <= 60 else value[:57].rstrip() + "..."
