"""Transactional writes shared by the import form, the management commands and the tasks."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import DatabaseError, IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from references.people import Name

from ..enrichment import enrich_after_import
from ..importers import PageRejected, decode_page, parse_page
from ..importers.records import DecodedPage, Reference, SourceRecord
from ..linking import link_citations
from ..models import Citation, Contributor, FieldOrigin, ImportBatch, ImportItem, SourceDocument, Work
from ..origins import BLANK, curator_fields, record_origins
from ..refparse.records import ParsedReference
from ..refparse.text import parse_reference
from ..search import indexing

Outcome = ImportItem.Outcome


class SourceFile(Protocol):
    """A file to import: a Django upload, a ContentFile, or a LocalFile."""

    name: str
    size: int

    def read(self) -> bytes: ...


@dataclass(frozen=True)
class LocalFile:
    path: Path

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def size(self) -> int:
        return self.path.stat().st_size

    def read(self) -> bytes:
        return self.path.read_bytes()


@dataclass(frozen=True)
class SourcePlan:
    """What importing one file would do, found without writing anything."""

    file_name: str
    size: int
    outcome: str
    sha256: str = ""
    message: str = ""
    page: DecodedPage | None = None
    record: SourceRecord | None = None
    work: Work | None = None
    changes: tuple[str, ...] = field(default=())

    @property
    def importable(self) -> bool:
        return self.outcome in (Outcome.CREATED, Outcome.UPDATED)


def plan_source_import(source: SourceFile) -> SourcePlan:
    name = Path(source.name).name
    if source.size > settings.IMPORT_MAX_BYTES:
        limit = filesizeformat(settings.IMPORT_MAX_BYTES)
        return SourcePlan(name, source.size, Outcome.FAILED, message=f"The file is larger than {limit}.")
    data = source.read()
    sha256 = hashlib.sha256(data).hexdigest()
    plan = SourcePlan(name, len(data), Outcome.FAILED, sha256=sha256)
    known = SourceDocument.objects.filter(sha256=sha256).select_related("work").first()
    if known:
        message = f"Already imported as {known.file_name} on {known.imported_at:%Y-%m-%d}."
        return replace(plan, outcome=Outcome.UNCHANGED, message=message, work=known.work)
    try:
        page = decode_page(data)
        record = parse_page(page)
    except PageRejected as rejection:
        return replace(plan, message=str(rejection))
    return _plan_for_record(replace(plan, page=page, record=record))


def _plan_for_record(plan: SourcePlan) -> SourcePlan:
    work = Work.objects.matching_record(plan.record)
    if work is None:
        return replace(plan, outcome=Outcome.CREATED)
    changes = tuple(work_changes(work, plan.record))
    if not changes:
        return replace(plan, outcome=Outcome.UNCHANGED, work=work, message="Nothing on the page has changed.")
    return replace(plan, outcome=Outcome.UPDATED, work=work, changes=changes)


def work_fields(record: SourceRecord) -> dict[str, object]:
    return {
        "doi": record.doi,
        "pmid": record.pmid,
        "title": record.title,
        "container_title": record.container_title,
        "work_type": record.work_type,
        "year": record.year,
        "volume": record.volume,
        "issue": record.issue,
        "pages": record.pages,
        "issns": list(record.issns),
        "isbns": list(record.isbns),
        "publisher": record.publisher,
        "abstract": record.abstract,
        "keywords": list(record.keywords),
        "mesh_terms": list(record.mesh_terms),
        "publication_types": list(record.publication_types),
        "authors_truncated": record.authors_truncated,
    }


def work_changes(work: Work, record: SourceRecord) -> list[str]:
    """Names of what the record would change. A value the page does not print never erases one we have,
    and a value a curator set stays."""
    kept = curator_fields(work)
    changed = [
        name
        for name, value in work_fields(record).items()
        if value not in BLANK and getattr(work, name) != value and name not in kept
    ]
    if (
        "authors" not in kept
        and record.authors
        and _people(work, Contributor.Role.AUTHOR) != _printed(record.authors)
    ):
        changed.append("authors")
    if record.editors and _people(work, Contributor.Role.EDITOR) != _printed(record.editors):
        changed.append("editors")
    if record.references and _citation_rows(work) != [_row(ref) for ref in record.references]:
        changed.append("references")
    return changed


def _people(work: Work, role: str) -> list[tuple[str, str, str]]:
    return list(work.contributors.filter(role=role).values_list("family", "given", "printed"))


def _printed(people: list[Name]) -> list[tuple[str, str, str]]:
    return [(p.family, p.given, p.printed) for p in people]


def _citation_rows(work: Work) -> list[tuple[int, str, str, str]]:
    return list(work.citations.order_by("position").values_list("position", "label", "raw", "doi"))


def _row(ref: Reference) -> tuple[int, str, str, str]:
    return (ref.position, ref.label, ref.raw, ref.doi)


def import_source_file(*, batch: ImportBatch, source: SourceFile) -> ImportItem:
    """Import one file in one transaction: all of it or, on failure, nothing but the batch's note of it."""
    try:
        with transaction.atomic():
            plan = plan_source_import(source)
            work = apply_source_plan(plan, batch=batch) if plan.importable else plan.work
            return _record_item(batch, plan, work)
    except IntegrityError:
        message = "Another import wrote the same work at the same moment; import the file again."
    except DatabaseError as error:
        message = f"The page could not be stored: {str(error).strip()}"
    failure = SourcePlan(Path(source.name).name, source.size, Outcome.FAILED, message=message)
    return _record_item(batch, failure, None)


