"""Scopus CSV exports and other delimited tables (comma, semicolon or tab) whose header names the columns."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import replace

from references.people import Name
from references.refparse.records import ParsedList, ParsedReference, Problem, Unreadable
from references.worktypes import BOOK, BOOK_CHAPTER, JOURNAL_ARTICLE, from_publication_types

from .fields import doi_from, doi_from_url, finish, name_from, pmcid_from, set_pages, title_text, year_from
from .values import clean, isbns_from, iso_date, issns_from, split_list

# Real abstracts and Scopus's reference lists run to about 100,000 characters; a field past this is not a record.
FIELD_SIZE_LIMIT = 10 * 1024 * 1024
DELIMITERS = (",", ";", "\t")
# Header names (lower-cased) -> the reader's field names.
COLUMNS = {
    **dict.fromkeys(("title", "article title", "document title", "primary title"), "title"),
    **dict.fromkeys(("authors", "author", "author(s)", "author names"), "authors"),
    **dict.fromkeys(("author full names", "author full name"), "full_names"),
    **dict.fromkeys(("authors with affiliations",), "authors_affiliations"),
    **dict.fromkeys(("year", "publication year", "pub year", "py"), "year"),
    **dict.fromkeys(("date", "publication date"), "date"),
    # Not "source": Scopus names the database in it.
    **dict.fromkeys(
        ("source title", "journal", "journal title", "publication title", "journal name"), "journal"
    ),
    **dict.fromkeys(("abbreviated source title", "journal abbreviation", "journal abbrev"), "journal_abbrev"),
    **dict.fromkeys(("volume",), "volume"),
    **dict.fromkeys(("issue", "number"), "issue"),
    **dict.fromkeys(("art. no.", "article number"), "article_number"),
    **dict.fromkeys(("page start", "start page"), "page_start"),
    **dict.fromkeys(("page end", "end page"), "page_end"),
    **dict.fromkeys(("pages", "page"), "pages"),
    **dict.fromkeys(("doi",), "doi"),
    **dict.fromkeys(("link", "url"), "url"),
    **dict.fromkeys(("abstract",), "abstract"),
    **dict.fromkeys(("author keywords", "keywords"), "keywords"),
    **dict.fromkeys(("index keywords",), "index_keywords"),
    **dict.fromkeys(("mesh", "mesh terms"), "mesh"),
    **dict.fromkeys(("pubmed id", "pmid"), "pmid"),
    **dict.fromkeys(("pmcid", "pmc id"), "pmcid"),
    **dict.fromkeys(("language of original document", "language"), "language"),
    **dict.fromkeys(("document type", "type", "publication type"), "type"),
    **dict.fromkeys(("issn",), "issn"),
    **dict.fromkeys(("isbn",), "isbn"),
    **dict.fromkeys(("publisher",), "publisher"),
    **dict.fromkeys(("eid", "id", "key"), "label"),
}
_NEEDED = frozenset(("title", "doi", "pmid"))
_NO_ABSTRACT = "[no abstract available]"
# Scopus: "Yagai T., Kimura Y." or "Smith, J., Doe, A.B." (a comma after the initials' full stop).
_SCOPUS_NAME_SPLIT_RE = re.compile(r"(?<=\.),\s+")
_SCOPUS_ID_RE = re.compile(r"\s*\(\d+\)\s*$")
_SCOPUS_EID = "2-s2.0-"
# 'Yagai T.', 'van der Berg A.-B.': the family name, then dotted initials with no space between them.
_DOTTED_INITIALS_RE = re.compile(r"(?:[^\W\d_]{1,2}\.-?)+")
_COMMA_RE = re.compile(r"\s*,\s*")


def parse_csv(text: str) -> ParsedList:
    csv.field_size_limit(FIELD_SIZE_LIMIT)
    if "\r" in text and "\n" not in text:  # an old Mac file's line ends, given without decoding
        text = text.replace("\r", "\n")
    rows = csv.reader(_lines(text), delimiter=delimiter_of(first_line(text)))
    try:
        columns = _columns(next(rows, []))
    except csv.Error as error:
        raise Unreadable(f"a CSV file whose header line cannot be read ({error})") from error
    if not _NEEDED & set(columns.values()):
        raise Unreadable("a CSV file whose header names no title, DOI or PMID column")
    parsed = ParsedList(format="csv")
    for line, row in _rows(rows, parsed):
        values = {field: row[index].strip() for index, field in columns.items() if index < len(row)}
        if any(values.values()):
            parsed.references.append(_reference(values, line))
    return parsed


def _lines(text: str) -> Iterator[str]:
    """The text's lines with their ends, one at a time: io.StringIO would copy the whole text, at four bytes a
    character. Line ends are "\n" alone (decoding made them so), and csv joins a quoted field's lines."""
    start = 0
    while (end := text.find("\n", start)) >= 0:
        yield text[start : end + 1]
        start = end + 1
    if start < len(text):
        yield text[start:]


def _columns(header: list[str]) -> dict[int, str]:
    """Column index -> field name; the first column naming a field wins ('Source title' before 'Source')."""
    columns: dict[int, str] = {}
    for index, name in enumerate(header):
        field = COLUMNS.get(_header_key(name))
        if field and field not in columns.values():
            columns[index] = field
    return columns


def first_line(text: str) -> str:
    end = text.find("\n")
    return (text if end < 0 else text[:end]).rstrip("\r")


def delimiter_of(header: str) -> str:
    """The delimiter a header line uses most (outside quotes it is the only punctuation a header repeats)."""
    unquoted = re.sub(r'"[^"]*"', "", header)
    return max(DELIMITERS, key=unquoted.count)


