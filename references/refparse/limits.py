"""The bounds the library's columns set on a record's values, checked when a file is read: a value past its
bound is left out with a problem on its record, so a preview that passes is an import that passes."""

from __future__ import annotations

import re
from dataclasses import replace

from .records import ParsedList, ParsedReference, Problem

DOI_MAX_LENGTH = 255  # longer than any registered DOI; the unique index needs a bound
PMID_MAX_LENGTH = 20
ORCID_MAX_LENGTH = 40

_PMID_RE = re.compile(rf"^\d{{1,{PMID_MAX_LENGTH}}}$")
_PMCID_RE = re.compile(rf"^PMC\d{{1,{PMID_MAX_LENGTH - 3}}}$")
_ORCID_RE = re.compile(r"^\d{4}-\d{4}-\d{4}-\d{3}[\dX]$")


def within_limits(parsed: ParsedList) -> ParsedList:
    """The list with every reference's out-of-bound identifiers left out and said so."""
    for reference in parsed.references:
        check_limits(reference)
    return parsed


def check_limits(ref: ParsedReference) -> None:
    """Leave out the reference's out-of-bound identifiers, with a problem saying so."""
    entry = ref.label or (ref.title[:60] if ref.title else "")
    if len(ref.doi) > DOI_MAX_LENGTH:
        ref.problems.append(
            Problem(f"DOI longer than {DOI_MAX_LENGTH} characters, left out", ref.line, entry)
        )
        ref.doi = ""
    if ref.pmid and not _PMID_RE.match(ref.pmid):
        ref.problems.append(
            Problem(f"PMID {ref.pmid[:30]!r} is not a PubMed number, left out", ref.line, entry)
        )
        ref.pmid = ""
    if ref.pmcid and not _PMCID_RE.match(ref.pmcid):
        ref.problems.append(
            Problem(f"PMCID {ref.pmcid[:30]!r} is not a PMC number, left out", ref.line, entry)
        )
        ref.pmcid = ""
    if any(name.orcid and not _ORCID_RE.match(name.orcid) for name in ref.authors):
        ref.problems.append(Problem("an ORCID that is not an ORCID iD was left out", ref.line, entry))
        ref.authors = [
            name if not name.orcid or _ORCID_RE.match(name.orcid) else replace(name, orcid="")
            for name in ref.authors
        ]
