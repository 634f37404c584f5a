"""BibTeX entries that pass biber's data-model validation and classic bibtex with plain.bst.

Two encodings: UTF-8 (the default) keeps every character of every script as it is, for biber and biblatex
or for lualatex and xelatex with a Unicode font; ``ascii=True`` writes every non-ASCII character as LaTeX, in
the brace-protected form (``M{\\"o}ricke``) bibtex sorts and case-changes correctly, which pdflatex builds
(a character it has no LaTeX for, such as CJK, becomes its code point). Either way the LaTeX special
characters are escaped and every value has balanced braces.

A record without a title or a year still passes both tools without a warning, and nothing is made up for it:
see ``_MISSING_TITLE`` and ``_UNSPECIFIED_DATE``.
"""

from __future__ import annotations

import functools
import logging
import re
import unicodedata
from urllib.parse import quote

from pylatexenc.latexencode import UnicodeToLatexEncoder

from references.people import Name
from references.worktypes import (
    BOOK,
    BOOK_CHAPTER,
    CASE_REPORT,
    CLINICAL_TRIAL,
    CONFERENCE_ABSTRACT,
    JOURNAL_ARTICLE,
    OTHER,
    REPORT,
    REVIEW,
    WEB_PAGE,
)

from .records import PAGE_DASHES, ExportRecord, clean

# `online` is biblatex-only: plain.bst warns "entry type ... isn't style-file defined", so web pages are `misc`.
ENTRY_TYPES: dict[str, str] = {
    JOURNAL_ARTICLE: "article",
    REVIEW: "article",
    CASE_REPORT: "article",
    CLINICAL_TRIAL: "article",
    BOOK_CHAPTER: "incollection",
    BOOK: "book",
    REPORT: "techreport",
    CONFERENCE_ABSTRACT: "inproceedings",
    WEB_PAGE: "misc",
    OTHER: "misc",
}

# The fields an entry type cannot do without, in plain.bst or in biblatex's data model (title and year aside,
# see below). A record that lacks one is written as `misc`, which needs only a title.
_REQUIRED: dict[str, tuple[str, ...]] = {
    "article": ("authors", "container_title"),
    "book": ("authors", "publisher"),  # biblatex: author; plain: publisher
    # biblatex: editor; plain: publisher
    "incollection": ("authors", "editors", "container_title", "publisher"),
    "inbook": ("authors", "container_title", "publisher", "pages"),  # plain: chapter or pages
    "inproceedings": ("authors", "container_title"),
    "techreport": ("authors", "publisher"),  # written as institution
    "misc": (),
}
# A chapter without editors is biblatex's `inbook` (a part of a book with its own title).
_CANDIDATES = {BOOK_CHAPTER: ("incollection", "inbook")}

_CONTAINER_FIELD = {
    "article": "journal",
    "book": "series",
    "incollection": "booktitle",
    "inbook": "booktitle",
    "inproceedings": "booktitle",
    "misc": "howpublished",
}
# The record fields each type has a field for in both tools. Volume, issue, pages, publisher and ISBN that a
# type has no field for go to `note` (biber warns about fields a type does not have); an ISSN only fits an
# article; an article's publisher and ISBN say nothing a reader needs; plain.bst warns about a book that has
# both authors and editors, so its editors are left out. In book-like types `number` is the number in a
# series and plain.bst warns when it comes with a volume, so an issue goes to `note` there.
_FIELDS = {
    "article": {"editors", "volume", "issue", "pages", "issn"},
    "book": {"volume", "pages", "publisher", "isbn"},
    "incollection": {"editors", "volume", "pages", "publisher", "isbn"},
    "inbook": {"editors", "volume", "pages", "publisher", "isbn"},
    "inproceedings": {"editors", "volume", "pages", "publisher", "isbn"},
    "techreport": {"issue", "pages", "publisher"},
    "misc": {"editors"},
}
_NOT_IN_NOTE = {"article": {"publisher", "isbn"}}

# In ordinary text. `\{` would not do for braces: bibtex counts every brace, escaped or not, so a lone `\{`
# leaves the value unbalanced. `<`, `>` and `|` print as other glyphs in LaTeX's default OT1 encoding.
_SPECIALS = str.maketrans(
    {
        "\\": r"\textbackslash{}",
        "{": r"\textbraceleft{}",
        "}": r"\textbraceright{}",
        "&": r"\&",
        "%": r"\%",
        "$": r"\$",
        "#": r"\#",
        "_": r"\_",
        "~": r"\textasciitilde{}",
        "^": r"\textasciicircum{}",
        "<": r"\textless{}",
        ">": r"\textgreater{}",
        "|": r"\textbar{}",
    }
)


