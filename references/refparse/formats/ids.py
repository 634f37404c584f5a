"""Lists of identifiers: DOIs (bare, 'doi:', doi.org URLs, short DOIs), PMIDs and PMCIDs, in any common
punctuation: one a line, or several a line separated by commas, semicolons, tabs or spaces, quoted or not."""

from __future__ import annotations

import re
from urllib.parse import unquote

from references.identifiers import normalize_doi
from references.refparse.records import ParsedList, ParsedReference, Problem

from .render import render_reference

# Where another identifier starts: a "," or ";" before one ends the DOI before it, any other stays in it
# (a SICI's "3.0.CO;2-P").
_NEXT_ID = r"(?:10\.\d{4}|10/|doi\b|https?:|pmc|pmid|\d{7,8}(?![\w/.\-<]))"
_DOI_BODY = rf"(?:[^\s\"'<>,;]|<\d[^\s\"<>]*>|[,;](?!\s|$|[\"']|{_NEXT_ID}))+"
_DOI_PREFIX = r"(?:doi:?\s*|https?://(?:dx\.)?doi\.org/)?"
_ID_RE = re.compile(
    rf"(?P<doi>{_DOI_PREFIX}10\.\d{{4,9}}/{_DOI_BODY})"
    rf"|(?P<short>{_DOI_PREFIX}10/[a-z0-9]+)(?![\w/.])"
    r"|(?:pmcid:?\s*)?(?P<pmcid>pmc\d+)\b"
    r"|pmid:?\s*(?P<pmid>\d{1,8})\b"
    r"|(?<![\w.])(?P<number>\d{7,8})(?![\w/])",  # a bare number must have the 7-8 digits of a current PMID
    re.IGNORECASE,
)
_SEPARATORS_RE = re.compile(r"^[\s,;|\"'\[\](){}.]*$")
_ENCODED_URL_RE = re.compile(r"https?://(?:dx\.)?doi\.org/\S+", re.IGNORECASE)
_HEADER_RE = re.compile(r"^[\s\"']*(?:dois?|pmids?|pmcids?|ids?|identifiers?)[\s\"',;]*$", re.IGNORECASE)


def references_from_ids(line: str) -> tuple[list[ParsedReference], list[str]]:
    """The identifiers on `line`, and the pieces of it that are none."""
    line = _ENCODED_URL_RE.sub(lambda match: unquote(match.group(0)), line)
    found: list[ParsedReference] = []
    junk: list[str] = []
    done = 0
    for match in _ID_RE.finditer(line):
        if not _SEPARATORS_RE.match(line[done : match.start()]):
            junk.append(line[done : match.start()].strip(" ,;\"'"))
        found.append(_reference(match))
        done = match.end()
    if not _SEPARATORS_RE.match(line[done:]):
        junk.append(line[done:].strip(" ,;\"'"))
    return found, junk


def _reference(match: re.Match[str]) -> ParsedReference:
    if match.group("doi") or match.group("short"):
        return ParsedReference(raw="", doi=normalize_doi(match.group("doi") or match.group("short")))
    if match.group("pmcid"):
        return ParsedReference(raw="", pmcid=match.group("pmcid").upper())
    return ParsedReference(raw="", pmid=match.group("pmid") or match.group("number"))


def is_id_line(line: str) -> bool:
    """A line of identifiers and nothing else, or a column header ("DOI") above them."""
    found, junk = references_from_ids(line)
    return (bool(found) and not junk) or bool(_HEADER_RE.match(line))


def parse_ids(text: str) -> ParsedList:
    parsed = ParsedList(format="ids")
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or _HEADER_RE.match(line):
            continue
        found, junk = references_from_ids(line)
        for piece in junk or ([] if found else [line.strip()]):
            parsed.problems.append(Problem("not a DOI, PMID or PMCID", line=number, entry=piece[:60]))
        for ref in found:
            ref.line = number
            ref.raw = render_reference(ref)
            parsed.references.append(ref)
    return parsed
