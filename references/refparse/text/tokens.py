"""Split a reference string into tokens: whitespace words, with Vancouver's `2019;37(25):2246-56` cut apart."""

from __future__ import annotations

import re
from typing import NamedTuple

_WORD_RE = re.compile(r"\S+")
# Cut after "2019;" / "Feb;" and after "37(25):" / "128:" when pages follow; nowhere else, so that titles
# like "t(4;11)" and URLs stay whole.
_VANCOUVER_CUT_RE = re.compile(r"(?<=\d{4};)(?=\d)|(?<=[A-Z][a-z]{2};)(?=\d)|(?<=[\d)]:)(?=[A-Za-z]{0,4}\d)")
# A list number glued to the first author, '17.Creed' or '[3]Smith', is a token of its own.
_GLUED_NUMBER_RE = re.compile(r"^(?:\[\d{1,4}\]|\d{1,4}[.)])(?=[^\W\d_])")


class Token(NamedTuple):
    text: str
    start: int  # offset in the reference string
    end: int


def tokenize(text: str) -> list[Token]:
    """Whitespace tokens of `text`; a token's offsets point into `text`."""
    tokens: list[Token] = []
    for match in _WORD_RE.finditer(text):
        word, start = match.group(), match.start()
        if not tokens and (number := _GLUED_NUMBER_RE.match(word)):
            tokens.append(Token(number.group(), start, start + number.end()))
            word, start = word[number.end() :], start + number.end()
        if ";" not in word and ":" not in word:
            tokens.append(Token(word, start, start + len(word)))
            continue
        begin = 0
        for cut in _VANCOUVER_CUT_RE.finditer(word):
            tokens.append(Token(word[begin : cut.start()], start + begin, start + cut.start()))
            begin = cut.start()
        tokens.append(Token(word[begin:], start + begin, start + len(word)))
    return tokens
