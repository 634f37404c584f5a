"""Vocabulary mentions in titles and abstracts: plain Python, no ORM.

    matcher = default_matcher()                      # or matcher_for(Term(f.label, tuple(f.synonyms)) ...)
    matcher.find(work.abstract, "abstract")          # [Mention(label="HSCT", field="abstract", start=.., ...)]
    suggestions(matcher, {"title": ..., "abstract": ...})   # {label: first Mention}
    named_whole(matcher, work.publication_types, "publication_type")   # "Review" names "review"
    highlight(work.abstract, mentions)               # escaped HTML with <mark class="mention" ...>
    sentence_around(work.abstract, m.start, m.end)   # (begin, end) of the sentence: the evidence to quote

Matching rules, per word of a synonym:
- Acronym-like words (a capital after the first letter, letters mixed with digits, a lone capital: ALL, SCT,
  KMT2A, CD10, InO, pro-B) match exactly as written; ordinary words ignore case ("Relapse", "RELAPSE").
- A synonym starts and ends at a word boundary: "SCT" is not found in "scattered", "chemo" not in
  "chemotherapy". Hyphen, dash and space between words are interchangeable ("stem-cell" = "stem cell");
  between two acronyms "-", "/" and "::" are too ("KMT2A/AFF1" = "KMT2A::AFF1" = "KMT2A-AFF1").
- British and American spellings are one: haem/hem, leukaem/leukem, paed/ped, anaem/anem, tumour/tumor.
- The last word of a synonym takes light inflections when it is alphabetic and 4+ letters long:
  plurals ("infants", "therapies", "inhibitors") and, for words ending in "e", "-d" and "-ing"
  ("relapsed", "relapsing"). "-ed" is not added to other words: "reviewed" or "reported" are not findings.
  Acronyms of 3+ capitals take a plural "s" ("HSCTs").
- At one position the longest synonym wins ("MLL gene rearrangement" over "MLL"), and mentions of one
  label separated only by a space or hyphen merge ("allogeneic HSCT" is one mention).

Sentences end at . ! or ? followed by a space and a capital or a digit, or at a line break; not after
"e.g.", "vs.", "et al.", "Fig.", an initial, nor inside "2.5" or "t(4;11)".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .vocabulary import VOCABULARY

FIELD_ORDER = ("title", "abstract", "keywords")


@dataclass(frozen=True)
class Term:
    """A label and the ways papers write it; the label itself counts as one of them."""

    label: str
    synonyms: tuple[str, ...] = ()

    @property
    def spellings(self) -> tuple[str, ...]:
        return (self.label, *self.synonyms)


@dataclass(frozen=True)
class Mention:
    label: str
    field: str
    start: int
    end: int
    text: str  # == source[start:end]


# --- Compiling synonyms into one regular expression -------------------------------------------------------

_DASHES = "\\-\u2010\u2011\u2013"  # hyphen-minus, hyphen, non-breaking hyphen, en dash
_SEPARATOR = rf"(?:\s+|[{_DASHES}])"
_FUSION = rf"(?:::|\s+|[/{_DASHES}])"  # between two gene names: MLL-AF4, KMT2A/AFF1, KMT2A::AFF1
_TRAILING_DASH = f"[{_DASHES}\u2212]"  # "CD10-" is also printed with a minus sign: "CD10−"
_TOKEN_RE = re.compile(r"[^\W_]+|\s+|.", re.DOTALL)

# American fragment, index of the British extra letter, the letter, whether only at the start of a word.
_SPELLINGS = (
    ("hem", 1, "a", True),
    ("leukem", 4, "a", False),
    ("ped", 1, "a", True),
    ("anem", 2, "a", True),
    ("tumor", 4, "u", False),
    ("edem", 0, "o", True),
    ("esoph", 0, "o", True),
)
_BRITISH = (("haem", "hem"), ("leukaem", "leukem"), ("paed", "ped"), ("anaem", "anem"), ("tumour", "tumor"))


def _is_exact(word: str) -> bool:
    """Acronyms and gene names keep their case: ALL is not "all", SCT is not "sct"."""
    has_digit = any(c.isdigit() for c in word)
    has_alpha = any(c.isalpha() for c in word)
    return (
        any(c.isupper() for c in word[1:])
        or (has_digit and has_alpha)
        or (len(word) == 1 and word.isupper())
        or not has_alpha
    )


def _letter(c: str) -> str:
    return f"[{c}{c.upper()}]" if c.upper() != c else re.escape(c)


def _spelled(word: str) -> list[str]:
    """One unit per letter, case-insensitive, with the British extra letters optional."""
    american = word
    for british, us in _BRITISH:
        american = american.replace(british, us)
    optional: dict[int, str] = {}
    for fragment, offset, letter, at_start in _SPELLINGS:
        for found in re.finditer(fragment, american):
            if not at_start or found.start() == 0:
                optional[found.start() + offset] = letter
    units = []
    for i, c in enumerate(american):
        if i in optional:
            units.append(_letter(optional[i]) + "?")
        units.append(_letter(c))
    return units


def _inflected(units: list[str], word: str) -> list[str]:
    """Light inflection of a synonym's last word (see the module docstring)."""
    if len(word) < 4 or not word.isalpha() or word.endswith(("s", "ed", "ing")):
        return units
    if word.endswith("y") and word[-2] not in "aeiou":
        return [*units[:-1], "(?:[yY]|[iI][eE][sS])"]
    if word.endswith("e"):
        return [*units[:-1], "(?:[eE][sSdD]?|[iI][nN][gG])"]
    return [*units, "(?:[eE]?[sS])?"]


