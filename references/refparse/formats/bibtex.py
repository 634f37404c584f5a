"""BibTeX / BibLaTeX entries, read with bibtexparser 2.x: `@string`s, `crossref` and `xdata` resolved."""

from __future__ import annotations

import itertools
import logging
import re
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import bibtexparser
from bibtexparser import middlewares
from bibtexparser.model import (
    DuplicateBlockKeyBlock,
    DuplicateFieldKeyBlock,
    Entry,
    Field,
    MiddlewareErrorBlock,
    ParsingFailedBlock,
)

from references.importers.text import clean, compact_initials
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
)

from .bibtex_inheritance import Fields, Inheritance, Source
from .fields import doi_from, doi_from_url, finish, name_from, pmcid_from, set_pages, title_text, year_from
from .latex import latex_to_text
from .values import isbns_from, iso_date, issns_from, split_list

_WORK_TYPES = {
    "article": JOURNAL_ARTICLE,
    "book": BOOK,
    "booklet": BOOK,
    "mvbook": BOOK,
    "inbook": BOOK_CHAPTER,
    "incollection": BOOK_CHAPTER,
    "bookinbook": BOOK_CHAPTER,
    "book_section": BOOK_CHAPTER,  # Mendeley
    "inproceedings": CONFERENCE_ABSTRACT,
    "conference": CONFERENCE_ABSTRACT,
    "techreport": REPORT,
    "report": REPORT,
    "online": WEB_PAGE,
    "electronic": WEB_PAGE,
    "www": WEB_PAGE,
    "webpage": WEB_PAGE,
    "web_page": WEB_PAGE,  # Mendeley
}
_ENTRY_KEY_RE = re.compile(r"@\w+\s*[{(]\s*([^\s,{}()]*)")
# EndNote writes entries without a key ("@article{\n author = ..."): a placeholder key lets bibtexparser read
# them, and the reference gets a label made from its first author and year.
_KEYLESS_RE = re.compile(
    r"^[ \t]*@(?!(?:string|preamble|comment)\b)[A-Za-z_]+[ \t]*[{(](?=\s*[A-Za-z][\w-]*\s*=)",
    re.MULTILINE | re.IGNORECASE,
)
_KEYLESS_MARK = "keyless\u00a7"
_CLEANING_STACK = (
    middlewares.NormalizeFieldKeys(allow_inplace_modification=True),
    middlewares.RemoveEnclosingMiddleware(allow_inplace_modification=True),
)
# Names are split before LaTeX decoding, so that braces still protect "and" in group names.
_NAME_STACK = (
    middlewares.SeparateCoAuthors(allow_inplace_modification=True),
    middlewares.SplitNameParts(allow_inplace_modification=True),
)
# Verbatim in BibLaTeX: LaTeX decoding would read the "%" of "10.1126%2Fscience" as a comment.
_VERBATIM_FIELDS = frozenset(("url", "doi", "eprint", "pmid", "pmcid"))
_JOURNAL_ABBREVIATIONS = ("shortjournal", "journalabbrev", "journal-iso")
_NOT_LETTER_RE = re.compile(r"[^A-Za-z]")
_COMMA_LIST_RE = re.compile(r",[ \t]*\n")


def parse_bibtex(text: str) -> ParsedList:
    parsed = ParsedList(format="bibtex")
    with _quiet_parser():
        numbers = itertools.count(1)
        text = _KEYLESS_RE.sub(lambda match: f"{match.group(0)}{_KEYLESS_MARK}{next(numbers)},", text)
        string_stack = [middlewares.ResolveStringReferencesMiddleware(allow_inplace_modification=True)]
        library = bibtexparser.parse_string(text, parse_stack=string_stack)
        entries: list[tuple[Entry, list[Problem]]] = []
        for block in library.blocks:
            if isinstance(block, Entry):
                entries.append(_cleaned(block, library))
            elif isinstance(block, DuplicateBlockKeyBlock | DuplicateFieldKeyBlock):
                if isinstance(block.ignore_error_block, Entry):  # a repeated @string is no entry
                    entries.append(_cleaned_duplicate(block, library))
                else:
                    parsed.problems.append(_repeated_string_problem(block))
            elif isinstance(block, ParsingFailedBlock):
                parsed.problems.append(_failed_block_problem(block))
        _read_entries(parsed, entries, library)
    return parsed


@contextmanager
def _quiet_parser() -> Iterator[None]:
    """bibtexparser logs a warning for every failed block; they reach the curator as Problems instead."""
    logger = logging.getLogger("bibtexparser")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _read_entries(
    parsed: ParsedList, entries: list[tuple[Entry, list[Problem]]], library: bibtexparser.Library
) -> None:
    """References in file order; `crossref` and `xdata` may point forwards, so every entry is indexed first."""
    own = [Source(entry.entry_type.lower(), _values(entry)) for entry, _ in entries]
    sources: dict[str, Source] = {}
    for (entry, _), source in zip(entries, own, strict=True):
        sources.setdefault(entry.key, source)
    inheritance = Inheritance(sources)
    labels = _Labels({key for key in sources if not key.startswith(_KEYLESS_MARK)})
    for (entry, problems), source in zip(entries, own, strict=True):
        if source.entry_type == "set":
            parsed.problems.append(_set_problem(entry, source.fields))
        elif source.entry_type != "xdata":  # a container of fields for other entries, not a work
            first = sources[entry.key] is source
            fields = inheritance.fields(entry.key, source) if first else inheritance.fields("", source)
            notes = inheritance.problems.get(entry.key, []) if first else []
            parsed.references.append(_reference(entry, fields, library, problems, notes, labels))


