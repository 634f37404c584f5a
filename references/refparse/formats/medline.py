"""PubMed MEDLINE records (.nbib): 'PMID- 17599726', 'TI  - ...', continuation lines indented six spaces."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from references.importers.text import clean
from references.refparse.records import (
    BOOK,
    BOOK_CHAPTER,
    JOURNAL_ARTICLE,
    Name,
    ParsedList,
    ParsedReference,
)

from .fields import doi_from, finish, name_from, pmcid_from, set_pages, title_text, year_from

_TAG_RE = re.compile(r"^([A-Z0-9]{2,4}) *- ?(.*)$")
_ELOCATOR_RE = re.compile(r"^e\d+$", re.IGNORECASE)


@dataclass
class _Record:
    line: int
    fields: list[tuple[str, str]] = field(default_factory=list)  # in the order given, tags repeat

    def first(self, *tags: str) -> str:
        return next((value for tag, value in self.fields if tag in tags and value), "")

    def all(self, *tags: str) -> list[tuple[str, str]]:
        return [(tag, value) for tag, value in self.fields if tag in tags and value]

    def marked(self, tags: tuple[str, ...], mark: str) -> str:
        """'10.1016/S0140-6736(07)61126-X' from 'AID - 10.1016/S0140-6736(07)61126-X [doi]'."""
        return next((value[: -len(mark)] for _, value in self.all(*tags) if value.endswith(mark)), "")


def parse_medline(text: str) -> ParsedList:
    return ParsedList(format="medline", references=[_reference(record) for record in _records(text)])


def _records(text: str) -> list[_Record]:
    records: list[_Record] = []
    after_blank = True
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            after_blank = True
            continue
        match = _TAG_RE.match(line)
        if match and (after_blank or match.group(1) == "PMID"):
            records.append(_Record(line=number))
        after_blank = False
        if match and records:
            records[-1].fields.append((match.group(1), match.group(2).strip()))
        elif records and records[-1].fields and line[:1].isspace():
            tag, value = records[-1].fields[-1]
            records[-1].fields[-1] = (tag, f"{value} {line.strip()}")
    return records


def _reference(record: _Record) -> ParsedReference:
    ref = ParsedReference(raw="", line=record.line, pmid=record.first("PMID"))
    _read_titles(ref, record)
    ref.authors = _names(record, "FAU", "AU", group_tag="CN")
    ref.editors = _names(record, "FED", "ED")
    ref.year = year_from(record.first("DP"))
    ref.volume, ref.issue = record.first("VI"), record.first("IP")
    set_pages(ref, record.first("PG"))
    if not (ref.pages or ref.elocator):
        ref.elocator = next((v for _, v in record.all("LID") if _ELOCATOR_RE.match(v)), "")
    ref.doi = doi_from(record.marked(("LID", "AID"), " [doi]"))
    ref.pmcid = pmcid_from(record.first("PMC"))
    if ref.work_type != JOURNAL_ARTICLE:
        ref.publisher, ref.location = record.first("PB"), record.first("PL")
    return finish(ref, entry=f"PMID {ref.pmid}" if ref.pmid else "")


def _read_titles(ref: ParsedReference, record: _Record) -> None:
    book_title = title_text(record.first("BTI"))
    ref.title = title_text(record.first("TI"))
    if book_title and ref.title:
        ref.work_type, ref.container_title = BOOK_CHAPTER, book_title
    elif book_title:
        ref.work_type, ref.title = BOOK, book_title
    else:
        # NLM references print the journal's abbreviation (TA), not its full title (JT).
        ref.container_title = clean(record.first("TA", "JT"))


def _names(record: _Record, full_tag: str, short_tag: str, group_tag: str = "") -> list[Name]:
    """Full names ('Pieters, Rob') when given, else 'Pieters R'; group names in their place."""
    person_tag = full_tag if record.first(full_tag) else short_tag
    tags = (person_tag, group_tag) if group_tag else (person_tag,)
    return [Name(family=value) if tag == group_tag else name_from(value) for tag, value in record.all(*tags)]
