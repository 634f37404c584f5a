"""The one reading of the identifiers a work carries, shared by the page readers, the record readers, Crossref's
candidates and the forms: a DOI found in text, and a DOI written as the library stores it. Plain Python."""

from __future__ import annotations

import re

# Every character a DOI may hold but spaces and quotes; "<" and ">" only around a SICI's "<377::AID-JCC1>" (a
# digit after "<"), so that markup after a DOI stays out of it.
DOI_RE = re.compile(r"10\.\d{4,9}/(?:[^\s\"<>]|<\d[^\s\"<>]*>)+")
_DOI_PREFIX_RE = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*|doi\s+)", re.IGNORECASE)


def first_doi(text: str) -> str:
    match = DOI_RE.search(text)
    return normalize_doi(match.group(0)) if match else ""


def normalize_doi(value: str) -> str:
    """Lower-case, no resolver prefix, no trailing punctuation (a closing bracket only when unbalanced)."""
    doi = _DOI_PREFIX_RE.sub("", value.strip())
    while doi:
        last = doi[-1]
        if last in ".,;:'\"" or (last in ")]" and doi.count(last) > doi.count("(" if last == ")" else "[")):
            doi = doi[:-1]
        else:
            break
    return doi.lower()
