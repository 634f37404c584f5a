"""Token features for the CRF: dictionary-free, cached per distinct word so a reference costs little."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .tokens import Token

# Linear on long tokens: a trailing run is tried only where it begins; a range only needs to exist.
_STRIP_RE = re.compile(r"^\W+|(?<!\W)\W+$")
_YEAR_RE = re.compile(r"^\W{0,2}(1[5-9]\d\d|20\d\d)[a-z]?\W{0,3}$")
_INITIALS_RE = re.compile(r"^(?:[A-Z]\.-?){1,3},?$|^[A-Z]{1,3},?$")
_RANGE_RE = re.compile(r"\d\s*+[-\u2010-\u2015\u2212]++\s*+[A-Za-z]?\d")
_URL_RE = re.compile(r"^(?:https?://|www\.)", re.IGNORECASE)
_DOI_RE = re.compile(r"10\.\d{4,9}/")
_VOLUME_BLOCK_RE = re.compile(r"^\d+[a-z]?\(.+\):?[,.]?$|^\d+:$")
_ROMAN_RE = re.compile(r"^[ivxlcdm]+\W?$", re.IGNORECASE)
_SHAPE_SUBS = (
    (re.compile(r"[A-Z\u00c0-\u00de]+"), "X"),
    (re.compile(r"[a-z\u00df-\u00ff]+"), "x"),
    (re.compile(r"\d+"), "d"),
)
_NEIGHBOUR_KEYS = ("w", "s", "e")


def shape(word: str) -> str:
    """'Pieters,' -> 'Xx,'; '2007;' -> 'd;'; '(2009).' -> '(d).'."""
    for pattern, letter in _SHAPE_SUBS:
        word = pattern.sub(letter, word)
    return word[:8]


@lru_cache(maxsize=65536)
def word_features(word: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """(own features, features as seen from the next token, features as seen from the previous token)."""
    folded = unicodedata.normalize("NFKC", word)
    bare = _STRIP_RE.sub("", folded).lower()
    own = {
        "w": bare[:20] or folded[:6],
        "s": shape(folded),
        "e": folded[-1] if not folded[-1].isalnum() else "_",
        "b": folded[0] if not folded[0].isalnum() else "_",
        "p3": bare[:3],
        "x3": bare[-3:],
        "n": str(min(len(bare), 8)),
    }
    flags = _flags(folded, bare)
    features = tuple(f"{key}={value}" for key, value in own.items()) + flags
    before = tuple(f"-1{key}={own[key]}" for key in _NEIGHBOUR_KEYS) + tuple(f"-1{f}" for f in flags)
    after = tuple(f"+1{key}={own[key]}" for key in _NEIGHBOUR_KEYS) + tuple(f"+1{f}" for f in flags)
    return features, before, after


def _flags(folded: str, bare: str) -> tuple[str, ...]:
    checks = (
        ("year", _YEAR_RE.match(folded)),
        ("init", _INITIALS_RE.match(folded)),
        ("range", _RANGE_RE.search(folded)),
        ("url", _URL_RE.match(folded)),
        ("doi", _DOI_RE.search(folded)),
        ("vblock", _VOLUME_BLOCK_RE.match(folded)),
        ("roman", _ROMAN_RE.match(folded) and len(bare) <= 5),
        ("cap", folded[:1].isupper()),
        ("digit", bare.isdigit()),
    )
    return tuple(name for name, hit in checks if hit)


def sequence_features(tokens: list[Token]) -> list[list[str]]:
    """One feature list per token: its own features, its neighbours' and where it sits in the string."""
    cached = [word_features(token.text) for token in tokens]
    count = len(tokens)
    rows = []
    seen_year = False
    stops = 0  # sentence ends so far, initials excluded: Vancouver's "Authors. Title. Journal." counts them
    for index, (own, _, _) in enumerate(cached):
        row = [*own, f"pos={index * 10 // count}", f"stops={min(stops, 4)}"]
        if seen_year:
            row.append("after_year")
        row.extend(cached[index - 1][1] if index else ("BOS",))
        row.extend(cached[index + 1][2] if index + 1 < count else ("EOS",))
        if index >= 2:
            row.append(f"-2w={cached[index - 2][0][0][2:]}")
        if index + 2 < count:
            row.append(f"+2w={cached[index + 2][0][0][2:]}")
        rows.append(row)
        word = tokens[index].text
        seen_year = seen_year or "year" in own
        stops += word[-1] == "." and len(word) > 3
    return rows