def header_columns(header: str) -> list[str]:
    """The reader's field names for the columns a header line names."""
    names = next(csv.reader([header], delimiter=delimiter_of(header)), [])
    return [COLUMNS[key] for name in names if (key := _header_key(name)) in COLUMNS]


def _header_key(name: str) -> str:
    return " ".join(name.removeprefix("\ufeff").strip().strip('"').lower().split())


def _rows(rows: Iterator[list[str]], parsed: ParsedList) -> Iterator[tuple[int, list[str]]]:
    """(line where the row starts, row); a broken row ends the file with a problem, as the rest cannot be
    told apart."""
    line = 2
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except csv.Error as error:
            parsed.problems.append(Problem(f"the table cannot be read from here on: {error}", line=line))
            return
        yield line, row
        line = rows.line_num + 1  # type: ignore[attr-defined]


def _reference(values: dict[str, str], line: int) -> ParsedReference:
    get = values.get
    ref = ParsedReference(raw="", line=line, label=get("label", ""))
    ref.authors = _authors(values)
    ref.title = title_text(get("title", ""))
    ref.container_title = clean(get("journal", ""))
    ref.journal_abbrev = clean(get("journal_abbrev", ""))
    ref.year = year_from(get("year", "")) or year_from(get("date", ""))
    ref.date = iso_date(get("date", "")) or (str(ref.year) if ref.year else "")
    ref.volume, ref.issue = clean(get("volume", "")), clean(get("issue", ""))
    _read_pages(ref, values)
    ref.url = clean(get("url", ""))
    ref.doi = doi_from(get("doi", "")) or doi_from_url(ref.url)
    ref.pmid = clean(get("pmid", ""))
    ref.pmcid = pmcid_from(get("pmcid", ""))
    _read_description(ref, values)
    return finish(ref, entry=ref.label or f"row {line}")


def _read_pages(ref: ParsedReference, values: dict[str, str]) -> None:
    start, end = clean(values.get("page_start", "")), clean(values.get("page_end", ""))
    set_pages(
        ref, f"{start}-{end}" if start and end and start != end else start or end or values.get("pages", "")
    )
    if not ref.pages:
        ref.elocator = clean(values.get("article_number", ""))


def _read_description(ref: ParsedReference, values: dict[str, str]) -> None:
    abstract = clean(values.get("abstract", ""))
    ref.abstract = "" if abstract.lower() == _NO_ABSTRACT else abstract
    ref.issns = issns_from([values.get("issn", "")])
    ref.isbns = isbns_from(values.get("isbn", "").split(";"))
    ref.language = clean(values.get("language", ""))
    ref.keywords = split_list([values.get("keywords", ""), values.get("index_keywords", "")])
    ref.mesh = split_list([values.get("mesh", "")])
    ref.publication_types = split_list([values.get("type", "")])
    ref.work_type = from_publication_types(ref.publication_types, JOURNAL_ARTICLE)
    if ref.work_type in (BOOK, BOOK_CHAPTER):
        ref.publisher = clean(values.get("publisher", ""))


def _authors(values: dict[str, str]) -> list[Name]:
    full = values.get("full_names", "")
    if full:
        printed = [_SCOPUS_ID_RE.sub("", part) for part in full.split(";") if part.strip()]
        read = _name
    else:
        printed = _split_authors(values.get("authors", ""))
        read = _family_first if values.get("label", "").startswith(_SCOPUS_EID) else _name
    affiliations = _affiliations(values.get("authors_affiliations", ""), len(printed))
    return [read(name, affiliation) for name, affiliation in zip(printed, affiliations, strict=True)]


def _name(printed: str, affiliation: str) -> Name:
    name = name_from(printed)
    return replace(name, affiliation=affiliation) if affiliation else name


def _family_first(printed: str, affiliation: str) -> Name:
    """Scopus prints the family name first even before a full given name ('Janko Wolfgang')."""
    family, _, initials = printed.rpartition(" ")
    if family and "," not in family and _DOTTED_INITIALS_RE.fullmatch(initials):
        # the common case, read without the general rules
        return Name(family=family, given=initials, affiliation=affiliation)
    name = _name(printed, affiliation)
    if "," in printed or name.given.endswith(".") or " " not in printed:
        return name
    family, given = printed.split(" ", 1)
    return Name(family=family, given=given, affiliation=affiliation)


def _split_authors(printed: str) -> list[str]:
    """'Smith J.; Doe A.B.', 'Smith, John and Doe, Anne', 'Yagai T., Kimura Y.', 'Smith, J., Doe, A.B.'."""
    printed = clean(printed)
    if not printed or printed.lower() in ("[no author name available]", "anon"):
        return []
    if ";" in printed:
        parts = printed.split(";")
    elif " and " in printed:
        parts = printed.split(" and ")
    else:
        parts = _SCOPUS_NAME_SPLIT_RE.split(printed)
    return [part.strip() for part in parts if part.strip()]


def _affiliations(printed: str, count: int) -> list[str]:
    """Scopus's 'Yagai, T., Sophia University, Tokyo, Japan; Kimura, Y., Meiji University, ...': one entry an
    author, in order; the affiliation follows the name's two parts. None when the entries are not one an
    author."""
    entries = [entry for entry in map(str.strip, printed.split(";")) if entry] if printed else []
    if len(entries) != count:
        return [""] * count
    return [
        _COMMA_RE.sub(", ", parts[2].strip()) if len(parts := entry.split(",", 2)) > 2 else ""
        for entry in entries
    ]
