"""Services for importing a reference list into a citing work: parse, preview, then all or nothing."""

from __future__ import annotations

import hashlib

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from .enrichment import enrich_after_import
from .importers.text import first_doi
from .models import ImportBatch, ImportItem, Work
from .refparse import parse_reference_list
from .refparse.records import ParsedList
from .services import CitationEntry, sync_citations


class UnknownWork(LookupError):
    pass


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
    *, into: Work, parsed: ParsedList, text: str, file_name: str, user: AbstractBaseUser | None, origin: str
) -> ImportBatch:
    """The list becomes the work's citations, in order; citations whose text is unchanged keep their links."""
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
            message=f"{parsed.format}: {len(entries)} references, {len(parsed.problems)} problems.",
        )
        batch.mark_finished()
        enrich_after_import(batch)
    return batch
