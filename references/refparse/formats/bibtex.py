"""BibTeX / BibLaTeX entries, read with bibtexparser 2.x."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager

import bibtexparser
from bibtexparser import middlewares
from bibtexparser.model import (
    DuplicateBlockKeyBlock,
    DuplicateFieldKeyBlock,
    Entry,
    MiddlewareErrorBlock,
    ParsingFailedBlock,
)

from references.importers.text import clean, compact_initials
from references.refparse.records import (
    BOOK,
    BOOK_CHAPTER,
    CONFERENCE_ABSTRACT,
    JOURNAL_ARTICLE,
    OTHER,
    REPORT,
    WEB_PAGE,
    Name,
    ParsedList,
    ParsedReference,
    Problem,
)

from .fields import doi_from, doi_from_url, finish, name_from, pmcid_from, set_pages, title_text, year_from
from .latex import latex_to_text

_WORK_TYPES = {
    "article": JOURNAL_ARTICLE,
    "book": BOOK,
    "booklet": BOOK,
    "mvbook": BOOK,
    "inbook": BOOK_CHAPTER,
    "incollection": BOOK_CHAPTER,
    "bookinbook": BOOK_CHAPTER,
    "inproceedings": CONFERENCE_ABSTRACT,
    "conference": CONFERENCE_ABSTRACT,
    "techreport": REPORT,
    "report": REPORT,
    "online": WEB_PAGE,
    "electronic": WEB_PAGE,
    "www": WEB_PAGE,
    "webpage": WEB_PAGE,
}
_ENTRY_KEY_RE = re.compile(r"@\w+\s*[{(]\s*([^\s,{}()]*)")
# Names are split before LaTeX decoding, so that braces still protect "and" in group names.
_BLOCK_STACK = (
    middlewares.NormalizeFieldKeys(allow_inplace_modification=True),
    middlewares.RemoveEnclosingMiddleware(allow_inplace_modification=True),
    middlewares.SeparateCoAuthors(allow_inplace_modification=True),
    middlewares.SplitNameParts(allow_inplace_modification=True),
)
# Verbatim in BibLaTeX: LaTeX decoding would read the "%" of "10.1126%2Fscience" as a comment.
_VERBATIM_FIELDS = frozenset(("url", "doi", "eprint", "pmid", "pmcid"))


def parse_bibtex(text: str) -> ParsedList:
    parsed = ParsedList(format="bibtex")
    with _quiet_parser():
        string_stack = [middlewares.ResolveStringReferencesMiddleware(allow_inplace_modification=True)]
        library = bibtexparser.parse_string(text, parse_stack=string_stack)
        for block in library.blocks:
            if isinstance(block, Entry):
                parsed.references.append(_reference(block, library))
            elif isinstance(block, DuplicateBlockKeyBlock | DuplicateFieldKeyBlock):
                parsed.references.append(_reference_with_duplicate(block, library))
            elif isinstance(block, ParsingFailedBlock):
                parsed.problems.append(_failed_block_problem(block))
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


def _reference_with_duplicate(
    block: DuplicateBlockKeyBlock | DuplicateFieldKeyBlock, library: bibtexparser.Library
) -> ParsedReference:
    ref = _reference(block.ignore_error_block, library)
    if isinstance(block, DuplicateBlockKeyBlock):
        message = f"duplicate key {block.key}"
    else:
        message = f"field given twice: {', '.join(sorted(block.duplicate_keys))}"
    ref.problems.append(Problem(message, line=ref.line, entry=ref.label))
    return ref


def _failed_block_problem(block: ParsingFailedBlock) -> Problem:
    match = _ENTRY_KEY_RE.match(block.raw or "")
    key = match.group(1) if match else ""
    line = (block.start_line or 0) + 1
    reason = str(getattr(block.error, "abort_reason", block.error))
    entry = f"entry {key}" if key else "entry"
    if "`}`" in reason or "end of file" in reason:
        message = f"unbalanced braces in {entry} starting at line {line}"
    else:
        message = f"{entry} starting at line {line} could not be read: {reason.strip()}"
    return Problem(message, line=line, entry=key)


def _split_entry(entry: Entry, library: bibtexparser.Library) -> tuple[Entry, list[Problem]]:
    problems: list[Problem] = []
    for middleware in _BLOCK_STACK:
        block = middleware.transform_block(entry, library)
        if isinstance(block, MiddlewareErrorBlock):
            line = (entry.start_line or 0) + 1
            problems.append(Problem(f"could not read all of it: {block.error}", line=line, entry=entry.key))
            block = block.ignore_error_block
        entry = block
    return entry, problems


def _reference(raw_entry: Entry, library: bibtexparser.Library) -> ParsedReference:
    entry, problems = _split_entry(raw_entry, library)
    fields = {field.key: _decoded(field.key, field.value) for field in entry.fields}
    ref = ParsedReference(raw="", line=(entry.start_line or 0) + 1, label=entry.key, problems=problems)
    ref.work_type = _work_type(entry.entry_type, fields)
    ref.authors, ref.et_al = _names(fields.get("author", []))
    ref.editors, _ = _names(fields.get("editor", []))
    _read_text_fields(ref, fields)
    _read_identifiers(ref, fields)
    return finish(ref, entry=entry.key)


def _work_type(entry_type: str, fields: dict[str, object]) -> str:
    if entry_type.lower() == "misc" and fields.get("url") and not fields.get("journal"):
        return WEB_PAGE
    return _WORK_TYPES.get(entry_type.lower(), OTHER)


def _read_text_fields(ref: ParsedReference, fields: dict[str, object]) -> None:
    def text(*keys: str) -> str:
        return next((clean(str(fields[key])) for key in keys if fields.get(key)), "")

    ref.title = title_text(text("title"))
    ref.container_title = text("journal", "journaltitle", "booktitle")
    ref.year = year_from(text("year", "date"))
    ref.volume, ref.issue = text("volume"), text("number", "issue")
    ref.publisher = text("publisher", "institution", "organization", "school")
    ref.location = text("address", "location")
    set_pages(ref, text("pages"))
    if not ref.pages:
        ref.elocator = text("eid")


def _read_identifiers(ref: ParsedReference, fields: dict[str, object]) -> None:
    def text(key: str) -> str:
        return clean(str(fields.get(key, "")))

    ref.url = text("url")
    ref.doi = doi_from(text("doi").replace("\\_", "_")) or doi_from_url(ref.url)
    ref.pmid = text("pmid")
    ref.pmcid = pmcid_from(text("pmcid"))
    eprint_type = (text("eprinttype") or text("archiveprefix")).lower()
    if eprint_type == "pubmed" and not ref.pmid:
        ref.pmid = text("eprint")
    elif eprint_type in ("pmc", "pubmedcentral") and not ref.pmcid:
        ref.pmcid = pmcid_from(text("eprint"))


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
    return Name(family=clean(family), given=compact_initials(given))


def _decoded(key: str, value: object) -> object:
    return latex_to_text(value) if isinstance(value, str) and key not in _VERBATIM_FIELDS else value
