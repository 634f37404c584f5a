"""Deciding whether a cited reference is a work the library already has. Plain Python: no ORM."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from rapidfuzz import fuzz

# Below this title similarity two works are never the same; above it they are when year and first author agree.
TITLE_THRESHOLD = 0.92
# Without a first author on one side, only a near-identical title (same year) will do.
TITLE_ONLY_THRESHOLD = 0.98

_NON_ALNUM_RE = re.compile(r"[\W_]+")  # letters and digits of every script stay
# Letters that Unicode does not decompose into an ASCII base letter plus accents.
_LETTERS = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "œ": "oe",
        "ø": "o",
        "ł": "l",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "ı": "i",
        "ħ": "h",
        "ŧ": "t",
    }
)
# British and American spellings that would otherwise split one title into two works.
_SPELLINGS = (("leukaemia", "leukemia"), ("haem", "hem"), ("randomis", "randomiz"), ("tumour", "tumor"))


def fold(text: str) -> str:
    """Lower case without accents, ligatures opened ("ﬁ" -> "fi", "Straße" -> "strasse", "Łódź" -> "lodz").
    Other scripts are kept: a Cyrillic title must not fold to nothing."""
    if text.isascii():  # most titles and names: nothing to open or strip
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(_LETTERS))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def title_key(title: str) -> str:
    words = _NON_ALNUM_RE.sub(" ", fold(title)).split()
    key = " ".join(words)
    for british, american in _SPELLINGS:
        key = key.replace(british, american)
    return key[:500]


def family_key(family: str) -> str:
    """ "van der Linden", "Van der Linden" and "VanderLinden" all give "vanderlinden"."""
    return _NON_ALNUM_RE.sub("", fold(family))[:100]


@dataclass(frozen=True)
class Keys:
    """What matching compares, for a library work or a cited reference."""

    title: str
    year: int | None
    first_author: str


@dataclass(frozen=True)
class Match:
    work_id: int
    method: str  # "doi" | "pmid" | "title"
    score: float


def title_similarity(a: str, b: str) -> float:
    return fuzz.ratio(a, b) / 100


def same_work_score(cited: Keys, known: Keys) -> float | None:
    """The title similarity if the two keys describe one work, else None. Different years never match."""
    if not (cited.title and known.title) or cited.year != known.year or cited.year is None:
        return None
    score = title_similarity(cited.title, known.title)
    if cited.first_author and known.first_author:
        agree = cited.first_author == known.first_author
        return score if agree and score >= TITLE_THRESHOLD else None
    return score if score >= TITLE_ONLY_THRESHOLD else None


def best_title_match(cited: Keys, candidates: dict[int, Keys]) -> Match | None:
    scored = ((same_work_score(cited, keys), work_id) for work_id, keys in candidates.items())
    best = max(((score, work_id) for score, work_id in scored if score is not None), default=None)
    return Match(best[1], "title", round(best[0], 3)) if best else None