def _cleaned(entry: Entry, library: bibtexparser.Library) -> tuple[Entry, list[Problem]]:
    return _run_stack(_CLEANING_STACK, entry, library)


def _cleaned_duplicate(
    block: DuplicateBlockKeyBlock | DuplicateFieldKeyBlock, library: bibtexparser.Library
) -> tuple[Entry, list[Problem]]:
    entry, problems = _cleaned(block.ignore_error_block, library)
    if isinstance(block, DuplicateBlockKeyBlock):
        message = f"duplicate key {block.key}"
    else:
        message = f"field given twice: {', '.join(sorted(block.duplicate_keys))}"
    problems.append(Problem(message, line=(entry.start_line or 0) + 1, entry=entry.key))
    return entry, problems


def _repeated_string_problem(block: DuplicateBlockKeyBlock | DuplicateFieldKeyBlock) -> Problem:
    line = (block.start_line or 0) + 1
    return Problem(f"@string {block.key} defined again; the first definition is used", line=line)


def _values(entry: Entry) -> Fields:
    return {field.key: str(field.value) for field in entry.fields}


def _set_problem(entry: Entry, fields: Fields) -> Problem:
    members = ", ".join(key.strip() for key in fields.get("entryset", "").split(",") if key.strip())
    message = f"@set entry {entry.key} only groups other entries ({members}); skipped, its members are read"
    return Problem(message, line=(entry.start_line or 0) + 1, entry=entry.key)


def _failed_block_problem(block: ParsingFailedBlock) -> Problem:
    match = _ENTRY_KEY_RE.match(block.raw or "")
    key = match.group(1) if match else ""
    key = "" if key.startswith(_KEYLESS_MARK) else key
    line = (block.start_line or 0) + 1
    reason = str(getattr(block.error, "abort_reason", block.error))
    entry = f"entry {key}" if key else "entry"
    if "`}`" in reason or "end of file" in reason:
        message = f"unbalanced braces in {entry} starting at line {line}"
    else:
        message = f"{entry} starting at line {line} could not be read: {reason.strip()}"
    return Problem(message, line=line, entry=key)


def _run_stack(
    stack: tuple[middlewares.BlockMiddleware, ...], entry: Entry, library: bibtexparser.Library
) -> tuple[Entry, list[Problem]]:
    problems: list[Problem] = []
    for middleware in stack:
        block = middleware.transform_block(entry, library)
        if isinstance(block, MiddlewareErrorBlock):
            line = (entry.start_line or 0) + 1
            problems.append(Problem(f"could not read all of it: {block.error}", line=line, entry=entry.key))
            block = block.ignore_error_block
        entry = block
    return entry, problems


def _reference(
    entry: Entry,
    fields: Fields,
    library: bibtexparser.Library,
    problems: list[Problem],
    notes: list[str],
    labels: _Labels,
) -> ParsedReference:
    problems = [*problems, *_comma_list_problems(fields, entry)]
    merged = Entry(
        entry.entry_type, entry.key, [Field(key, value) for key, value in fields.items()], entry.start_line
    )
    merged, name_problems = _run_stack(_NAME_STACK, merged, library)
    values = {field.key: _decoded(field.key, field.value) for field in merged.fields}
    ref = ParsedReference(raw="", line=(entry.start_line or 0) + 1, problems=[*problems, *name_problems])
    ref.work_type = _work_type(entry.entry_type, values)
    ref.authors, ref.et_al = _names(values.get("author", []))
    ref.editors, _ = _names(values.get("editor", []))
    _read_text_fields(ref, values)
    _read_record_fields(ref, values)
    _read_identifiers(ref, values)
    ref.label = labels.new(ref) if entry.key.startswith(_KEYLESS_MARK) or not entry.key else entry.key
    ref.problems.extend(Problem(note, line=ref.line, entry=ref.label) for note in notes)
    return finish(ref, entry=ref.label)


def _comma_list_problems(fields: Fields, entry: Entry) -> list[Problem]:
    """Authors listed with commas and line breaks instead of "and": read as they are written, one per part."""
    value = fields.get("author", "")
    parts = [part.strip() for part in value.split(",")]
    if " and " in value or not _COMMA_LIST_RE.search(value) or any(len(part.split()) < 2 for part in parts):
        return []
    fields["author"] = " and ".join(parts)
    message = f"authors separated by commas instead of 'and'; read as {len(parts)} authors"
    return [Problem(message, line=(entry.start_line or 0) + 1, entry=entry.key)]