def apply_source_plan(plan: SourcePlan, *, batch: ImportBatch) -> Work:
    record, is_new = plan.record, plan.work is None
    work = plan.work or Work()
    fields = work_fields(record)
    changed = list(fields) if is_new else [name for name in plan.changes if name in fields]
    for name in changed:
        setattr(work, name, fields[name])
    authors_changed = is_new or "authors" in plan.changes
    work.refresh_match_keys(record.authors[0].family if authors_changed and record.authors else None)
    work.save(update_fields=None if is_new else [*changed, "title_key", "first_author_key", "updated_at"])
    if authors_changed:
        work.replace_contributors(Contributor.Role.AUTHOR, record.authors)
    if is_new or "editors" in plan.changes:
        work.replace_contributors(Contributor.Role.EDITOR, record.editors)
    if is_new or "references" in plan.changes:
        sync_citations(work, [CitationEntry.from_page(ref) for ref in record.references])
    _store_document(plan, work, batch)
    imported = [name for name in changed if fields[name] not in BLANK]
    if authors_changed and record.authors:
        imported.append("authors")
    record_origins(work, imported, FieldOrigin.Source.IMPORT, plan.file_name)
    indexing.refresh([work.pk])
    return work


@dataclass(frozen=True)
class CitationEntry:
    """One entry of a reference list, as the citing work's citation at this position should read."""

    position: int
    raw: str
    label: str = ""
    doi: str = ""
    parsed: ParsedReference | None = None  # None: parse the raw string

    @classmethod
    def from_page(cls, ref: Reference) -> CitationEntry:
        return cls(ref.position, ref.raw, ref.label, ref.doi)


LINK_FIELDS = [
    "label",
    "raw",
    "parsed",
    "doi",
    "cited_work",
    "match_state",
    "match_method",
    "match_score",
    "updated_at",
]


def sync_citations(work: Work, entries: list[CitationEntry]) -> None:
    """Keep citations whose text is unchanged (and their links); rewrite the rest and link them anew."""
    existing = {c.position: c for c in work.citations.all()}
    changed, created = [], []
    for entry in entries:
        citation = existing.pop(entry.position, None)
        if citation is None:
            citation = Citation(citing_work=work, position=entry.position)
            created.append((citation, entry))
        elif (citation.label, citation.raw, citation.doi) != (entry.label, entry.raw, entry.doi):
            changed.append((citation, entry))
        else:
            continue
        citation.label, citation.raw, citation.doi = entry.label, entry.raw, entry.doi
    work.citations.filter(pk__in=[c.pk for c in existing.values()]).delete()
    link_citations([(c, entry.parsed or parse_reference(c.raw)) for c, entry in [*changed, *created]])
    now = timezone.now()  # bulk_update does not apply auto_now
    for citation, _ in changed:
        citation.updated_at = now
    Citation.objects.bulk_update([citation for citation, _ in changed], LINK_FIELDS)
    Citation.objects.bulk_create([citation for citation, _ in created])


def _store_document(plan: SourcePlan, work: Work, batch: ImportBatch) -> None:
    SourceDocument.objects.create(
        work=work,
        batch=batch,
        file_name=plan.file_name,
        sha256=plan.sha256,
        size=plan.size,
        raw_text=plan.page.text,
        file_format=plan.page.file_format,
        encoding=plan.page.encoding,
        page_kind=plan.record.page_kind,
        imported_by=batch.created_by,
    )


def _record_item(batch: ImportBatch, plan: SourcePlan, work: Work | None) -> ImportItem:
    return ImportItem.objects.create(
        batch=batch,
        file_name=plan.file_name,
        sha256=plan.sha256,
        size=plan.size,
        outcome=plan.outcome,
        message=plan.message or _describe(plan),
        work=work,
        reference_count=len(plan.record.references) if plan.record else 0,
    )


def _describe(plan: SourcePlan) -> str:
    if plan.outcome == Outcome.UPDATED:
        return "Changed: " + ", ".join(name.replace("_", " ") for name in plan.changes) + "."
    return f"{len(plan.record.references)} references." if plan.record else ""


def import_sources(
    sources: Iterable[SourceFile],
    *,
    user: AbstractBaseUser | None,
    origin: str,
    on_item: Callable[[SourceFile, ImportItem], None] | None = None,
) -> ImportBatch:
    """Each file in a transaction of its own (`on_item` hears how each went); then enrichment of what came."""
    batch = ImportBatch.objects.create(kind=ImportBatch.Kind.SOURCES, origin=origin, created_by=user)
    for source in sources:
        item = import_source_file(batch=batch, source=source)
        if on_item:
            on_item(source, item)
    batch.mark_finished()
    enrich_after_import(batch)
    return batch
