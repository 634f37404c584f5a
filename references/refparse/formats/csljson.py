"""CSL-JSON: a list (or a single object) of CSL items, as Zotero, citeproc and Crossref give them."""

from __future__ import annotations

import bisect
import json
import re
import sys
from typing import Any

from references.importers.text import clean, compact_initials
from references.people import Name
from references.refparse.records import ParsedList, ParsedReference, Problem, Unreadable
from references.worktypes import (
    BOOK,
    BOOK_CHAPTER,
    CONFERENCE_ABSTRACT,
    JOURNAL_ARTICLE,
    OTHER,
    REPORT,
    WEB_PAGE,
)

from .fields import doi_from, doi_from_url, finish, pmcid_from, set_pages, title_text, year_from
from .values import isbns_from, iso_date, issns_from, split_list

# CSL types, and the Crossref types its CSL output keeps ("journal-article", "book-chapter" ...).
_WORK_TYPES = {
    **dict.fromkeys(("article-journal", "journal-article", "article", "article-magazine"), JOURNAL_ARTICLE),
    **dict.fromkeys(("book", "monograph", "edited-book", "reference-book"), BOOK),
    **dict.fromkeys(("chapter", "book-chapter", "entry-encyclopedia", "entry-dictionary"), BOOK_CHAPTER),
    **dict.fromkeys(("paper-conference", "proceedings-article"), CONFERENCE_ABSTRACT),
    **dict.fromkeys(("report", "report-component"), REPORT),
    **dict.fromkeys(("webpage", "post", "post-weblog"), WEB_PAGE),
}
_FAMILY_PARTS = ("dropping-particle", "non-dropping-particle", "family")
_DECODER = json.JSONDecoder()
_SPACE_RE = re.compile(r"\s*")
# A CSL item nests about five levels (list, item, "issued", "date-parts", a date); the json module recurses
# once per level and fails with RecursionError on thousands of them.
MAX_DEPTH = 64
_TOO_DEEP = (
    f"This looks like JSON nested more than {MAX_DEPTH} levels deep, which no CSL-JSON file is; "
    "export the references again as CSL-JSON, RIS or BibTeX."
)
# A string (to its closing quote, or to the end when it has none) or a bracket: strings hide their brackets.
_NESTING_RE = re.compile(r'"(?:[^"\\]++|\\[\s\S]?)*+(?:"|\Z)|[\[\]{}]')
_DIGITS_RE = re.compile(r"(?<![\d.])\d+")
_MARKUP_RE = re.compile(r"</?[A-Za-z][\w:.-]*(?:\s[^<>]*)?/?>")
_BLOCK_MARKUP_RE = re.compile(r"</?(?:jats:)?(?:p|sec|title|div|br|list-item)\b[^<>]*>", re.IGNORECASE)


class _Lines:
    """1-based line numbers of character offsets."""

    def __init__(self, text: str) -> None:
        self._newlines = [match.start() for match in re.finditer("\n", text)]

    def at(self, offset: int) -> int:
        return bisect.bisect_left(self._newlines, offset) + 1


def parse_csljson(text: str) -> ParsedList:
    """Unreadable for JSON nested deeper than MAX_DEPTH; other broken JSON is a Problem after the items read."""
    if nested_too_deep(text):
        raise Unreadable(_TOO_DEEP)
    parsed = ParsedList(format="csljson")
    lines = _Lines(text)
    items, error = _items_with_offsets(text)
    if error is not None:
        message = f"not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}"
        parsed.problems.append(Problem(message, line=error.lineno))
    for number, (offset, item) in enumerate(items, start=1):
        if isinstance(item, dict):
            parsed.references.append(_reference(item, lines.at(offset)))
        else:
            message = f"not a CSL object but a JSON {type(item).__name__}"
            parsed.problems.append(Problem(message, line=lines.at(offset), entry=f"item {number}"))
    return parsed


def _items_with_offsets(text: str) -> tuple[list[tuple[int, Any]], json.JSONDecodeError | None]:
    """The top-level items, each with the offset where it starts, and the decode error that stopped reading."""
    items: list[tuple[int, Any]] = []
    try:
        start = _skip_space(text, 0)
        if text.startswith("[", start):
            end = _read_list(text, start + 1, items)
        else:
            item, end = _DECODER.raw_decode(text, start)
            items.append((start, item))
        _expect_end(text, end)
    except json.JSONDecodeError as error:
        return items, error
    except ValueError:
        return items, _long_integer_error(text)
    return items, None


def nested_too_deep(text: str) -> bool:
    """Whether lists and objects nest deeper than MAX_DEPTH, outside strings; one pass, stopping at the limit."""
    depth = 0
    for match in _NESTING_RE.finditer(text):
        token = match.group()
        if token == "[" or token == "{":
            depth += 1
            if depth > MAX_DEPTH:
                return True
        elif token == "]" or token == "}":
            depth -= 1
    return False


