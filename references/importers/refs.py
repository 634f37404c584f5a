"""Numbered reference lists, as Springer, PubMed and journal sites print them."""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import pairwise

from references.identifiers import first_doi

from .records import Reference
from .text import is_link_line, strip_link_noise

HEADINGS = ("references", "references:", "bibliography", "literature", "список литературы", "литература")
_NUMBERED_RE = re.compile(r"^(?:\[(\d{1,4})\]|(\d{1,4})[.)])(?:\s+(\S.*))?$")
_MAX_LINES_BEFORE_FIRST = 3


def reference_list(lines: Sequence[str]) -> list[Reference]:
    """The first numbered list found under a references heading."""
    for index, line in enumerate(lines):
        if line.lower() in HEADINGS:
            found = _numbered_items(lines, index + 1)
            if found:
                return _as_references(found)
    return []


def _numbered_items(lines: Sequence[str], start: int) -> list[tuple[str, list[str]]]:
    """(label, lines) per item; the list ends at an unnumbered line after a blank one."""
    items: list[tuple[str, list[str]]] = []
    after_blank = False
    skipped = 0
    for line in lines[start:]:
        if not line:
            after_blank = True
            continue
        match = _NUMBERED_RE.match(line)
        if match and _continues_numbering(items, match.group(1) or match.group(2), after_blank):
            # Some sites print the number on a line of its own.
            items.append((match.group(1) or match.group(2), [match.group(3)] if match.group(3) else []))
        elif is_link_line(line):
            continue
        elif items and (not after_blank or not items[-1][1]):
            items[-1][1].append(line)
        elif items or skipped >= _MAX_LINES_BEFORE_FIRST:
            break
        else:
            skipped += 1
        after_blank = False
    return [item for item in items if item[1]]


def _continues_numbering(items: list[tuple[str, list[str]]], label: str, after_blank: bool) -> bool:
    # PubMed's copy prints "1." before every item: a list of ones goes on with another one.
    # A saved page may leave items out (1-5, then 49): a higher number on the very next line goes on too.
    if not items:
        return True
    previous, number = int(items[-1][0]), int(label)
    return (
        number == previous + 1
        or (number > previous and not after_blank and bool(items[-1][1]))
        or (label == "1" and all(item[0] == "1" for item in items))
    )


def _as_references(items: list[tuple[str, list[str]]]) -> list[Reference]:
    labels = [label for label, _ in items]
    numbered_in_order = all(int(b) > int(a) for a, b in pairwise(labels))
    references = []
    for position, (label, parts) in enumerate(items, start=1):
        raw = strip_link_noise(" ".join(parts))
        references.append(
            Reference(
                position=position,
                raw=raw,
                label=label if numbered_in_order else str(position),
                doi=first_doi(raw),
            )
        )
    return references
