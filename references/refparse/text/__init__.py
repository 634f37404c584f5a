"""Plain-text reference strings and pasted lists -> ParsedReference: a CRF over tokens plus rules."""

from __future__ import annotations

from ..records import ParsedList, ParsedReference, Problem
from .crf import label_tokens
from .fields import NOT_A_REFERENCE, build_reference, segments
from .split import split_reference_list
from .tokens import tokenize

__all__ = ["parse_reference", "parse_text_list", "split_reference_list"]


def parse_reference(raw: str) -> ParsedReference:
    """One reference string -> its fields; `raw` is kept verbatim."""
    tokens = tokenize(raw)
    reference = build_reference(raw, segments(raw, tokens, label_tokens(tokens)))
    if not reference.year and not _has_title(reference):
        reference.problems.append(Problem(NOT_A_REFERENCE, entry=_first_words(raw)))
    return reference


# Longer than any printed reference (the longest real ones, with 50 authors, run to about 3,000 characters):
# such a block is not parsed, which also keeps the CRF's cost bounded per reference.
MAX_REFERENCE_LENGTH = 5_000
TOO_LONG = "longer than any reference ({} characters); left out"


def parse_text_list(text: str) -> ParsedList:
    """A pasted list: split into references, each parsed and kept with its start line and printed label."""
    parsed = ParsedList(format="text")
    for line, label, raw in split_reference_list(text):
        if len(raw) > MAX_REFERENCE_LENGTH:
            parsed.problems.append(
                Problem(TOO_LONG.format(len(raw)), line=line, entry=label or _first_words(raw))
            )
            continue
        reference = parse_reference(raw)
        reference.line, reference.label = line, label
        reference.problems = [
            Problem(problem.message, line=line, entry=label or problem.entry)
            for problem in reference.problems
        ]
        if any(problem.message == NOT_A_REFERENCE for problem in reference.problems):
            parsed.problems.extend(reference.problems)  # never stored as a citation
        else:
            parsed.references.append(reference)
    return parsed


def _has_title(reference: ParsedReference) -> bool:
    # A lone phrase ("See the supplementary appendix.") gets a title label too: a reference needs more.
    others = reference.authors or reference.editors or reference.container_title or reference.publisher
    return bool(reference.title and (others or reference.doi or reference.pmid or reference.url))


def _first_words(raw: str) -> str:
    words = raw[:200].split()
    shown = " ".join(words[:6])
    cut = len(words) > 6 or len(shown) > 60 or len(raw) > 200
    return shown[:60] + (" …" if cut else "")
