"""Readable citation keys such as ``pieters2007treatment``, unique within a library."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from itertools import count, product
from string import ascii_lowercase

from references.matching import fold

_STOPWORDS = """
    a an the of on in for and to with from by at as is are its into onto or nor but vs versus via than
    be was were this that these those do does how what why when which who whose our we
"""
STOPWORDS = frozenset(_STOPWORDS.split())

_NOT_LETTER = re.compile(r"[^a-z]+")
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
_WORD_BREAK = re.compile(r"[\s\-‐‑‒–—―/]+")


def ascii_fold(text: str) -> str:
    """Lower-case ASCII: "Möricke" -> "moricke", "Łukasz" -> "lukasz"; other scripts are dropped."""
    return fold(text).encode("ascii", "ignore").decode("ascii")


def key_base(family: str, year: int | None, title: str) -> str:
    """The first author's family name, the year and the first significant title word: ``pieters2007treatment``."""
    name = _NOT_LETTER.sub("", ascii_fold(family)) or "anon"
    return f"{name}{year if year is not None else 'nd'}{_first_word(title)}"


def _first_word(title: str) -> str:
    for word in _WORD_BREAK.split(title):
        word = _NOT_ALNUM.sub("", ascii_fold(word))
        if word and word not in STOPWORDS:
            return word
    return ""


def unique_key(base: str, taken: Callable[[str], bool] | set[str]) -> str:
    """``base`` if free, else ``base`` + "a", "b", … "z", "aa", "ab", …: never a key that is taken."""
    is_taken = taken.__contains__ if isinstance(taken, set | frozenset) else taken
    return next(key for key in _candidates(base) if not is_taken(key))


def _candidates(base: str) -> Iterator[str]:
    yield base
    for length in count(1):
        for letters in product(ascii_lowercase, repeat=length):
            yield base + "".join(letters)
