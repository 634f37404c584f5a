"""Helpers shared by the page parsers: lines, DOIs, page ranges, names, link noise."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from references.identifiers import DOI_RE
from references.people import Name
from references.worktypes import BOOK_CHAPTER, CASE_REPORT, JOURNAL_ARTICLE, REVIEW

_INVISIBLE_RE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_PAGES_RE = re.compile(r"^([A-Za-z]*)(\d+)\s*[-\u2010-\u2015\u2212]+\s*([A-Za-z]*)(\d+)(.*)$")
_ISSN_RE = re.compile(r"\b(\d{4}-\d{3}[\dXx])\b")
_YEAR_RE = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_INITIALS_RE = re.compile(r"^(?:[^\W\d_]{1,2}\.(?:\s*-\s*|\s*))+$")
_PACKED_INITIALS_RE = re.compile(r"^[A-Z]{1,3}$")
# Tails of a name, spelled backwards for _tail_start, each after a space: 'E.B.' / 'J.-G.', and 'E. B.'.
_DOTTED_INITIALS_TAIL_RE = re.compile(r"(?:-?\s?\.[^\W\d_]{1,2})+(?=\s)")
_SPACED_INITIALS_TAIL_RE = re.compile(r"\n?(?:\s?\.[^\W\d_])+(?=\s)")
_PACKED_INITIALS_TAIL_RE = re.compile(r"\s([A-Z]{1,3})$")
_PARTICLES = frozenset(
    ("van", "von", "der", "den", "de", "del", "della", "di", "da", "dos", "du", "ten", "ter")
)
_CASE_REPORT_RE = re.compile(r"\b(?:case reports?|clinical case|case series)\b", re.IGNORECASE)
_TRAILING_LINKS_RE = re.compile(
    r"(?:\s+-\s+(?:DOI|PMC|PubMed|Free PMC article|Free article|Full text|Google Scholar))+\s*$"
    r"|(?:\s+(?:Article|CAS|PubMed Central|PubMed|MathSciNet|MATH|ADS))*\s+Google Scholar\s*$"
)
_CHROME_RE = re.compile(
    r"^(?:skip to|jump to|log ?in|sign ?in|sign ?up|menu|search|advanced search|cookie|we use cookies|"
    r"an official website|access keys|you are using|download pdf|cite this|share)\b",
    re.IGNORECASE,
)
_MENU_RE = re.compile(r"\s[|\u00b7\u2022>]\s")
_LINK_LINE_RE = re.compile(
    r"^(?:(?:Article|CAS|PubMed Central|PubMed|Google Scholar|MathSciNet|MATH|ADS)\s*)+$"
)


@dataclass(frozen=True)
class PageText:
    """A page reduced to clean lines; for HTML also its meta tags, <title> and first <h1>."""

    lines: list[str]
    meta: dict[str, list[str]] = field(default_factory=dict)
    html_title: str = ""
    h1: str = ""

    def meta_first(self, *names: str) -> str:
        for name in names:
            for value in self.meta.get(name, ()):
                if value:
                    return value
        return ""


def clean(value: str) -> str:
    """Collapse every kind of whitespace (no-break spaces included) to single spaces; drop invisible marks.
    str.split is several times faster than a regex, and readers call this on every value of every record."""
    if not value.isascii() and _INVISIBLE_RE.search(value):  # the invisible marks are none of them ASCII
        value = _INVISIBLE_RE.sub("", value)
    return " ".join(value.split())


def page_from_text(
    text: str, meta: dict[str, list[str]] | None = None, html_title: str = "", h1: str = ""
) -> PageText:
    lines = [clean(line) for line in text.split("\n")]
    return PageText(lines=lines, meta=meta or {}, html_title=html_title, h1=h1)


def strip_bullet(line: str) -> str:
    return line[1:].lstrip() if line[:1] in "\u2022\u00b7\u25e6\u25aa" else line


def find_line(lines: Sequence[str], wanted: Iterable[str] | str, start: int = 0) -> int:
    """Index of the first line equal to one of `wanted` (case-insensitive), else -1."""
    targets = {wanted.lower()} if isinstance(wanted, str) else {w.lower() for w in wanted}
    for index in range(start, len(lines)):
        if lines[index].lower() in targets:
            return index
    return -1


def next_nonblank(lines: Sequence[str], start: int) -> int:
    for index in range(start, len(lines)):
        if lines[index]:
            return index
    return -1


def paragraphs(lines: Sequence[str], start: int, stop: re.Pattern[str]) -> list[str]:
    """Blank-line separated paragraphs from `start` until a line matching `stop`."""
    found: list[str] = []
    current: list[str] = []
    for line in lines[start:]:
        if line and stop.match(line):
            break
        if line:
            current.append(line)
        elif current:
            found.append(" ".join(current))
            current = []
    if current:
        found.append(" ".join(current))
    return found


def expand_pages(value: str) -> str:
    """'2246\u201356' -> '2246-2256', 'e205-17' -> 'e205-e217'; other forms are kept, dashes made hyphens."""
    value = clean(value).rstrip(".")
    match = _PAGES_RE.match(value)
    if not match:
        return value
    prefix, first, end_prefix, last, rest = match.groups()
    if len(last) < len(first):
        last = first[: len(first) - len(last)] + last
    return f"{prefix}{first}-{end_prefix or prefix}{last}{rest}"


def issns_in(text: str) -> list[str]:
    return unique(issn.upper() for issn in _ISSN_RE.findall(text))


def year_in(text: str) -> int | None:
    match = _YEAR_RE.search(text)
    return int(match.group(1)) if match else None


def unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))


def compact_initials(given: str) -> str:
    """'E. B.' -> 'E.B.', 'J.-G.' stays, PubMed's packed 'JAE' -> 'J.A.E.'; full names are kept."""
    given = clean(given)
    if _PACKED_INITIALS_RE.match(given):
        return "".join(f"{letter}." for letter in given)
    if given and _INITIALS_RE.match(given):
        return re.sub(r"\s+", "", given)
    return given