def _charset(ranges: str) -> str:
    """A regex character-class body from "00A0-0125 0192 …" (hex code points)."""
    parts = []
    for item in ranges.split():
        first, _, last = item.partition("-")
        parts.append(re.escape(chr(int(first, 16))) + ("-" + re.escape(chr(int(last, 16))) if last else ""))
    return "".join(parts)


# Characters whose pylatexenc replacement builds with pdflatex, article class and T1 fonts, no other package:
# found by compiling each replacement. The others need amssymb, T2A fonts and the like, or are pylatexenc slips
# (`\nument`, math macros outside math mode); they fall back to accents on a base letter or compatibility forms.
_PYLATEXENC_TYPESET = _charset(
    "00A0-00B7 00B9-0148 014A-017E 0192 01E7 01F5 0228-0229 02B7 02BC 02C6-02C7 02D8-02DD 0307-0308 0344 037E "
    "0386-038A 038C 038E-038F 0391-03A1 03A3-03CE 03D1 03D5-03D6 03F1 03F5 1F71 1F73 1F75 1F77 1F79 1F7B 1F7D "
    "1FBB 1FBE 1FC9 1FCB 1FDB 1FE3 1FEB 1FEF 1FF9 1FFB 1FFD 2010 2012-2016 2018-201A 201C-201E 2020-2022 "
    "2024-2026 2030-2034 2039-203B 203D 2044 204E 2052 2057 2070-2071 2074-208E 2090-2093 2095-209C 20A1 20A4 "
    "20A6 20A9 20AB-20AC 20B1 2103 2109-210A 210E-210F 2113 2116-2118 211E 2120 2122 2126-2127 212A-212B "
    "212E-212F 2134-2135 2190-2199 21A6 21A9-21AA 21BC-21BD 21C0-21C1 21CC 21D0-21D5 2200 2202-2203 2206-220D "
    "220F-2213 2215 2217-221E 2220 2223 2225 2227-222B 222E 2236-2237 223A 223C 2240-2241 2243-2245 2247-2249 "
    "224D 2250 2254-2255 2260-2262 2264-2265 226A-226B 226D 227A-227D 2282-2287 228E 2291-2299 22A2-22A5 "
    "22C0-22C6 22C8 22E2-22E3 22EE-22EF 22F1"
)
_NEEDS_LATEX_ASCII = re.compile(r"[^\x00-\x7f]")
_HAS_PYLATEXENC = re.compile(f"[{_PYLATEXENC_TYPESET}]")

# Combining marks and the LaTeX accent that puts each on a base letter (for letters pylatexenc lacks, e.g. ǎ).
_ACCENTS = {
    "\u0300": "`",
    "\u0301": "'",
    "\u0302": "^",
    "\u0303": "~",
    "\u0304": "=",
    "\u0306": "u",
    "\u0307": ".",
    "\u0308": '"',
    "\u030a": "r",
    "\u030b": "H",
    "\u030c": "v",
    "\u0323": "d",
    "\u0326": "textcommabelow",
    "\u0327": "c",
    "\u0328": "k",
    "\u0331": "b",
}

# Braces around every replacement ("{\"o}"): the form bibtex treats as one letter when sorting and changing case.
_ENCODER = UnicodeToLatexEncoder(
    non_ascii_only=True, replacement_latex_protection="braces-all", unknown_char_policy="keep"
)
logging.getLogger("pylatexenc.latexencode").setLevel(logging.ERROR)


@functools.cache
def _char_to_latex(char: str) -> str:
    if char.isascii():
        return char.translate(_SPECIALS)
    if _HAS_PYLATEXENC.match(char):
        return _ENCODER.unicode_to_latex(char)
    base, *marks = unicodedata.normalize("NFD", char)
    if marks and base.isascii() and base.isalpha() and all(mark in _ACCENTS for mark in marks):
        latex = base
        for mark in marks:
            latex = f"\\{_ACCENTS[mark]}{{{latex}}}"
        return "{" + latex + "}"
    compatible = unicodedata.normalize("NFKC", char)
    if compatible != char:  # ligatures, full-width and mathematical letters, superscripts
        return "".join(_char_to_latex(c) for c in compatible)
    # Nothing pdflatex typesets without further packages (CJK, Cyrillic…): the code point, so no build breaks.
    return f"{{[U+{ord(char):04X}]}}"


