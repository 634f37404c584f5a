"""RIS records ('TY  - JOUR' ... 'ER  - ')."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from references.importers.text import clean
from references.refparse.records import (
    BOOK,
    BOOK_CHAPTER,
    CONFERENCE_ABSTRACT,
    JOURNAL_ARTICLE,
    OTHER,
    REPORT,
    WEB_PAGE,
    ParsedList,
    ParsedReference,
    Problem,
)

from .fields import doi_from, doi_from_url, finish, name_from, pmcid_from, set_pages, title_text, year_from

_TAG_RE = re.compile(r"^([A-Z][A-Z0-9])  -(?: (.*))?$")
_WORK_TYPES = {
    **dict.fromkeys(("JOUR", "JFULL", "EJOUR", "MGZN", "NEWS"), JOURNAL_ARTICLE),
    **dict.fromkeys(("BOOK", "EBOOK", "EDBOOK"), BOOK),
    **dict.fromkeys(("CHAP", "ECHAP"), BOOK_CHAPTER),
    **dict.fromkeys(("CONF", "CPAPER", "ABST"), CONFERENCE_ABSTRACT),
    **dict.fromkeys(("RPRT", "GOVDOC"), REPORT),
    **dict.fromkeys(("ELEC", "WEB", "BLOG"), WEB_PAGE),
}


@dataclass
class _Record:
    line: int
    tags: dict[str, list[str]] = field(default_factory=dict)
    closed: bool = False
    last_tag: str = ""

    def add(self, tag: str, value: str) -> None:
        self.tags.setdefault(tag, []).append(value.strip())
        self.last_tag = tag

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
            current.tags[current.last_tag][-1] += " " + line.strip()
    return records


def _reference(record: _Record) -> ParsedReference:
    ref = ParsedReference(raw="", line=record.line, label=record.first("ID"))
    ref.work_type = _WORK_TYPES.get(record.first("TY").upper(), OTHER)
    ref.authors = [name_from(value) for value in record.all("AU", "A1")]
    ref.editors = [name_from(value) for value in record.all("ED", "A2")]
    ref.title = title_text(record.first("TI", "T1"))
    container_tags = ("T2", "BT") if ref.work_type == BOOK_CHAPTER else ("JO", "JF", "T2", "JA", "J2", "BT")
    ref.container_title = clean(record.first(*container_tags))
    ref.year = year_from(record.first("PY", "Y1", "DA"))
    ref.volume, ref.issue = clean(record.first("VL")), clean(record.first("IS"))
    _read_pages(ref, record.first("SP"), record.first("EP"))
    ref.publisher, ref.location = clean(record.first("PB")), clean(record.first("CY"))
    ref.url = clean(record.first("UR"))
    ref.doi = doi_from(record.first("DO")) or doi_from_url(ref.url)
    ref.pmcid = pmcid_from(record.first("C2"))
    entry = ref.title or record.first("AU", "A1")
    if not record.closed:
        ref.problems.append(Problem("record has no ER line", line=record.line, entry=_short(entry)))
    return finish(ref, entry=_short(entry))


def _read_pages(ref: ParsedReference, start: str, end: str) -> None:
    start, end = clean(start), clean(end)
    set_pages(ref, f"{start}-{end}" if start and end and start != end else start or end)


def _short(value: str) -> str:
    return value if len(value) <= 60 else value[:57].rstrip() + "..."
