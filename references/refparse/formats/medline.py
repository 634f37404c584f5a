"""PubMed MEDLINE records (.nbib): 'PMID- 17599726', 'TI  - ...', continuation lines indented six spaces.
Files from other tools may have no PMID line: records are then told apart by blank lines."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from references.people import Name
from references.refparse.records import ParsedList, ParsedReference
from references.refparse.source import TextSource
from references.worktypes import BOOK, BOOK_CHAPTER, JOURNAL_ARTICLE, from_publication_types

from .fields import doi_from, finish, name_from, pmcid_from, set_pages, title_text, year_from
from .values import clean, isbns_from, iso_date, issns_from, orcid_from

_TAG_RE = re.compile(r"^([A-Z0-9]{2,4}) *- ?(.*)$")
_PAD_RE = re.compile(r"[A-Z0-9]{2,4} *")
_ELOCATOR_RE = re.compile(r"^e\d+$", re.IGNORECASE)
_AUTHOR_TAGS = frozenset(("FAU", "AU", "CN"))
_EDITOR_TAGS = frozenset(("FED", "ED"))


@dataclass
class _Record:
    line: int
    fields: list[tuple[str, str]] = field(default_factory=list)  # in the order given, tags repeat
    by_tag: dict[str, list[str]] = field(default_factory=dict)  # the non-empty values under each tag

    def values(self, tag: str) -> list[str]:
        return self.by_tag.get(tag, [])

    def first(self, *tags: str) -> str:
        for tag in tags:
            if values := self.by_tag.get(tag):
                return values[0]
        return ""

    def all(self, *tags: str) -> list[tuple[str, str]]:
        return [(tag, value) for tag, value in self.fields if tag in tags and value]

    def marked(self, tags: tuple[str, ...], mark: str) -> str:
        """'10.1016/S0140-6736(07)61126-X' from 'AID - 10.1016/S0140-6736(07)61126-X [doi]'."""
        return next((value[: -len(mark)] for _, value in self.all(*tags) if value.endswith(mark)), "")


def parse_medline(text: str) -> ParsedList:
    return ParsedList(format="medline", references=list(iter_medline(text)))


def iter_medline(text: str | TextSource) -> Iterator[ParsedReference]:
    """The records one at a time, as the file is read."""
    return (_reference(record) for record in _records(text))


def _records(text: str | TextSource) -> Iterator[_Record]:
    """Each record once complete: one record's lines at a time in memory, not the file's."""
    record: _Record | None = None
    parts: list[list[str]] = []  # the current record's values, each as its lines (joined once, at the end)
    after_blank = True
    for number, line in enumerate(_lines(text), start=1):
        if not line or line.isspace():
            after_blank = True
            continue
        if line[0] in " \t":  # a continuation line (tags start at the margin)
            if parts:
                parts[-1].append(line.strip())
            after_blank = False
            continue
        tag, value = _tag(line)
        if tag and (after_blank or tag == "PMID"):
            if record:
                yield _closed(record, parts)
            record, parts = _Record(line=number), []
        after_blank = False
        if tag and record:
            record.fields.append((tag, ""))
            parts.append([value])
    if record:
        yield _closed(record, parts)


def _lines(text: str | TextSource, chunk: int = 1 << 20) -> Iterator[str]:
    """text.splitlines(), a slice at a time: each slice ends after a newline, where splitlines breaks too."""
    if isinstance(text, TextSource):
        yield from _source_lines(text)
        return
    start = 0
    while start < len(text):
        end = text.find("\n", start + chunk)
        end = len(text) if end < 0 else end + 1
        yield from text[start:end].splitlines()
        start = end


def _source_lines(source: TextSource) -> Iterator[str]:
    carried = ""
    for piece in source.slices():
        text = carried + piece
        cut = text.rfind("\n") + 1
        yield from text[:cut].splitlines()
        carried = text[cut:]
    yield from carried.splitlines()


_TAG_PADS: dict[str, str | None] = {}  # 'TI  ' -> 'TI', for lines whose fifth character is the dash


def _tag(line: str) -> tuple[str, str]:
    """A field line's tag and value ('', '' when the line is not one)."""
    if line[4:5] == "-":  # the usual layout, the tag padded to four characters: checked once per padding
        pad = line[:4]
        if pad not in _TAG_PADS:
            _TAG_PADS[pad] = pad.rstrip(" ") if _PAD_RE.fullmatch(pad) else None
        if tag := _TAG_PADS[pad]:
            return tag, line[5:].strip()
    match = _TAG_RE.match(line)
    return (match.group(1), match.group(2).strip()) if match else ("", "")