def person_inverted(printed: str) -> Name:
    """'Breese, E.H.' or 'Sidhu, Jasmeet'."""
    family, _, given = clean(printed).partition(",")
    return Name(family=family.strip(), given=compact_initials(given), printed=clean(printed))


def person_family_first(printed: str) -> Name:
    """'Machneva E.B.' or PubMed's 'Irving JAE': the initials come last."""
    printed = clean(printed)
    start = _trailing_initials_start(printed)
    if start < 0:
        return Name(family=printed, printed=printed)
    return Name(family=printed[:start].rstrip(), given=compact_initials(printed[start:]), printed=printed)


def _trailing_initials_start(printed: str) -> int:
    """Where the initials after the last space-separated family words start ('Irving JAE' -> 7), else -1."""
    dotted = _tail_start(printed, _DOTTED_INITIALS_TAIL_RE)
    packed = _PACKED_INITIALS_TAIL_RE.search(printed)
    starts = [start for start in (dotted, packed.start(1) if packed else -1) if start >= 0]
    return min(starts, default=-1)


def _tail_start(text: str, reversed_tail: re.Pattern[str]) -> int:
    """Where the longest tail of `text` that `reversed_tail` (spelled backwards) matches starts, else -1.

    A search for "a space, then this up to the end" would retry from every space (quadratic); matching the
    reversed text from its start reads it once."""
    match = reversed_tail.match(text[::-1])
    return len(text) - match.end() if match else -1


def person_natural(printed: str) -> Name:
    """'Safiye Suna Celen', 'E. B. Machneva', 'Ludo van der Linden': the family name comes last."""
    printed = clean(printed)
    words = printed.split(" ")
    cut = len(words) - 1
    while cut > 1 and words[cut - 1].lower() in _PARTICLES:
        cut -= 1
    return Name(family=" ".join(words[cut:]), given=compact_initials(" ".join(words[:cut])), printed=printed)


def person_any(printed: str) -> Name:
    """A name of unknown order, as meta tags give them."""
    if "," in printed:
        return person_inverted(printed)
    if _tail_start(printed, _SPACED_INITIALS_TAIL_RE) >= 0 or _PACKED_INITIALS_TAIL_RE.search(printed):
        return person_family_first(printed)
    return person_natural(printed)


def strip_link_noise(raw: str) -> str:
    """Remove the link words that sites append to a reference."""
    previous = None
    while previous != raw:
        previous = raw
        raw = _TRAILING_LINKS_RE.sub("", raw).rstrip()
    return raw


def is_link_line(line: str) -> bool:
    return bool(_LINK_LINE_RE.match(line))


def first_substantial(lines: Sequence[str], start: int = 0, stop: int | None = None) -> str:
    """The first line that reads like a title: a few words, no site chrome, no label."""
    for line in lines[start:stop]:
        if (
            len(line) >= 20
            and len(line.split()) >= 3
            and not line.endswith(":")
            and not _CHROME_RE.match(line)
            and not DOI_RE.search(line)
            and not _MENU_RE.search(line)
        ):
            return line
    return ""


def work_type(title: str, publication_types: Iterable[str] = (), chapter: bool = False) -> str:
    types = {t.lower() for t in publication_types}
    if types & {"review", "systematic review", "scoping review"}:
        return REVIEW
    if _CASE_REPORT_RE.search(title) or "case reports" in types:
        return CASE_REPORT
    return BOOK_CHAPTER if chapter else JOURNAL_ARTICLE


def count_markers(lines: Sequence[str], exact: frozenset[str], prefixes: tuple[str, ...] = ()) -> int:
    """How many distinct layout markers occur: whole lines in `exact`, line starts in `prefixes`."""
    found: set[str] = set()
    for line in map(strip_bullet, lines):
        if line in exact:
            found.add(line)
        elif prefixes and line.startswith(prefixes):
            found.update(p for p in prefixes if line.startswith(p))
    return len(found)


# Affiliation marks after a name ('1', '*', '(2)', '¹²'), spelled backwards for _tail_start.
_AFFILIATION_MARKS_TAIL_RE = re.compile(r"(?:(?:\d++|\*|\)\d++\(|[\u00b9\u00b2\u00b3\u2070-\u2079]++)\s*+)++")
_NAME_WORD_RE = re.compile(r"^(?:[^\W\d_][\w'\u2019.-]*|[^\W\d_]{1,3}\.?)$")


def author_list(line: str) -> list[str]:
    """The names in a line like 'Jasmeet Sidhu 1, Amita Trehan 2' or 'Locatelli F(1), Schrappe M'; [] if it is
    not such a line."""
    parts = re.split(r",\s*|\s+and\s+", line.rstrip("."))
    names = [name for part in parts if (name := _without_marks(part).strip())]
    # One name without affiliation marks is indistinguishable from a short title.
    if not names or (len(names) == 1 and _without_marks(parts[0]) == parts[0]):
        return []
    return names if all(looks_like_name(name) for name in names) else []


def _without_marks(part: str) -> str:
    start = _tail_start(part, _AFFILIATION_MARKS_TAIL_RE)
    return part[:start] if start >= 0 else part


def looks_like_name(value: str) -> bool:
    """Two to five capitalised words (particles like 'van' allowed): 'Jasmeet Sidhu', 'Schrappe M'."""
    words = value.strip().split(" ")
    return (
        2 <= len(words) <= 5
        and all(_NAME_WORD_RE.match(word) for word in words)
        and all(word[0].isupper() or word in _PARTICLES for word in words)
    )
