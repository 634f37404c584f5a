"""Web of Science tagged text ('FN Clarivate Analytics Web of Science', 'PT J' ... 'ER', 'EF'): two-letter
tags, continuation lines indented three spaces; in name and address tags each line is one value."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from references.people import Name
from references.refparse.records import ParsedList, ParsedReference, Problem
from references.worktypes import BOOK, BOOK_CHAPTER, JOURNAL_ARTICLE, from_publication_types

from .fields import doi_from, finish, name_from, set_pages, title_text, year_from
from .values import clean, isbns_from, iso_date, issns_from, orcid_from, split_list

_TAG_RE = re.compile(r"^([A-Z][A-Z0-9])(?: (.*))?$")
_FILE_TAGS = frozenset(("FN", "VR", "EF"))
# "[Pieters, Rob; Schrappe, Martin] Erasmus MC, Rotterdam, Netherlands."
_ADDRESS_RE = re.compile(r"^\[([^\]]+)\]\s*(.+)$")
_RECORD_TYPES = {"B": BOOK, "J": JOURNAL_ARTICLE}


@dataclass
class _Record:
    line: int
    tags: dict[str, list[str]] = field(default_factory=dict)  # each printed line one value
    closed: bool = False
    last_tag: str = ""

    def lines(self, tag: str) -> list[str]:
        return [value for value in self.tags.get(tag, []) if value]

    def text(self, tag: str) -> str:
        return clean(" ".join(self.tags.get(tag, [])))


def parse_wos(text: str) -> ParsedList:
    return ParsedList(format="wos", references=[_reference(record) for record in _records(text)])


def _records(text: str) -> list[_Record]:
    records: list[_Record] = []
    current: _Record | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("   ") and current is not None and current.last_tag and not current.closed:
            current.tags[current.last_tag].append(line.strip())
            continue
        match = _TAG_RE.match(line.rstrip())
        if not match or match.group(1) in _FILE_TAGS:
            continue
        tag, value = match.group(1), (match.group(2) or "").strip()
        if tag == "PT" or current is None or current.closed:
            current = _Record(line=number)
            records.append(current)
        if tag == "ER":
            current.closed = True
        else:
            current.tags.setdefault(tag, []).append(value)
            current.last_tag = tag
    return records


def _reference(record: _Record) -> ParsedReference:
    ref = ParsedReference(raw="", line=record.line, label=record.text("UT"))
    ref.authors = _authors(record)
    ref.editors = [name_from(value) for value in record.lines("BF") or record.lines("BE")]
    ref.title = title_text(record.text("TI"))
    ref.container_title = record.text("SO")
    ref.journal_abbrev = record.text("JI") or record.text("J9")
    ref.year = year_from(record.text("PY"))
    ref.date = iso_date(f"{record.text('PY')} {record.text('PD')}")
    ref.volume, ref.issue = record.text("VL"), record.text("IS")
    _read_pages(ref, record)
    ref.doi = doi_from(record.text("DI"))
    ref.pmid = record.text("PM")
    _read_description(ref, record)
    if ref.work_type in (BOOK, BOOK_CHAPTER):
        ref.publisher, ref.location = record.text("PU"), record.text("PI")
    entry = ref.label or _short(ref.title)
    if not record.closed:
        ref.problems.append(Problem("record has no ER line", line=record.line, entry=entry))
    return finish(ref, entry=entry)


def _authors(record: _Record) -> list[Name]:
    """Full names (AF) when given, else AU's 'Smith, JA'; group authors (CA) after them; ORCIDs from OI and
    affiliations from addresses that name their authors."""
    printed = record.lines("AF") or record.lines("AU")
    names = [name_from(value) for value in printed]
    names += [Name(family=clean(value), collective=True) for value in record.lines("CA")]
    orcids = _by_author(record.text("OI"))
    affiliations = _affiliations(record)
    for index, value in enumerate(printed):
        key = _key(value)
        names[index] = replace(names[index], orcid=orcids.get(key, ""), affiliation=affiliations.get(key, ""))
    if len(printed) == 1 and not names[0].affiliation and record.lines("C1"):
        names[0] = replace(names[0], affiliation=_address(record.lines("C1")[0]))
    return names


def _by_author(printed: str) -> dict[str, str]:
    """OI 'Pieters, Rob/0000-0002-1825-0097; Schrappe, M/0000-...' by author."""
    found: dict[str, str] = {}
    for part in printed.split(";"):
        name, _, identifier = part.rpartition("/")
        if orcid := orcid_from(identifier):
            found.setdefault(_key(name), orcid)
    return found


def _affiliations(record: _Record) -> dict[str, str]:
    found: dict[str, str] = {}
    for line in record.lines("C1"):
        match = _ADDRESS_RE.match(line)
        if match:
            for name in match.group(1).split(";"):
                found.setdefault(_key(name), _address(match.group(2)))
    return found


def _address(value: str) -> str:
    return clean(value).removesuffix(".")


def _key(printed: str) -> str:
    return " ".join(printed.replace(".", " ").replace(",", " ").lower().split())


def _read_pages(ref: ParsedReference, record: _Record) -> None:
    first, last = record.text("BP"), record.text("EP")
    set_pages(ref, f"{first}-{last}" if first and last and first != last else first or last)
    if not ref.pages:
        ref.elocator = record.text("AR")


def _read_description(ref: ParsedReference, record: _Record) -> None:
    ref.abstract = record.text("AB")
    ref.issns = issns_from(record.lines("SN") + record.lines("EI"))
    ref.isbns = isbns_from(record.lines("BN"))
    ref.language = record.text("LA")
    ref.keywords = split_list([record.text("DE"), record.text("ID")])
    ref.publication_types = split_list([record.text("DT")])
    default = _RECORD_TYPES.get(record.text("PT"), JOURNAL_ARTICLE)
    ref.work_type = from_publication_types(ref.publication_types, default)


def _short(value: str) -> str:
    return value if len(value) <= 60 else value[:57].rstrip() + "..."