def _match_to_latex(match: re.Match[str]) -> str:
    return _char_to_latex(match.group())


def _latex(text: str, ascii: bool) -> str:
    """Cleaned text as LaTeX: only the special characters escaped in UTF-8, every non-ASCII one too in ASCII."""
    text = text.translate(_SPECIALS)
    if not ascii or text.isascii():
        return text
    return _NEEDS_LATEX_ASCII.sub(_match_to_latex, text)


def latex_text(text: str, *, ascii: bool = False) -> str:
    """Plain text as the value of a BibTeX field."""
    return _latex(clean(text), ascii) if text else ""


# --- Titles: protect what a style must not lower-case -------------------------------------------------------

_TITLE_TOKEN = re.compile(
    r"(?P<karyotype>\b(?:t|der|del|dup|ins|inv|add|idic|i)\([0-9XYpq.;,\s]+\)(?:\([0-9XYpq.;,\s]+\))*)"
    r"|[^\W_]+(?:[-‐][^\W_]+)*"
)
_PARTS = re.compile(r"[-‐]")


def _is_symbol(word: str) -> bool:
    """A gene or protein symbol or an acronym: KMT2A, CD19, ALL, CAR-T, Interfant-99, iPSC, B-cell."""
    if word.islower():
        return False
    if any(char.isdigit() for char in word):
        return any(char.isupper() for char in word)
    parts = _PARTS.split(word)
    for part in parts:
        if len(part) == 1:
            # "B-cell", "phase I"; but a lone "A" is the article
            if part.isupper() and (len(parts) > 1 or part != "A"):
                return True
            continue
        capitals = 0
        after_lower = False
        for char in part:
            if char.isupper():
                capitals += 1
                if capitals == 2 or after_lower:
                    return True
            after_lower = char.islower()
    return False


def latex_title(title: str, *, ascii: bool = False) -> str:
    """The title with symbols, acronyms and karyotypes in braces, so styles that lower-case titles keep them.

    Ordinary capitalised words are left alone, so styles can still change their case.
    """
    title = clean(title)
    out = []
    done = 0
    for match in _TITLE_TOKEN.finditer(title):
        word = match.group()
        if match.lastgroup == "karyotype" or _is_symbol(word):
            out.append(_latex(title[done : match.start()], ascii))
            out.append("{" + _latex(word, ascii) + "}")
            done = match.end()
    out.append(_latex(title[done:], ascii))
    return "".join(out)


# --- Names ----------------------------------------------------------------------------------------------------

# bibtex splits a name list at " and " and a name at its commas, whatever the case of "and".
_SPLITS_NAME = re.compile(r",|\band\b", re.IGNORECASE)


@functools.lru_cache(maxsize=1 << 16)  # names recur from work to work
def _name_part(text: str, ascii: bool) -> str:
    latex = latex_text(text, ascii=ascii)
    return "{" + latex + "}" if _SPLITS_NAME.search(latex) else latex


def latex_name(person: Name, *, ascii: bool = False) -> str:
    """The name as "Family, Given"; an organisation braced whole, so bibtex does not split it into names."""
    if person.is_organisation:
        return "{" + latex_text(person.family, ascii=ascii) + "}"
    family = _name_part(person.family, ascii)
    given = _name_part(person.given, ascii)
    return f"{family}, {given}" if given else family


def _names(people: tuple[Name, ...], ascii: bool) -> str:
    return " and ".join(latex_name(p, ascii=ascii) for p in people if clean(p.family))


# --- Identifiers and pages ------------------------------------------------------------------------------------