def _long_integer_error(text: str) -> json.JSONDecodeError:
    """json raises a bare ValueError for an integer longer than int() converts: say where it is."""
    limit = sys.get_int_max_str_digits()
    start = next((match.start() for match in _DIGITS_RE.finditer(text) if len(match.group()) > limit), 0)
    return json.JSONDecodeError("Number too long", text, start)


def _read_list(text: str, position: int, items: list[tuple[int, Any]]) -> int:
    """Append the items of the list that opened before `position`; return the offset after its ']'."""
    position = _skip_space(text, position)
    if text.startswith("]", position):
        return position + 1
    while True:
        item, end = _DECODER.raw_decode(text, position)
        items.append((position, item))
        position = _skip_space(text, end)
        if text.startswith("]", position):
            return position + 1
        if not text.startswith(",", position):
            raise json.JSONDecodeError("Expecting ',' delimiter", text, position)
        position = _skip_space(text, position + 1)


def _skip_space(text: str, position: int) -> int:
    return _SPACE_RE.match(text, position).end()


def _expect_end(text: str, end: int) -> None:
    position = _skip_space(text, end)
    if position < len(text):
        raise json.JSONDecodeError("Extra data", text, position)


def _reference(item: dict[str, Any], line: int) -> ParsedReference:
    label = _text(item.get("id"))
    ref = ParsedReference(raw="", line=line, label=label)
    ref.work_type = _WORK_TYPES.get(_text(item.get("type")), OTHER)
    ref.authors = _names(item.get("author"))
    ref.editors = _names(item.get("editor"))
    ref.title = title_text(_without_markup(_text(item.get("title"))))
    ref.container_title = _text(item.get("container-title"))
    ref.year = _year(item.get("issued"))
    ref.volume, ref.issue = _text(item.get("volume")), _text(item.get("issue"))
    set_pages(ref, _text(item.get("page")) or _text(item.get("page-first")))
    if not (ref.pages or ref.elocator):
        ref.elocator = _text(item.get("article-number"))
    ref.publisher, ref.location = _text(item.get("publisher")), _text(item.get("publisher-place"))
    ref.url = _text(item.get("URL"))
    ref.doi = doi_from(_text(item.get("DOI"))) or doi_from_url(ref.url)
    ref.pmid, ref.pmcid = _text(item.get("PMID")), pmcid_from(_text(item.get("PMCID")))
    _read_record_fields(ref, item)
    return finish(ref, entry=label or ref.title[:60])


def _read_record_fields(ref: ParsedReference, item: dict[str, Any]) -> None:
    ref.abstract = _without_markup(_text(item.get("abstract")))
    ref.journal_abbrev = _text(item.get("container-title-short")) or _text(item.get("journalAbbreviation"))
    ref.issns = issns_from(_texts(item.get("ISSN")))
    ref.isbns = isbns_from(_texts(item.get("ISBN")))
    ref.language = _text(item.get("language"))
    keywords = _text(item.get("keyword"))
    ref.keywords = split_list([keywords], ";" if ";" in keywords else ",") if keywords else []
    ref.date = _date(item.get("issued"))


def _texts(value: Any) -> list[str]:
    """Every string of a CSL value that may be one string or a list of them (Crossref's ISSN)."""
    values = value if isinstance(value, list) else [value]
    return [text for one in values if (text := _text(one))]


def _without_markup(text: str) -> str:
    """CSL's rich text ("<i>Blood</i>") and JATS in Crossref abstracts, as plain text."""
    return clean(_MARKUP_RE.sub("", _BLOCK_MARKUP_RE.sub(" ", text))) if "<" in text else text


def _text(value: Any) -> str:
    """A CSL string, number, or Crossref's one-element list of strings."""
    if isinstance(value, list):
        value = value[0] if value else ""
    return clean(str(value)) if isinstance(value, str | int | float) else ""


def _date(date: Any) -> str:
    """'2007-07-28' from 'date-parts' [[2007, 7, 28]], else from 'raw' or 'literal' when they start with a year."""
    if not isinstance(date, dict):
        return ""
    parts = date.get("date-parts")
    if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
        return iso_date(" ".join(str(part) for part in parts[0][:3] if isinstance(part, int | str)))
    return iso_date(_text(date.get("raw")) or _text(date.get("literal")))


def _year(date: Any) -> int | None:
    """From 'date-parts' [[2007, 7, 28]], else 'literal' or 'raw'."""
    if not isinstance(date, dict):
        return None
    parts = date.get("date-parts")
    if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
        return year_from(parts[0][0])
    return year_from(_text(date.get("literal")) or _text(date.get("raw")))


def _names(value: Any) -> list[Name]:
    if not isinstance(value, list):
        return []
    return [name for person in value if isinstance(person, dict) and (name := _name(person))]


def _name(person: dict[str, Any]) -> Name | None:
    family = " ".join(_text(person.get(key)) for key in _FAMILY_PARTS if person.get(key))
    if not family:
        literal = _text(person.get("literal"))
        return Name(family=literal, collective=True) if literal else None
    return Name(family=family, given=compact_initials(_text(person.get("given"))))
