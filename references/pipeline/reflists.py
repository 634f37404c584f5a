"""Services for importing a reference list into a citing work: parse, preview, then all or nothing."""

from __future__ import annotations

import hashlib

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from references.identifiers import first_doi

from ..enrichment import enrich_after_import
from ..models import ImportBatch, ImportItem, Work
from ..refparse import parse_reference_list
from ..refparse.records import ParsedList, Problem
from .pages import CitationEntry, sync_citations


class UnknownWork(LookupError):
    pass


class ListRefused(ValueError):
    """The list would lose citations the user has not agreed to lose; the message says which."""


def check_losses(parsed: ParsedList, *, accept_losses: bool) -> None:
    """A list that reads nothing replaces no citations; one with unreadable entries needs their loss accepted."""
    dropped = "; ".join(str(problem) for problem in parsed.problems[:20])
    if not parsed.references:
        raise ListRefused(f"No reference could be read from this list ({parsed.format}). {dropped}".strip())
    if parsed.problems and not accept_losses:
        raise ListRefused(
            f"{len(parsed.problems)} of {len(parsed.problems) + len(parsed.references)} entries could not be "
            f"read and would be left out: {dropped}. Accept leaving them out to import the rest."
        )


def find_citing_work(identifier: str) -> Work:
    """A work by its id or DOI (bare, doi:, or a doi.org URL)."""
    value = identifier.strip()
    if value.isdigit() and (work := Work.objects.active().filter(pk=int(value)).first()):
        return work
    doi = first_doi(value)
    work = Work.objects.active().filter(doi=doi).first() if doi else None
    if work is None:
        raise UnknownWork(f"No work with id or DOI {identifier!r} in the library.")
    return work


def plan_reference_list(text: str, *, format: str | None = None) -> ParsedList:
    return parse_reference_list(text, format=format)


def import_reference_list(
    *,
    into: Work,
    parsed: ParsedList,
    text: str,
    file_name: str,
    user: AbstractBaseUser | None,
    origin: str,
    accept_losses: bool = False,
) -> ImportBatch:
    """The list becomes the work's citations, in order; citations whose text is unchanged keep their links.
    Raises ListRefused rather than lose entries the user has not agreed to lose."""
    check_losses(parsed, accept_losses=accept_losses)
    entries = [
        CitationEntry(position, ref.raw, ref.label, ref.doi, ref)
        for position, ref in enumerate(parsed.references, start=1)
    ]
    before = list(into.citations.order_by("position").values_list("position", "label", "raw", "doi"))
    with transaction.atomic():
        batch = ImportBatch.objects.create(kind=ImportBatch.Kind.REFERENCES, origin=origin, created_by=user)
        sync_citations(into, entries)
        after = list(into.citations.order_by("position").values_list("position", "label", "raw", "doi"))
        outcome = ImportItem.Outcome.UNCHANGED if after == before else ImportItem.Outcome.UPDATED
        batch.items.create(
            file_name=file_name,
            sha256=hashlib.sha256(text.encode()).hexdigest(),
            size=len(text.encode()),
            outcome=outcome,
            work=into,
            reference_count=len(entries),
            message=summary(parsed),
            problems=[str(problem) for problem in all_problems(parsed)],
        )
        batch.mark_finished()
        enrich_after_import(batch)
    return batch


def all_problems(parsed: ParsedList) -> list[Problem]:
    """The entries left out, then the problems of the references kept, in the order of the list."""
    return [*parsed.problems, *(problem for ref in parsed.references for problem in ref.problems)]


def summary(parsed: ParsedList) -> str:
    """'ris: 12 references, 2 entries left out, 3 problems.': every problem counted, the dropped ones too."""
    warnings = sum(len(ref.problems) for ref in parsed.references)
    parts = [f"{len(parsed.references)} references"]
    if parsed.problems:
        parts.append(f"{len(parsed.problems)} entr{'y' if len(parsed.problems) == 1 else 'ies'} left out")
    parts.append(f"{warnings + len(parsed.problems)} problems")
    return f"{parsed.format}: {', '.join(parts)}."