def _closed(record: _Record, parts: list[list[str]]) -> _Record:
    fields = []
    for (tag, _), lines in zip(record.fields, parts, strict=True):
        value = lines[0] if len(lines) == 1 else " ".join(p for p in lines if p)
        fields.append((tag, value))
        if value:
            record.by_tag.setdefault(tag, []).append(value)
    record.fields = fields
    return record


def _reference(record: _Record) -> ParsedReference:
    ref = ParsedReference(raw="", line=record.line, pmid=record.first("PMID"))
    _read_titles(ref, record)
    ref.authors, ref.editors = _names(record)
    ref.year = year_from(record.first("DP"))
    ref.date = iso_date(record.first("DP"))
    ref.volume, ref.issue = record.first("VI"), record.first("IP")
    set_pages(ref, record.first("PG"))
    if not (ref.pages or ref.elocator):
        ref.elocator = next((v for _, v in record.all("LID") if _ELOCATOR_RE.match(v)), "")
    ref.doi = doi_from(record.marked(("LID", "AID"), " [doi]"))
    ref.pmcid = pmcid_from(record.first("PMC"))
    _read_description(ref, record)
    if ref.work_type in (BOOK, BOOK_CHAPTER):
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


def _read_description(ref: ParsedReference, record: _Record) -> None:
    ref.abstract = clean(record.first("AB"))
    ref.journal_abbrev = clean(record.first("TA"))
    ref.issns = issns_from(record.values("IS"))
    ref.isbns = isbns_from(record.values("ISBN"))
    ref.language = record.first("LA")
    ref.keywords = [clean(value) for value in record.values("OT")]
    ref.mesh = [clean(value) for value in record.values("MH")]
    ref.publication_types = [clean(value) for value in record.values("PT")]
    if ref.work_type == JOURNAL_ARTICLE:
        ref.work_type = from_publication_types(ref.publication_types, JOURNAL_ARTICLE)


def _names(record: _Record) -> tuple[list[Name], list[Name]]:
    """Authors and editors in order: full names ('Pieters, Rob') when given, else 'Pieters R'; group names
    (CN) in their place; each author's first affiliation (AD) and ORCID (AUID) from the lines after it."""
    author_tag = "FAU" if record.values("FAU") else "AU"
    editor_tag = "FED" if record.values("FED") else "ED"
    authors: list[Name] = []
    editors: list[Name] = []
    early_affiliation = ""  # records before 2014 give one AD, sometimes ahead of the names
    after_author = False
    for tag, value in record.fields:
        if not value:
            continue
        if tag in _AUTHOR_TAGS or tag in _EDITOR_TAGS:
            after_author = tag in _AUTHOR_TAGS
        if tag == author_tag:
            authors.append(name_from(value))
        elif tag == "CN":
            authors.append(Name(family=clean(value), collective=True))
        elif tag == editor_tag:
            editors.append(name_from(value))
        elif tag == "AD" and not authors:
            early_affiliation = early_affiliation or clean(value)
        elif tag in ("AD", "AUID") and after_author:
            authors[-1] = _with_detail(authors[-1], tag, value)
    if early_affiliation and authors and not authors[0].affiliation:
        authors[0] = replace(authors[0], affiliation=early_affiliation)
    return authors, editors


def _with_detail(name: Name, tag: str, value: str) -> Name:
    if tag == "AD":
        return name if name.affiliation else replace(name, affiliation=clean(value))
    orcid = orcid_from(value) if "ORCID" in value.upper() else ""
    return replace(name, orcid=orcid) if orcid and not name.orcid else name
