"""EndNote XML (`<xml><records><record>`): every value sits in `<style>` runs, which are joined."""

from __future__ import annotations

import re

from lxml import etree

from references.refparse.records import ParsedList, ParsedReference, Unreadable
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
from .xmlrecords import records, root_name, text_of

ROOTS = ("xml",)
# EndNote's reference types by name, and by number where an export gives only the number.
_WORK_TYPES = {
    **dict.fromkeys(
        ("journal article", "electronic article", "magazine article", "newspaper article"), JOURNAL_ARTICLE
    ),
    **dict.fromkeys(("book", "edited book", "electronic book"), BOOK),
    **dict.fromkeys(("book section", "electronic book section"), BOOK_CHAPTER),
    **dict.fromkeys(("conference proceedings", "conference paper"), CONFERENCE_ABSTRACT),
    **dict.fromkeys(("report", "government document"), REPORT),
    **dict.fromkeys(("web page", "blog"), WEB_PAGE),
}
_WORK_TYPE_NUMBERS = {
    "17": JOURNAL_ARTICLE,
    "43": JOURNAL_ARTICLE,
    "6": BOOK,
    "28": BOOK,
    "5": BOOK_CHAPTER,
    "10": CONFERENCE_ABSTRACT,
    "47": CONFERENCE_ABSTRACT,
    "27": REPORT,
    "12": WEB_PAGE,
}
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_ISSN_RE = re.compile(r"^\d{4}-?\d{3}[\dX]$", re.IGNORECASE)
_ISBN_RE = re.compile(r"^(?:\d[\d-]{8,15}[\dX])$", re.IGNORECASE)
_DAY_RE = re.compile(r"\b(\d{1,2})\b")
_PMID_RE = re.compile(r"^\d{1,9}$")


def parse_endnote_xml(text: str) -> ParsedList:
    if (root := root_name(text)) not in ROOTS:
        raise Unreadable(f"This does not look like EndNote XML: its root element is <{root}>, not <xml>.")
    parsed = ParsedList(format="endnote-xml")
    for record in records(text, ("record",), what="EndNote XML"):
        parsed.references.append(_reference(record))
    return parsed


def _reference(record: etree._Element) -> ParsedReference:
    fields = _paths(record)
    ref = ParsedReference(raw="", line=record.sourceline, label=_first(fields, "rec-number"))
    ref.work_type = _work_type(fields)
    ref.authors = [name_from(value) for value in _all(fields, "contributors/authors/author")]
    ref.editors = [name_from(value) for value in _all(fields, "contributors/secondary-authors/author")]
    ref.title = title_text(_first(fields, "titles/title"))
    _read_source(ref, fields)
    _read_dates(ref, fields)
    set_pages(ref, _first(fields, "pages"))
    _read_identifiers(ref, fields)
    ref.abstract = _first(fields, "abstract")
    ref.language = _first(fields, "language")
    ref.keywords = _all(fields, "keywords/keyword")
    return finish(ref, entry=ref.label and f"record {ref.label}")


def _paths(record: etree._Element) -> dict[str, list[etree._Element]]:
    """Every element down to three levels by its path ('titles/title'), found in one walk: an ElementPath
    search per field would cost more than reading the whole record."""
    found: dict[str, list[etree._Element]] = {}
    _walk(record, "", 1, found)
    return found


def _walk(element: etree._Element, prefix: str, depth: int, found: dict[str, list[etree._Element]]) -> None:
    # Not a closure: a function that calls itself through its cell is a cycle, which the import (the cycle
    # collector paused) would keep with every element of every record.
    for child in element:
        if not isinstance(child.tag, str) or child.tag == "style":
            continue
        path = prefix + child.tag
        found.setdefault(path, []).append(child)
        if depth < 3:
            _walk(child, path + "/", depth + 1, found)


def _first(fields: dict[str, list[etree._Element]], *paths: str) -> str:
    """The first non-empty value at one of `paths`, its <style> runs joined."""
    for path in paths:
        for element in fields.get(path, ()):
            if value := text_of(element):
                return value
    return ""


def _all(fields: dict[str, list[etree._Element]], path: str) -> list[str]:
    return [value for element in fields.get(path, ()) if (value := text_of(element))]


def _work_type(fields: dict[str, list[etree._Element]]) -> str:
    ref_type = next(iter(fields.get("ref-type", ())), None)
    if ref_type is None:
        return OTHER
    default = _WORK_TYPES.get(ref_type.get("name", "").strip().lower()) or _WORK_TYPE_NUMBERS.get(
        (ref_type.text or "").strip(), OTHER
    )
    printed = _first(fields, "work-type")
    return from_publication_types([printed], default) if printed else default


def _read_source(ref: ParsedReference, fields: dict[str, list[etree._Element]]) -> None:
    if ref.work_type not in (BOOK, BOOK_CHAPTER, CONFERENCE_ABSTRACT):
        ref.container_title = _first(fields, "periodical/full-title", "titles/secondary-title")
        ref.journal_abbrev = _first(fields, "periodical/abbr-1", "titles/alt-title")
    else:
        ref.container_title = _first(fields, "titles/secondary-title", "periodical/full-title")
    if ref.journal_abbrev == ref.container_title:
        ref.journal_abbrev = ""
    ref.volume, ref.issue = _first(fields, "volume"), _first(fields, "number")
    ref.publisher, ref.location = _first(fields, "publisher"), _first(fields, "pub-location")
    ref.publication_types = _all(fields, "work-type")[:1]


def _read_dates(ref: ParsedReference, fields: dict[str, list[etree._Element]]) -> None:
    """Year from <year>; a full date when <pub-dates> names the month ('Mar 3' -> '2015-03-03')."""
    ref.year = year_from(_first(fields, "dates/year"))
    if ref.year is None:
        return
    ref.date = str(ref.year)
    printed = _first(fields, "dates/pub-dates/date")
    month = next((number for number, name in enumerate(_MONTHS, 1) if name in printed.lower()), None)
    if month:
        day = _DAY_RE.search(printed.replace(str(ref.year), ""))
        ref.date += f"-{month:02d}" + (f"-{int(day.group(1)):02d}" if day and int(day.group(1)) <= 31 else "")


def _read_identifiers(ref: ParsedReference, fields: dict[str, list[etree._Element]]) -> None:
    urls = _all(fields, "urls/related-urls/url") + _all(fields, "urls/web-urls/url")
    ref.url = urls[0] if urls else ""
    ref.doi = doi_from(_first(fields, "electronic-resource-num")) or doi_from_url(ref.url)
    accession = _first(fields, "accession-num")
    ref.pmid = accession if _PMID_RE.match(accession) else ""
    ref.pmcid = pmcid_from(" ".join(_all(fields, "custom2") + _all(fields, "notes")))
    for number in _numbers(next(iter(fields.get("isbn", ())), None)):
        (ref.issns if _ISSN_RE.match(number) else ref.isbns).append(number)


def _numbers(element: etree._Element | None) -> list[str]:
    """'1532-1827 (Electronic)\\r0007-0920 (Linking)' -> ['1532-1827', '0007-0920']: ISSNs and ISBNs alike."""
    if element is None:
        return []
    printed = "".join(element.itertext())
    parts = (re.sub(r"\(.*?\)", "", part).strip() for part in re.split(r"[\r\n;,]+", printed))
    return [part for part in parts if _ISSN_RE.match(part) or _ISBN_RE.match(part.replace(" ", ""))]