def _work_type(entry_type: str, fields: dict[str, object]) -> str:
    if entry_type.lower() == "misc" and fields.get("url") and not fields.get("journal"):
        return WEB_PAGE
    return _WORK_TYPES.get(entry_type.lower(), OTHER)


def _text_reader(fields: dict[str, object]) -> Callable[..., str]:
    """text("journal", "journaltitle"): the first of the fields present, cleaned."""

    def text(*keys: str) -> str:
        return next((clean(str(fields[key])) for key in keys if fields.get(key)), "")

    return text


def _read_text_fields(ref: ParsedReference, fields: dict[str, object]) -> None:
    text = _text_reader(fields)
    ref.title = title_text(text("title"))
    ref.container_title = text("journal", "journaltitle", "booktitle")
    ref.year = year_from(text("year", "date"))
    ref.volume, ref.issue = text("volume"), text("number", "issue")
    ref.publisher = text("publisher", "institution", "organization", "school")
    ref.location = text("address", "location", "city")
    set_pages(ref, text("pages"))
    if not ref.pages:
        ref.elocator = text("eid")


def _read_record_fields(ref: ParsedReference, fields: dict[str, object]) -> None:
    text = _text_reader(fields)
    ref.abstract = text("abstract")
    ref.journal_abbrev = text(*_JOURNAL_ABBREVIATIONS)
    ref.issns = issns_from([text("issn")])
    ref.isbns = isbns_from([text("isbn")])
    ref.language = text("language", "langid")
    keywords = text("keywords")
    ref.keywords = split_list([keywords], ";" if ";" in keywords else ",")
    ref.date = _date(text("date"), ref.year, text("month"), text("day"))


def _date(date: str, year: int | None, month: str, day: str) -> str:
    """biblatex's ISO `date` ("2017-12", or the start of "2004/2005"), else `year`, `month` and `day`."""
    if date and (found := iso_date(date.split("/")[0])):
        return found
    return iso_date(" ".join(part for part in (str(year), month, day) if part)) if year else ""


def _read_identifiers(ref: ParsedReference, fields: dict[str, object]) -> None:
    text = _text_reader(fields)
    ref.url = text("url")
    ref.doi = doi_from(text("doi").replace("\\_", "_")) or doi_from_url(ref.url)
    ref.pmid = text("pmid")
    ref.pmcid = pmcid_from(text("pmcid"))
    eprint_type = text("eprinttype", "archiveprefix").lower()
    if eprint_type == "pubmed" and not ref.pmid:
        ref.pmid = text("eprint")
    elif eprint_type in ("pmc", "pubmedcentral") and not ref.pmcid:
        ref.pmcid = pmcid_from(text("eprint"))


class _Labels:
    """Labels for entries that came without a key: first author's family name and year, made unique."""

    def __init__(self, taken: set[str]) -> None:
        self._taken = {key.casefold() for key in taken}

    def new(self, ref: ParsedReference) -> str:
        family = ref.authors[0].family if ref.authors else (ref.editors[0].family if ref.editors else "")
        ascii_family = unicodedata.normalize("NFKD", family).encode("ascii", "ignore").decode()
        base = (_NOT_LETTER_RE.sub("", ascii_family) or "entry") + (str(ref.year) if ref.year else "")
        for suffix in itertools.chain([""], _letters()):
            if (base + suffix).casefold() not in self._taken:
                self._taken.add((base + suffix).casefold())
                return base + suffix
        raise AssertionError("unreachable: the suffixes never run out")


def _letters() -> Iterator[str]:
    for length in itertools.count(1):
        for letters in itertools.product("abcdefghijklmnopqrstuvwxyz", repeat=length):
            yield "".join(letters)


def _names(value: object) -> tuple[list[Name], bool]:
    """Names from SplitNameParts (strings when it failed); a trailing 'others' means 'et al.'."""
    if not isinstance(value, list):
        return [], False
    names = [name_from(latex_to_text(parts)) if isinstance(parts, str) else _name(parts) for parts in value]
    et_al = bool(names) and names[-1].family.lower() == "others" and not names[-1].given
    return (names[:-1] if et_al else names), et_al


def _name(parts: middlewares.NameParts) -> Name:
    family = " ".join(latex_to_text(part) for part in (*parts.von, *parts.last, *parts.jr))
    given = " ".join(latex_to_text(part) for part in parts.first)
    if _braced_whole(parts):
        return Name(family=clean(family), collective=True)
    return Name(family=clean(family), given=compact_initials(given))


def _braced_whole(parts: middlewares.NameParts) -> bool:
    """ "{National Cancer Institute}": a name braced whole is a group's, not a person's."""
    last = parts.last[0] if len(parts.last) == 1 else ""
    return not (parts.first or parts.von or parts.jr) and last.startswith("{") and last.endswith("}")


def _decoded(key: str, value: object) -> object:
    return latex_to_text(value) if isinstance(value, str) and key not in _VERBATIM_FIELDS else value
