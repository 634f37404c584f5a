"""EndNote XML (`<xml><records><record>`): every value sits in `<style>` runs, which are joined."""

from __future__ import annotations

import re

from lxml import etree

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
    Unreadable,
)
from references.worktypes import from_publication_types

from .fields import doi_from, doi_from_url, finish, name_from, pmcid_from, set_pages, title_text, year_from
from .xmlrecords import first_text, records, root_name, text_of

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
    ref = ParsedReference(raw="", line=record.sourceline, label=first_text(record, "rec-number"))
    ref.work_type = _work_type(record)
    ref.authors = [name_from(value) for value in _all(record, "contributors/authors/author")]
    ref.editors = [name_from(value) for value in _all(record, "contributors/secondary-authors/author")]
    ref.title = title_text(first_text(record, "titles/title"))
    _read_source(ref, record)
    _read_dates(ref, record)
    set_pages(ref, first_text(record, "pages"))
    _read_identifiers(ref, record)
    ref.abstract = first_text(record, "abstract")
    ref.language = first_text(record, "language")
    ref.keywords = _all(record, "keywords/keyword")
    return finish(ref, entry=ref.label and f"record {ref.label}")


def _work_type(record: etree._Element) -> str:
    ref_type = record.find("ref-type")
    if ref_type is None:
        return OTHER
    default = _WORK_TYPES.get(ref_type.get("name", "").strip().lower()) or _WORK_TYPE_NUMBERS.get(
        (ref_type.text or "").strip(), OTHER
    )
    printed = first_text(record, "work-type")
    return from_publication_types([printed], default) if printed else default


def _all(record: etree._Element, path: str) -> list[str]:
    return [value for found in record.iterfind(path) if (value := text_of(found))]


def _read_source(ref: ParsedReference, record: etree._Element) -> None:
    if ref.work_type not in (BOOK, BOOK_CHAPTER, CONFERENCE_ABSTRACT):
        ref.container_title = first_text(record, "periodical/full-title", "titles/secondary-title")
        ref.journal_abbrev = first_text(record, "periodical/abbr-1", "titles/alt-title")
    else:
        ref.container_title = first_text(record, "titles/secondary-title", "periodical/full-title")
    if ref.journal_abbrev == ref.container_title:
        ref.journal_abbrev = ""
    ref.volume, ref.issue = first_text(record, "volume"), first_text(record, "number")
    ref.publisher, ref.location = first_text(record, "publisher"), first_text(record, "pub-location")
    printed = first_text(record, "work-type")
    ref.publication_types = [printed] if printed else []


def _read_dates(ref: ParsedReference, record: etree._Element) -> None:
    """Year from <year>; a full date when <pub-dates> names the month ('Mar 3' -> '2015-03-03')."""
    ref.year = year_from(first_text(record, "dates/year"))
    if ref.year is None:
        return
    ref.date = str(ref.year)
    printed = first_text(record, "dates/pub-dates/date")
    month = next((number for number, name in enumerate(_MONTHS, 1) if name in printed.lower()), None)
    if month:
        day = _DAY_RE.search(printed.replace(str(ref.year), ""))
        ref.date += f"-{month:02d}" + (f"-{int(day.group(1)):02d}" if day and int(day.group(1)) <= 31 else "")


def _read_identifiers(ref: ParsedReference, record: etree._Element) -> None:
    urls = _all(record, "urls/related-urls/url") + _all(record, "urls/web-urls/url")
    ref.url = urls[0] if urls else ""
    ref.doi = doi_from(first_text(record, "electronic-resource-num")) or doi_from_url(ref.url)
    accession = first_text(record, "accession-num")
    ref.pmid = accession if _PMID_RE.match(accession) else ""
    ref.pmcid = pmcid_from(" ".join(_all(record, "custom2") + _all(record, "notes")))
    for number in _numbers(record.find("isbn")):
        (ref.issns if _ISSN_RE.match(number) else ref.isbns).append(number)


def _numbers(element: etree._Element | None) -> list[str]:
    """'1532-1827 (Electronic)\\r0007-0920 (Linking)' -> ['1532-1827', '0007-0920']: ISSNs and ISBNs alike."""
    if element is None:
        return []
    printed = "".join(element.itertext())
    parts = (re.sub(r"\(.*?\)", "", part).strip() for part in re.split(r"[\r\n;,]+", printed))
    return [part for part in parts if _ISSN_RE.match(part) or _ISBN_RE.match(part.replace(" ", ""))]