# url and doi are verbatim in biblatex (a `\%` would print its backslash) and plain.bst ignores them, so they
# are written raw; only what the .bib syntax or a URL cannot hold raw is percent-encoded.
_URL_SAFE = "".join(chr(c) for c in range(33, 127) if chr(c) not in '{}\\"')
_URL_UNSAFE = re.compile(r'[{}\\"\s]')
_DOI_PREFIX = re.compile(r"^\s*(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
# url.sty's \url cannot hold these inside another command's argument, which is where biblatex puts howpublished.
_URL_IN_ARGUMENT_UNSAFE = re.compile(r"[%#]|\^\^")


def _verbatim(value: str) -> str:
    """A URL or DOI as it can stand raw in a .bib file."""
    value = value.strip()
    if value.isascii() and not _URL_UNSAFE.search(value):
        return value
    return quote(value, safe=_URL_SAFE)


def _doi(doi: str) -> str:
    return _verbatim(_DOI_PREFIX.sub("", doi))


def _pages(pages: str, ascii: bool) -> str:
    return _latex(PAGE_DASHES.sub("--", clean(pages)), ascii)


def _issn(issns: tuple[str, ...]) -> str:
    """The first ISSN with a valid check digit (biber's data model rejects any other, and takes only one)."""
    for issn in issns:
        digits = re.sub(r"[\s-]", "", issn).upper()
        if re.fullmatch(r"\d{7}[\dX]", digits):
            total = sum((8 - i) * int(d) for i, d in enumerate(digits[:7]))
            check = (11 - total % 11) % 11
            if digits[7] == ("X" if check == 10 else str(check)):
                return f"{digits[:4]}-{digits[4:]}"
    return ""


def _isbn(isbns: tuple[str, ...]) -> str:
    """The first ISBN with a valid check digit (biber's data model rejects any other)."""
    for isbn in isbns:
        isbn = isbn.strip()
        digits = re.sub(r"[\s-]", "", isbn).upper()
        if _isbn_valid(digits):
            return isbn.upper() if re.fullmatch(r"[\dX-]+", isbn.upper()) else digits
    return ""


def _isbn_valid(digits: str) -> bool:
    if re.fullmatch(r"\d{9}[\dX]", digits):
        return sum((10 - i) * (10 if d == "X" else int(d)) for i, d in enumerate(digits)) % 11 == 0
    if re.fullmatch(r"97[89]\d{10}", digits):
        return sum((3 if i % 2 else 1) * int(d) for i, d in enumerate(digits)) % 10 == 0
    return False


# --- Entries --------------------------------------------------------------------------------------------------

_KEY = re.compile(r"[A-Za-z0-9_:.-]+")

# A record without a title or a year gets no made-up value, yet passes both tools without a warning:
# - biblatex's data model requires a title for every type, and plain.bst warns about an empty one for every type
#   but misc, while both take `{}` (an empty group) as present. So the title is `{}`, and `note` says that no
#   title was given. plain.bst prints `{}.` where the title goes, a lone full stop.
# - biblatex requires `date` or `year` for every type, and plain.bst warns "empty year" for every type but misc.
#   So the record is a `misc` with `date = {XXXX}`, ISO 8601-2's "year unspecified". biblatex's `date` takes the
#   unspecified digits of ISO 8601-2 §4.3 (its manual shows `199X` and `19XX`); biber 2.18 reads `XXXX` as a date
#   with an empty year, without a warning, so no year is printed. plain.bst ignores `date`. `note` says that no
#   year was given.
# - plain.bst sorts by author, else by `key`: the title, else the cite key.
_MISSING_TITLE = "{}"
_UNSPECIFIED_DATE = "XXXX"


def entry_type(record: ExportRecord) -> str:
    """The BibTeX type for the record: its work type's, or `misc` when the record lacks what that type needs."""
    if record.year is None:
        return "misc"
    for candidate in _CANDIDATES.get(record.work_type, (ENTRY_TYPES.get(record.work_type, "misc"),)):
        if all(_present(record, name) for name in _REQUIRED[candidate]):
            return candidate
    return "misc"


def _present(record: ExportRecord, name: str) -> bool:
    value = getattr(record, name)
    if isinstance(value, tuple):
        return any(person.family.strip() for person in value)
    return bool(clean(value))


def bibtex_header(*, ascii: bool = False) -> str:
    """A comment line for the top of the file (bibtex and biber skip text outside entries)."""
    return f"% Exported by ALL curation, {'ASCII with LaTeX escapes' if ascii else 'UTF-8'}\n\n"


def bibtex_entry(record: ExportRecord, *, ascii: bool = False, abstract: bool = False) -> str:
    """One entry: `  field = {value},` lines in a fixed order, empty fields left out, then a blank line."""
    if not _KEY.fullmatch(record.key):
        raise ValueError(f"not a usable BibTeX key: {record.key!r}")
    bibtype = entry_type(record)
    fields = _fields(record, bibtype, ascii)
    if abstract:
        fields.append(("abstract", latex_text(record.abstract, ascii=ascii)))
    body = "".join(f"  {name} = {{{value}}},\n" for name, value in fields if value)
    return f"@{bibtype}{{{record.key},\n{body}}}\n\n"


def _fields(record: ExportRecord, bibtype: str, ascii: bool) -> list[tuple[str, str]]:
    has = _FIELDS[bibtype]
    container_field = _CONTAINER_FIELD.get(bibtype)
    container = latex_text(record.container_title, ascii=ascii)
    howpublished = _web_address(record.url) if record.work_type == WEB_PAGE else ""
    in_container_field = container_field is not None and not howpublished
    pmid = latex_text(record.pmid, ascii=ascii)
    return [
        ("author", _names(record.authors, ascii)),
        ("editor", _names(record.editors, ascii) if "editors" in has else ""),
        # plain.bst sorts by author, else by this `key` field (biber drops it without a warning).
        (
            "key",
            ""
            if _present(record, "authors")
            else latex_text(record.title, ascii=ascii) or latex_text(record.key),
        ),
        ("title", latex_title(record.title, ascii=ascii) or _MISSING_TITLE),
        (container_field or "", howpublished or (container if in_container_field else "")),
        ("year", str(record.year) if record.year is not None else ""),
        ("date", _UNSPECIFIED_DATE if record.year is None else ""),
        ("volume", latex_text(record.volume, ascii=ascii) if "volume" in has else ""),
        ("number", latex_text(record.issue, ascii=ascii) if "issue" in has else ""),
        ("pages", _pages(record.pages, ascii) if "pages" in has else ""),
        (
            "institution" if bibtype == "techreport" else "publisher",
            latex_text(record.publisher, ascii=ascii) if "publisher" in has else "",
        ),
        ("note", _note(record, bibtype, "" if in_container_field else container, ascii)),
        ("doi", _doi(record.doi)),
        # biblatex's way to a PubMed ID; a `pmid` field is not in its data model and biber drops it with a warning.
        ("eprint", pmid),
        ("eprinttype", "pubmed" if pmid else ""),
        ("url", _verbatim(record.url)),
        ("issn", _issn(record.issns) if "issn" in has else ""),
        ("isbn", _isbn(record.isbns) if "isbn" in has else ""),
        ("keywords", ", ".join(_keyword(word, ascii) for word in record.keywords if clean(word))),
    ]


def _web_address(url: str) -> str:
    """How plain.bst shows a web page's address: `\\url{…}` where url.sty allows it, else escaped text."""
    url = _verbatim(url)
    if not url or _URL_IN_ARGUMENT_UNSAFE.search(url):
        return _latex(url, ascii=True)
    return rf"\url{{{url}}}"


def _note(record: ExportRecord, bibtype: str, container: str, ascii: bool) -> str:
    """What the entry type has no field for, so that nothing is lost ("Blood, vol. 110, no. 3, pp. 317--335"),
    then what the record lacks ("No year given")."""
    has = _FIELDS[bibtype] | _NOT_IN_NOTE.get(bibtype, set())
    pages = _pages(record.pages, ascii) if "pages" not in has else ""
    isbn = _isbn(record.isbns) if "isbn" not in has else ""
    parts = [
        container,
        "vol. " + latex_text(record.volume, ascii=ascii)
        if "volume" not in has and clean(record.volume)
        else "",
        "no. " + latex_text(record.issue, ascii=ascii) if "issue" not in has and clean(record.issue) else "",
        ("pp. " if "--" in pages else "p. ") + pages if pages else "",
        latex_text(record.publisher, ascii=ascii) if "publisher" not in has else "",
        "ISBN " + isbn if isbn else "",
    ]
    described = ", ".join(part for part in parts if part)
    return ". ".join(part for part in (described, _not_given(record)) if part)


def _not_given(record: ExportRecord) -> str:
    """What the record lacks, said in the note: No title given, No year given, No title or year given."""
    missing = [
        name
        for name, given in (("title", _present(record, "title")), ("year", record.year is not None))
        if not given
    ]
    return f"No {' or '.join(missing)} given" if missing else ""


def _keyword(word: str, ascii: bool) -> str:
    # biblatex splits keywords at commas; a MeSH heading such as "Leukemia, Myeloid" is one keyword.
    latex = latex_text(word, ascii=ascii)
    return "{" + latex + "}" if "," in latex else latex
