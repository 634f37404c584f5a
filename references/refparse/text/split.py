"""A pasted reference list -> (start line, printed label, reference string) per reference.

Numbered lists ('1. ', '1) ', '[1] ') are cut at each number that continues the numbering; unnumbered
lists at blank lines, or at every line that does not look wrapped. Link words that sites print after each
reference ('Google Scholar', 'Article CAS PubMed', '- DOI - PMC - PubMed') are dropped.
"""

from __future__ import annotations

import re

from references.importers.text import clean, strip_link_noise

# '17. Creed PA', '[3] Smith', '(4) Li', and '17.Creed PA' with the number glued to the first author.
_NUMBER_RE = re.compile(r"^(?:\[(\d{1,5})\]|\((\d{1,5})\)|(\d{1,5})[.)])(?:(?:\s+|(?=[^\W\d_]))(\S.*))?$")
_NOISE_WORDS = (
    r"Article|CAS|PubMed Central|PubMed|Google Scholar|MathSciNet|MATH|ADS|DOI|PMC|Free PMC article|"
    r"Free article|Full text|CrossRef|Crossref|Scopus|Web of Science|ISI|Medline|View Article|Abstract"
)
_NOISE_LINE_RE = re.compile(rf"^(?:[-\u2013|\u00b7\u2022]?\s*(?:{_NOISE_WORDS})\s*)+$")
_NOISE_SUFFIX_RE = re.compile(r"(?:\s+-\s+(?:DOI|PMC|PubMed|Free PMC article|Free article|Full text))+\s*$")
_ENDS_REFERENCE_RE = re.compile(r"[.?!)\]]$|\b10\.\d{4,9}/\S+$|https?://\S+$|\d$")
_STARTS_REFERENCE_RE = re.compile(
    r"^(?:[A-Z\u00c0-\u024f\u0400-\u04ff\"“'‘(\[_]|(?:de|van|von|der|den|da|di|dos|du|le|la|el|al|ten|ter|del)"
    r"[\s\-'’](?:(?:de|der|den|la|los)\s)?[A-Z])"
)
_YEAR_RE = re.compile(r"\b(?:1[5-9]|20)\d\d\b")
_MIN_NUMBERED = 2
_ONE_PER_LINE_SHARE = 2 / 3  # of a block's lines reading as whole references

Line = tuple[int, str]  # (1-based line number, cleaned text)


def split_reference_list(text: str) -> list[tuple[int, str, str]]:
    """(1-based start line, printed label or '', reference string) for each reference in a pasted list."""
    lines = [(number, _drop_noise(clean(line))) for number, line in enumerate(text.splitlines(), start=1)]
    numbered = _numbered(lines)
    if len(numbered) >= _MIN_NUMBERED and not _incidental(numbered, lines):
        items = numbered
    else:
        items = [(start, "", parts) for start, parts in _unnumbered(lines)]
    return [(start, label, joined) for start, label, parts in items if (joined := _join(parts))]


def _drop_noise(line: str) -> str:
    if _NOISE_LINE_RE.match(line):
        return ""
    return strip_link_noise(_NOISE_SUFFIX_RE.sub("", line))


def _numbered(lines: list[Line]) -> list[tuple[int, str, list[str]]]:
    """Items that start at a number continuing the numbering (1, 2, 3 ... or PubMed's 1, 1, 1 ...)."""
    items: list[tuple[int, str, list[str]]] = []
    for number, line in lines:
        found = _NUMBER_RE.match(line)
        label = found and next(group for group in found.groups()[:3] if group)
        if found and _continues(items, label):
            items.append((number, label, [found.group(4)] if found.group(4) else []))
        elif items and line:
            items[-1][2].append(line)
    if len(items) > 1 and all(label == "1" for _, label, _ in items):
        # PubMed's copied page prints '1.' before every item of its ordered lists.
        return [(number, str(position), parts) for position, (number, _, parts) in enumerate(items, start=1)]
    return items


def _incidental(numbered: list[tuple[int, str, list[str]]], lines: list[Line]) -> bool:
    """A one-per-line list where a few references happen to begin '(16)', '(17)': far more lines that are
    whole references of their own begin no number. A wrapped numbered list has few such lines."""
    starts = {number for number, _, _ in numbered}
    whole = sum(
        1
        for number, line in lines
        if number not in starts and _STARTS_REFERENCE_RE.match(line) and _looks_whole(line)
    )
    return whole > 2 * len(numbered)


def _continues(items: list[tuple[int, str, list[str]]], label: str) -> bool:
    if not items:
        return True
    previous = int(items[-1][1])
    return int(label) == previous + 1 or (label == "1" and all(item[1] == "1" for item in items))


def _unnumbered(lines: list[Line]) -> list[tuple[int, list[str]]]:
    blocks = _blocks(lines)
    if any(len(block) > 1 for block in blocks) and len(blocks) > 1:
        return [item for block in blocks for item in _split_block(block, by_line=_all_complete(block))]
    return [item for block in blocks for item in _split_block(block, by_line=True)]


def _blocks(lines: list[Line]) -> list[list[Line]]:
    blocks: list[list[Line]] = [[]]
    for number, line in lines:
        if line:
            blocks[-1].append((number, line))
        elif blocks[-1]:
            blocks.append([])
    return [block for block in blocks if block]


def _all_complete(block: list[Line]) -> bool:
    """A block whose every line reads as a whole reference: one reference per line, no blank between."""
    return len(block) > 1 and all(_looks_whole(line) for _, line in block)


def _looks_whole(line: str) -> bool:
    return len(line) > 40 and bool(_YEAR_RE.search(line)) and bool(_ENDS_REFERENCE_RE.search(line))


def _one_per_line(block: list[Line]) -> bool:
    """Most lines read as whole references: the list is one per line, and the odd line (no year, no full
    stop, a lower-case 'de Vries') is a reference of its own rather than the wrapped end of its neighbour."""
    whole = sum(_looks_whole(line) for _, line in block)
    return len(block) >= 3 and whole >= _ONE_PER_LINE_SHARE * len(block)


def _split_block(block: list[Line], by_line: bool) -> list[tuple[int, list[str]]]:
    items: list[tuple[int, list[str]]] = []
    one_per_line = by_line and _one_per_line(block)
    for number, line in block:
        if items and (not by_line or _is_wrapped(items[-1][1], line, one_per_line)):
            items[-1][1].append(line)
        else:
            items.append((number, [line]))
    return items


def _is_wrapped(previous: list[str], line: str, one_per_line: bool = False) -> bool:
    """Does `line` go on with the reference in `previous` rather than start one of its own?"""
    last = previous[-1]
    if last.endswith("-"):
        return True
    starts = bool(_STARTS_REFERENCE_RE.match(line))
    if one_per_line:
        return not _looks_whole(last) and (not starts or last.endswith((",", ";", ":")))
    if not starts:
        return True
    # A reference is not over before its year is printed.
    if not any(_YEAR_RE.search(part) for part in previous):
        return True
    return not _ENDS_REFERENCE_RE.search(last) and not _looks_whole(last)


def _join(parts: list[str]) -> str:
    joined = ""
    for part in parts:
        # 'Groeneveld-' + 'Krentz' is one word; anything else is joined with a space.
        glue = "" if joined.endswith("-") and part[:1].isalpha() and not joined.endswith(" -") else " "
        joined = f"{joined}{glue}{part}" if joined else part
    return strip_link_noise(_NOISE_SUFFIX_RE.sub("", joined)).strip()
