"""Hostile input for the readers, generated at any size: long runs of one character or token, deep nesting,
huge fields, digits, repeated initials. A run is placed bare and inside each layout or format a reader
recognises, so that it reaches the field parsers and not only the sniffing in front of them."""

from __future__ import annotations

import html
import json
import random
import time
from collections.abc import Callable

from references.importers import PageRejected, SourceRecord, decode_page, parse_page
from references.refparse import FORMAT_CHOICES, ParsedList, Unreadable, parse_reference_list

# The budget the readers are held to: a megabyte in two seconds of one core, plus a fixed allowance for
# start-up costs (charset detection, the CRF model) that do not grow with the input.
SECONDS_PER_MB = 2.0
FIXED_SECONDS = 0.3
# Reading plain-text references runs a CRF over every token: about 10 µs a token, so a megabyte of one-
# or two-letter tokens takes 8-12 s. Linear, but five times the budget above (see the report of issue 12).
CRF_SECONDS_PER_MB = 15.0

# Every format a reference list can be read as, and None for detection: formats added later are covered.
LIST_FORMATS: tuple[str | None, ...] = (*FORMAT_CHOICES, None)


def _random_text(size: int) -> str:
    rng = random.Random(size)
    return bytes(rng.randrange(256) for _ in range(size)).decode("latin-1")


RUNS: dict[str, Callable[[int], str]] = {
    "digits": lambda n: "1" * n,
    "digits then a letter": lambda n: "1" * n + "a",
    "digits and spaces": lambda n: "1 " * (n // 2),
    "page ranges": lambda n: "1-1 " * (n // 4),
    "years": lambda n: "2001" * (n // 4),
    "spaces": lambda n: "x" + " " * n + "y",
    "spaces and commas": lambda n: "x" + " " * (n // 2) + "," + " " * (n // 2) + "y",
    "newlines": lambda n: "x" + "\n" * n + "y",
    "full stops": lambda n: "." * n,
    "hyphens": lambda n: "-" * n,
    "commas": lambda n: "," * n,
    "ands": lambda n: "A and " * (n // 6),
    "opening brackets": lambda n: "[" * n,
    "opening braces": lambda n: "{" * n,
    "angle brackets": lambda n: "<" * n,
    "escaped quotes": lambda n: '"' + '\\"' * (n // 2),
    "initials": lambda n: "A. " * (n // 3) + "A",
    "packed initials": lambda n: "Smith " + "A." * (n // 2) + "x",
    "initials after a comma": lambda n: "Smith, " + "A. " * (n // 3) + "A",
    "affiliation marks": lambda n: "Jasmeet Sidhu" + " 1 (2) *" * (n // 8) + "a",
    "superscript marks": lambda n: "Jasmeet Sidhu" + "\u00b9" * n + "a",
    "a long word": lambda n: "a" * n,
    "a long DOI": lambda n: "10.1000/" + "a" * n,
    "random characters": _random_text,
}


def list_variants(run: str) -> dict[str, str]:
    """The run bare, as a numbered reference, and in a field of each structured format."""
    csl = [{"type": "article-journal", "title": run, "author": [{"family": run, "given": run}], "page": run}]
    return {
        "bare": run,
        "numbered reference": f"1. {run}\n2. Pui CH. Acute lymphoblastic leukemia. Lancet. 2008;371:1030-43.\n",
        "bibtex field": f"@article{{key,\n  author = {{{run}}},\n  title = {{{run}}},\n  pages = {{{run}}}\n}}\n",
        "ris field": f"TY  - JOUR\nAU  - {run}\nTI  - {run}\nSP  - {run}\nER  - \n",
        "medline field": f"PMID- 1\nFAU - {run}\nAU  - {run}\nTI  - {run}\nPG  - {run}\n",
        "csl-json field": json.dumps(csl),
    }


def page_variants(run: str) -> dict[str, str]:
    """The run bare, and where each page layout reads names, citations and meta tags."""
    escaped = html.escape(run)
    return {
        "bare": run,
        "pubmed author line": (
            "Skip to main page content\nPubMed Disclaimer\nSimilar articles\n\n"
            ". 2024 Feb;91(2):158-167.\n\nRelapsed Acute Lymphoblastic Leukemia\n\n"
            f"Jasmeet Sidhu{run}, Amita Trehan 2\n\nAbstract\n\nOutcomes have improved.\n"
        ),
        "pubmed abstract names": (
            "Relapsed Acute Lymphoblastic Leukemia\nIndian J Pediatr. 2024 Feb;91(2):158-167.\n\n"
            f"{run}, Amita Trehan\n\nAbstract\n\nOutcomes have improved.\n\nPMID: 1\n"
        ),
        "springer cite line": (
            "Cite this chapter\n\n"
            f"Smith, {run} (2001). A chapter title. In: A Book. Springer, Cham\n\n"
            "Access this chapter\nAbout this chapter\nDownload citation\n"
        ),
        "journal site citation": (
            f"For citations:\n{run} Title. Journal. 2001;1(2):3-4.\n\nAbout the Authors\nJATS XML\n"
            "Advanced search\n"
        ),
        "catalogue authors": (
            "Bibliographic Details\nSaved in:\nFull description\nStaff View\n"
            f"Main Authors: {run}\nPublished: {run}\n"
        ),
        "reference list": f"A title of the page here\n\nReferences\n1. {run}\n2. {run}\n",
        "html meta tags": (
            f'<html><head><meta name="citation_author" content="{escaped}">'
            f'<meta name="citation_title" content="{escaped}"><meta name="citation_doi" content="10.1000/x">'
            f"</head><body><h1>{escaped}</h1><p>{escaped}</p></body></html>"
        ),
    }


def known_gap(format: str | None, run: str, variant: str, size: int) -> str:
    """Why a case is expected to fail: a defect this suite found in a reader someone else owns, reported in
    issue 12. The cases run strict, so the fix makes them pass and this entry must then go."""
    return ""


def budget(size: int, seconds_per_mb: float = SECONDS_PER_MB) -> float:
    return FIXED_SECONDS + seconds_per_mb * size / 1_000_000


def list_budget(size: int, format: str | None) -> float:
    """Plain text goes through the CRF; so may a list refused before its format was known (None)."""
    return budget(size, CRF_SECONDS_PER_MB if format in ("text", None) else SECONDS_PER_MB)


def cpu_seconds(read: Callable[[], object]) -> float:
    """CPU time of one call: other work on a shared machine does not count against the reader."""
    start = time.process_time()
    read()
    return time.process_time() - start


def read_list(text: str, format: str | None) -> ParsedList | Unreadable:
    """The parsed list, or the refusal; any other exception escapes and fails the test."""
    try:
        return parse_reference_list(text, format=format)
    except Unreadable as refusal:
        return refusal


def read_page(data: bytes) -> SourceRecord | PageRejected:
    """As the import reads a file: decode, then parse; a refusal is an answer too."""
    try:
        return parse_page(decode_page(data))
    except PageRejected as rejection:
        return rejection