def _word_units(word: str, exact: bool, last: bool) -> list[str]:
    if exact:
        units = [re.escape(c) for c in word]
        if last and word.isalpha() and word.isupper() and len(word) >= 3:
            units.append("s?")
        return units
    units = _spelled(word.lower())
    return _inflected(units, word.lower()) if last else units


def _separator_unit(sep: str, before: str, after: str) -> str:
    if sep.isspace() or sep == "-":
        both_exact = _is_exact(before) and _is_exact(after)
        return _FUSION if both_exact else _SEPARATOR
    if sep == "/":
        return _FUSION if _is_exact(before) and _is_exact(after) else r"\s*/\s*"
    if sep == ";":
        return r";\s*"  # t(4;11) is also printed t(4; 11)
    return re.escape(sep)


def synonym_units(synonym: str) -> list[str]:
    """A synonym as a list of small regular expressions, one per letter or separator."""
    tokens = _TOKEN_RE.findall(synonym.strip())
    words = [i for i, token in enumerate(tokens) if token[0].isalnum()]
    last_word = words[-1] if words else -1
    units: list[str] = []
    for i, token in enumerate(tokens):
        if token[0].isalnum():
            units += _word_units(token, _is_exact(token), last=i == last_word)
        elif i == len(tokens) - 1 and token == "-":
            units.append(_TRAILING_DASH)
        elif 0 < i < len(tokens) - 1 and tokens[i - 1][0].isalnum() and tokens[i + 1][0].isalnum():
            units.append(_separator_unit(token, tokens[i - 1], tokens[i + 1]))
        elif token.isspace():
            units.append(r"\s+")
        else:
            units.append(re.escape(token))
    return units


class _Trie:
    """Synonyms sharing a beginning share a branch, so the regex tests a first letter once per position."""

    def __init__(self) -> None:
        self.children: dict[str, _Trie] = {}
        self.label: str | None = None

    def add(self, units: list[str], label: str) -> None:
        node = self
        for unit in units:
            node = node.children.setdefault(unit, _Trie())
        if node.label is None:
            node.label = label

    def height(self) -> int:
        return 1 + max((child.height() for child in self.children.values()), default=0)

    def pattern(self, labels: list[str]) -> str:
        """The regex of this branch; each synonym ends in an empty group whose number gives its label."""
        # Longer continuations first: the regex takes the first branch that matches, and we want the longest.
        ordered = sorted(self.children.items(), key=lambda item: (-item[1].height(), item[0]))
        branches = [unit + child.pattern(labels) for unit, child in ordered]
        if self.label is not None:
            labels.append(self.label)
            branches.append(r"(?!\w)()")
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"


class Matcher:
    """Finds the mentions of a set of terms; compile once, call find() per text."""

    def __init__(self, terms: Iterable[Term]) -> None:
        trie = _Trie()
        for term in terms:
            for spelling in term.spellings:
                if spelling.strip():
                    trie.add(synonym_units(spelling), term.label)
        self._labels: list[str] = []
        # A lookbehind, not \b: synonyms may start with punctuation, and it is also faster here.
        self._regex = re.compile(r"(?<!\w)" + trie.pattern(self._labels)) if trie.children else None

    def find(self, text: str, field: str) -> list[Mention]:
        """Non-overlapping mentions in text order."""
        if not text or self._regex is None:
            return []
        labels = self._labels
        found = [
            Mention(labels[m.lastindex - 1], field, m.start(), m.end(), m.group())
            for m in self._regex.finditer(text)
        ]
        return _merge_neighbours(found, text)


_JOIN_RE = re.compile(rf"[\s{_DASHES}]{{1,2}}")


