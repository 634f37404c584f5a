"""Name lists as printed in references -> Names: 'Pieters R, De Lorenzo P, et al.', 'Bergk, V., Haefeli, W.
E. & Martin, M.', 'Thomas F. LaPorta and Mischa Schwartz', 'Knez V., Yang L.H.; Interfant-99 Study Group'."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from references.importers.text import compact_initials
from references.people import Name

_ET_AL_RE = re.compile(r"[,;]?\s*\b(?:et\.?\s*al\b\.?|and others\b|u\.\s*a\.)", re.IGNORECASE)
_EDITORS_RE = re.compile(
    r"[,;]?\s*(?:\(\s*(?:eds?|editors?|hrsg|dir|coord)\.?\s*\)|\b(?:eds?\.|editors?|\(?hrsg\.)\)?)\s*[.,:]?\s*$",
    re.IGNORECASE,
)
_EDITOR_LEAD_RE = re.compile(r"^(?:in:?\s+|edited by\s+|ed\.\s+by\s+|eds?\.\s+)", re.IGNORECASE)
# Tried only where a run of spaces begins, and no run gives back what it took: linear on long runs.
_PART_SPLIT_RE = re.compile(
    r"(?:(?<!\s)|(?!\s))(?:(?:\s*+,\s++|\s++)(?:and|und)\s++|\s*+,?+\s*+&\s*+|\s*+,\s*+)"
)
_INITIALS_WORD_RE = re.compile(r"^(?:[A-Z\u00c0-\u00de]\.?-?){1,4}$|^(?:[A-Z\u00c0-\u00de][a-z]?\.-?){1,3}$")
_GROUP_RE = re.compile(
    r"\b(?:group|council|committee|consortium|party|society|organi[sz]ation|network|association|institute|"
    r"investigators|collaborat\w*|working|trial|foundation|agency|department|centre|center|office|board)\b",
    re.IGNORECASE,
)
_PARTICLES = frozenset(
    ("van", "von", "der", "den", "de", "del", "della", "di", "da", "dos", "du", "ten", "ter", "la", "le")
)
_PACKED_DOT_RE = re.compile(r"^[A-Z]{2,4}\.$")
_TRIM = " \t.,;:&"
_SEPARATORS = " ,;:&"


@dataclass
class NameList:
    names: list[Name] = field(default_factory=list)
    et_al: bool = False
    editors: bool = False


def parse_names(printed: str) -> NameList:
    """The people (or groups) in one author or editor span, in order."""
    text = printed.strip()
    result = NameList()
    if _EDITORS_RE.search(text):
        result.editors = True
        text = _EDITORS_RE.sub("", text)
    text = _EDITOR_LEAD_RE.sub("", text)
    pieces = _ET_AL_RE.split(text)
    result.et_al = len(pieces) > 1
    for piece in pieces:
        for chunk in piece.split(";"):
            result.names.extend(_chunk_names(chunk.strip(_SEPARATORS)))
    return result


def _chunk_names(chunk: str) -> list[Name]:
    if not chunk:
        return []
    if _GROUP_RE.search(chunk) and "," not in chunk:
        return [Name(family=chunk.rstrip(". "))]
    parts = [_tidy(part) for part in _PART_SPLIT_RE.split(chunk)]
    return _pair_parts([part for part in parts if part])


def _tidy(part: str) -> str:
    """Strip separators, and a full stop unless it belongs to an initial ('Yang L.H.' keeps it)."""
    part = part.strip(" ,;:&")
    last = part.rsplit(" ", 1)[-1]
    return part if _INITIALS_WORD_RE.match(last) else part.rstrip(". ")


def _pair_parts(parts: list[str]) -> list[Name]:
    names: list[Name] = []
    index = 0
    while index < len(parts):
        part = parts[index]
        following = parts[index + 1] if index + 1 < len(parts) else ""
        if _GROUP_RE.search(part) and len(part.split()) > 2:
            names.append(Name(family=part.strip(_TRIM)))
        elif _ends_with_initials(part):
            names.append(_family_first(part))
        elif following and _is_given(following) and _is_family(part):
            names.append(Name(family=part, given=compact_initials(following)))
            index += 1
        else:
            names.append(_natural(part))
        index += 1
    return names


def _words(part: str) -> list[str]:
    return part.strip(_SEPARATORS).split()


def _ends_with_initials(part: str) -> bool:
    words = _words(part)
    return (
        len(words) >= 2 and bool(_INITIALS_WORD_RE.match(words[-1])) and not _INITIALS_WORD_RE.match(words[0])
    )


def _is_given(part: str) -> bool:
    """'J. J.', 'JAE', 'Ulrich', 'Erica A.': what follows the family name in 'Family, Given'."""
    words = _words(part)
    if not words or len(words) > 3:
        return False
    if all(_INITIALS_WORD_RE.match(word) for word in words):
        return True
    # 'Anthony Giddens' is a whole name, 'Erica A.' or a single 'Ulrich' is a given name.
    return len(words) == 1 or bool(_INITIALS_WORD_RE.match(words[-1]))


def _is_family(part: str) -> bool:
    words = _words(part)
    return 1 <= len(words) <= 3 and all(w[0].isupper() or w.lower() in _PARTICLES for w in words if w)


def _family_first(part: str) -> Name:
    words = _words(part)
    cut = len(words) - 1
    while cut > 1 and _INITIALS_WORD_RE.match(words[cut - 1]) and words[cut - 1].isupper():
        cut -= 1
    given = " ".join(words[cut:])
    # 'Cleary ML.': packed initials with the reference's full stop after them.
    given = given.rstrip(".") if _PACKED_DOT_RE.match(given) else given
    return Name(family=" ".join(words[:cut]), given=compact_initials(given))


def _natural(part: str) -> Name:
    words = _words(part)
    if len(words) <= 1:
        return Name(family=" ".join(words))
    cut = len(words) - 1
    while cut > 1 and words[cut - 1].lower() in _PARTICLES:
        cut -= 1
    return Name(family=" ".join(words[cut:]), given=compact_initials(" ".join(words[:cut])))
