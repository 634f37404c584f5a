"""Lists of identifiers, one a line: DOIs (bare, 'doi:' or doi.org URLs), PMIDs and PMCIDs."""

from __future__ import annotations

import re
from urllib.parse import unquote

from references.refparse.records import ParsedList, ParsedReference, Problem

from .fields import doi_from
from .render import render_reference

_DOI_LINE_RE = re.compile(r"^(?:doi:?\s*|https?://(?:dx\.)?doi\.org/)?10\.\d{4,9}/\S+$", re.IGNORECASE)
# A bare number must have the 7-8 digits of a current PMID; with "PMID:" before it, any length will do.
_PMID_LINE_RE = re.compile(r"^(?:pmid:?\s*(\d{1,8})|(\d{7,8}))$", re.IGNORECASE)
_PMCID_LINE_RE = re.compile(r"^(?:pmcid:?\s*)?(pmc\d+)$", re.IGNORECASE)


def reference_from_id(line: str) -> ParsedReference | None:
    """A reference holding just the identifier on `line`, or None when the line is not one."""
    value = line.strip().rstrip(".,;")
    value = unquote(value) if value.lower().startswith("http") else value
    if _DOI_LINE_RE.match(value):
        return ParsedReference(raw="", doi=doi_from(value))
    if match := _PMID_LINE_RE.match(value):
        return ParsedReference(raw="", pmid=match.group(1) or match.group(2))
    if match := _PMCID_LINE_RE.match(value):
        return ParsedReference(raw="", pmcid=match.group(1).upper())
    return None


def is_id_line(line: str) -> bool:
    return reference_from_id(line) is not None


def parse_ids(text: str) -> ParsedList:
    parsed = ParsedList(format="ids")
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        ref = reference_from_id(line)
        if ref is None:
            parsed.problems.append(Problem("not a DOI, PMID or PMCID", line=number, entry=line.strip()[:60]))
            continue
        ref.line = number
        ref.raw = render_reference(ref)
        parsed.references.append(ref)
    return parsed