def _merge_neighbours(mentions: list[Mention], text: str) -> list[Mention]:
    """ "allogeneic" + " " + "HSCT" is one mention of HSCT."""
    merged: list[Mention] = []
    for mention in mentions:
        previous = merged[-1] if merged else None
        if (
            previous
            and previous.label == mention.label
            and _JOIN_RE.fullmatch(text, previous.end, mention.start)
        ):
            start, end = previous.start, mention.end
            merged[-1] = Mention(mention.label, mention.field, start, end, text[start:end])
        else:
            merged.append(mention)
    return merged


def vocabulary_terms() -> tuple[Term, ...]:
    """The starting vocabulary (curation.vocabulary) as Terms."""
    return tuple(Term(term.label, tuple(term.synonyms)) for term in VOCABULARY)


@lru_cache(maxsize=16)
def _cached_matcher(terms: tuple[Term, ...]) -> Matcher:
    return Matcher(terms)


def matcher_for(terms: Iterable[Term]) -> Matcher:
    """A Matcher, compiled once per distinct set of terms (e.g. the Finding rows of the moment)."""
    return _cached_matcher(tuple(Term(term.label, tuple(term.synonyms)) for term in terms))


def default_matcher() -> Matcher:
    return matcher_for(vocabulary_terms())


def suggestions(matcher: Matcher, fields: dict[str, str]) -> dict[str, Mention]:
    """Per label, its first mention: the title before the abstract before the keywords (then other fields)."""
    rank = {name: i for i, name in enumerate(FIELD_ORDER)}
    ordered = sorted(fields, key=lambda name: rank.get(name, len(FIELD_ORDER)))
    first: dict[str, Mention] = {}
    for name in ordered:
        for mention in matcher.find(fields[name] or "", name):
            first.setdefault(mention.label, mention)
    return first


def named_whole(matcher: Matcher, values: Iterable[str], field: str) -> dict[str, Mention]:
    """Per label, the first value that is, as a whole, one of its spellings: a record's publication type
    "Case Reports" names "case report"; "Research Support, N.I.H." names nothing. The mention is the value as
    printed, its offsets within that value."""
    first: dict[str, Mention] = {}
    for value in values:
        printed = value.strip()
        found = matcher.find(printed, field)
        if len(found) == 1 and (found[0].start, found[0].end) == (0, len(printed)):
            first.setdefault(found[0].label, found[0])
    return first


# --- Sentences ---------------------------------------------------------------------------------------------

_BREAK_RE = re.compile(r"[.!?][\"'”’)\]]*(\s+)|(\n\s*)")
_OPENERS = "\"'“‘(["
# Words after which a full stop does not end the sentence; a lone letter is an initial ("J. Smith", "p. 12").
_NO_BREAK_AFTER_RE = re.compile(
    r"(?:\b(?:e\.g|i\.e|vs|al|approx|ca|cf|resp|Fig|Figs|fig|figs|No|no|Dr|Prof|Ref|Refs|vol|pp|Suppl)"
    r"|(?<!\w)[A-Za-z])[.]$"
)


def _breaks(text: str) -> Iterable[tuple[int, int]]:
    """(end of a sentence, start of the next) for each sentence break in text."""
    for m in _BREAK_RE.finditer(text):
        if m.group(2) is not None:  # a line break always ends a sentence (abstract sections)
            yield m.start(2), m.end(2)
            continue
        following = text[m.end(1) : m.end(1) + 2].lstrip(_OPENERS)
        if not following or not (following[0].isupper() or following[0].isdigit()):
            continue  # "29 patients relapsed." starts a sentence too
        if _NO_BREAK_AFTER_RE.search(text, max(0, m.start() - 8), m.start() + 1):
            continue
        yield m.start(1), m.end(1)


def sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The bounds of the sentence (or sentences) containing text[start:end], without outer whitespace."""
    begin, stop = 0, len(text)
    for sentence_end, next_start in _breaks(text):
        if next_start <= start:
            begin = next_start
        elif sentence_end >= end:
            stop = sentence_end
            break
    while begin < stop and text[begin].isspace():
        begin += 1
    while stop > begin and text[stop - 1].isspace():
        stop -= 1
    return begin, stop


# --- Highlighting ------------------------------------------------------------------------------------------


def highlight(text: str, mentions: Iterable[Mention]) -> SafeString:
    """text, HTML-escaped, with each mention in a <mark>; overlapping or stale mentions are left out."""
    parts: list[str] = []
    position = 0
    for mention in sorted(mentions, key=lambda m: (m.start, -m.end)):
        if mention.start < position or mention.end <= mention.start:
            continue
        if text[mention.start : mention.end] != mention.text:
            continue  # offsets from another version of the text
        label = escape(mention.label)
        parts.append(escape(text[position : mention.start]))
        parts.append(
            f'<mark class="mention" data-finding="{label}" title="{label}">{escape(mention.text)}</mark>'
        )
        position = mention.end
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))  # every piece above is escaped
