"""Journal title words and their ISO 4 / NLM abbreviations, from the LTWA shipped in ltwa.tsv (see its head).

boundary.py reads `is_abbreviation` ('Rev', 'Hum', 'Toxicol' begin a journal, not end a title); training uses `abbreviate` to print full journal names the NLM way ('Journal of Clinical Oncology' ->
'J Clin Oncol').
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

LTWA_PATH = Path(__file__).with_name("ltwa.tsv")
# ISO 4 drops articles, conjunctions and prepositions from abbreviated titles.
_STOPWORDS = frozenset(
    ("a", "an", "the", "and", "&", "of", "in", "on", "for", "at", "by", "to", "with", "from")
)
_WORD_RE = re.compile(r"[^\W\d_][\w'\-]*|&")


@cache
def _table() -> tuple[dict[str, str], dict[str, str], frozenset[str]]:
    words: dict[str, str] = {}
    prefixes: dict[str, str] = {}
    for line in LTWA_PATH.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or "\t" not in line:
            continue
        pattern, abbreviation = line.split("\t")
        target = prefixes if pattern.endswith("-") else words
        target.setdefault(pattern.rstrip("-").lower(), abbreviation.rstrip(".").lower())
    short = frozenset(value for value in [*words.values(), *prefixes.values()] if " " not in value)
    return words, prefixes, short


def is_abbreviation(bare: str) -> bool:
    """'toxicol', 'exp', 'j' (lower-case, no full stop) are LTWA abbreviations; 'blood' is not."""
    return bare in _table()[2]


def abbreviate(title: str) -> str:
    """A journal's full name -> its abbreviation without full stops; a one-word name stays whole."""
    words = _WORD_RE.findall(title)
    if len(words) < 2:
        return title.strip()
    kept = [word for word in words if word.lower() not in _STOPWORDS or word.isupper()]
    return " ".join(_abbreviate_word(word) for word in kept)


def _abbreviate_word(word: str) -> str:
    words, prefixes, _ = _table()
    lower = word.lower()
    short = words.get(lower)
    for end in range(len(lower), 2, -1):
        if short:
            break
        short = prefixes.get(lower[:end])
    if not short:
        return word
    return short[:1].upper() + short[1:] if word[:1].isupper() else short
