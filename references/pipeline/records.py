"""Exports of database searches become works of the library: read, plan (the preview), write, index.

The plan decides, record by record, whether it is a new work, a sure duplicate of a work in the library or of
an earlier record of the file, or a possible duplicate for a curator. Writing re-checks the library inside
one transaction (imports of records take turns), so what the preview said and what is written agree."""

from __future__ import annotations

import datetime
import hashlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, transaction
from django.utils import timezone

from .. import indexing
from ..enrichment import start_enrichment
from ..importers import PageRejected, decode_page
from ..matching import Keys
from ..models import (
    Contributor,
    DuplicateCandidate,
    EnrichmentBatch,
    FieldOrigin,
    ImportBatch,
    ImportItem,
    Search,
    SearchHit,
    Work,
)
from ..origins import BLANK
from ..refparse import parse_reference_list
from ..refparse.collector import collector_paused
from ..refparse.records import ParsedList, ParsedReference, Problem, Unreadable
from .copying import copy_line, copy_lines, copy_objects, copy_rows, reserve_ids
from .dedup import Match, Seen, identifiers, library_for, pair, record_keys

Progress = Callable[[str, int, int], None]  # stage ("read", "write"), done, total

ADDED, MERGED, IN_FILE, POSSIBLE = "added", "merged", "in-file", "possible"
_LOCK = 7_413_001  # the advisory lock that makes imports of records take turns


class RecordsRefused(ValueError):
    """The file cannot be imported as records; the message says why."""


@dataclass(frozen=True)
class SearchDetails:
    label: str = ""
    database: str = ""
    query: str = ""
    run_on: datetime.date | None = None
    reported: int | None = None


@dataclass
class Decision:
    position: int  # the record's number in the file, from 1
    reference: ParsedReference
    outcome: str = ADDED  # added | merged | in-file | possible
    match: Match | None = None
    possible: list[Match] = field(default_factory=list)
    keys: Keys | None = None  # the record's matching keys, a new work's too


@dataclass
class RecordPlan:
    file_name: str
    sha256: str
    parsed: ParsedList
    decisions: list[Decision] = field(default_factory=list)
    imported_as: Search | None = None  # this very file was imported before

    def count(self, outcome: str) -> int:
        return sum(decision.outcome == outcome for decision in self.decisions)

    @property
    def problems(self) -> list[Problem]:
        return [*self.parsed.problems, *(p for d in self.decisions for p in d.reference.problems)]

    def summary(self) -> dict[str, object]:
        """What --json prints and the preview shows."""
        return {
            "file": self.file_name,
            "format": self.parsed.format,
            "records": len(self.decisions) + len(self.parsed.problems),
            "new": self.count(ADDED) + self.count(POSSIBLE),
            "merged": self.count(MERGED),
            "duplicates_in_file": self.count(IN_FILE),
            "possible_duplicates": self.count(POSSIBLE),
            "skipped": len(self.parsed.problems),
            "problems": [str(problem) for problem in self.problems],
            "outcome": "unchanged" if self.imported_as else "planned",
        }


def read_records(data: bytes, *, file_name: str, format: str | None = None) -> ParsedList:
    """A file's records, or RecordsRefused saying why it cannot be read."""
    try:
        text = decode_page(data).text
        parsed = parse_reference_list(text, format=format)
    except (PageRejected, Unreadable) as refusal:
        raise RecordsRefused(f"{file_name}: {refusal}") from refusal
    if parsed.format == "text":
        raise RecordsRefused(
            f"{file_name}: this is not an export of records (PubMed, RIS, BibTeX, CSL-JSON, Web of Science, "
            "Scopus CSV, EndNote XML, Ovid or a DOI/PMID list); a reference list belongs to the work that "
            "cites it: manage.py import_references FILE --into WORK."
        )
    if not parsed.references:
        raise RecordsRefused(f"{file_name}: no record could be read ({parsed.format}).")
    return parsed


def plan_records(data: bytes, *, file_name: str, format: str | None = None) -> RecordPlan:
    """The preview: what importing the file would do, found without writing anything."""
    sha256 = hashlib.sha256(data).hexdigest()
    with collector_paused():
        parsed = read_records(data, file_name=file_name, format=format)
        plan = RecordPlan(file_name=file_name, sha256=sha256, parsed=parsed)
        plan.imported_as = Search.objects.filter(sha256=sha256).first()
        decide(plan)
    return plan


def decide(plan: RecordPlan) -> None:
    """Each record's outcome against the library as it is now and the file's earlier records."""
    refs = plan.parsed.references
    all_keys = [record_keys(ref) for ref in refs]
    library, in_file = library_for(refs, all_keys), Seen()
    plan.decisions = []
    for position, (ref, keys) in enumerate(zip(refs, all_keys, strict=True), start=1):
        ids = identifiers(ref)
        decision = Decision(position, ref, keys=keys)
        earlier, close_in_file = in_file.find(ids, keys)
        known, close = library.find(ids, keys)
        if earlier:
            decision.outcome, decision.match = IN_FILE, earlier
        elif known:
            decision.outcome, decision.match = MERGED, known
        elif close or close_in_file:
            decision.outcome, decision.possible = POSSIBLE, [*close, *close_in_file]
        in_file.add(ids, keys, None, position)
        plan.decisions.append(decision)


def import_records(
    plan: RecordPlan,
    *,
    details: SearchDetails,
    user: AbstractBaseUser | None,
    origin: str,
    accept_losses: bool = False,
    progress: Progress | None = None,
) -> Search:
    """Write a plan made earlier (a preview): all of it or nothing, decided again against the library as it
    is now. Unreadable records are left out only when the user accepted it."""
    _check_losses(plan, accept_losses)
    with transaction.atomic():
        if known := _take_turn(plan):
            return known
        with collector_paused():
            decide(plan)
            return _write(plan, details=details, user=user, origin=origin, progress=progress or _quiet)


def import_file(
    data: bytes,
    *,
    file_name: str,
    format: str | None = None,
    details: SearchDetails,
    user: AbstractBaseUser | None,
    origin: str,
    accept_losses: bool = False,
    progress: Progress | None = None,
) -> tuple[RecordPlan, Search]:
    """Read, decide and write a file in one go (the command, the worker): decided once, inside the write's
    transaction. The plan says what was done; `plan.imported_as` is set when the file was imported before."""
    with collector_paused():
        plan = RecordPlan(
            file_name=file_name,
            sha256=hashlib.sha256(data).hexdigest(),
            parsed=read_records(data, file_name=file_name, format=format),
        )
    (progress or _quiet)("read", len(plan.parsed.references), len(plan.parsed.references))
    _check_losses(plan, accept_losses)
    with transaction.atomic():
        if known := _take_turn(plan):
            plan.imported_as = known
            return plan, known
        with collector_paused():
            decide(plan)
            return plan, _write(plan, details=details, user=user, origin=origin, progress=progress or _quiet)


def _check_losses(plan: RecordPlan, accept_losses: bool) -> None:
    if plan.parsed.problems and not accept_losses:
        raise RecordsRefused(
            f"{plan.file_name}: {len(plan.parsed.problems)} records could not be read and would be left out; "
            "accept leaving them out to import the rest."
        )


def _take_turn(plan: RecordPlan) -> Search | None:
    """Imports of records take turns (one transaction-long lock), so two cannot both add one work. The search
    that imported this very file already, if one did."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK])
    return Search.objects.filter(sha256=plan.sha256).first()


def _quiet(stage: str, done: int, total: int) -> None:
    pass


def _write(
    plan: RecordPlan,
    *,
    details: SearchDetails,
    user: AbstractBaseUser | None,
    origin: str,
    progress: Progress,
) -> Search:
    batch = ImportBatch.objects.create(kind=ImportBatch.Kind.RECORDS, origin=origin, created_by=user)
    search = _search(plan, batch, details)
    new = _create_works(plan, progress)
    filled = _merge_into_library(plan)
    targets = _targets(plan, new)
    hits = {}  # once per work: a record repeated in the file, or two merged into one work, count once
    for decision in plan.decisions:
        hits.setdefault(targets[decision.position], _hit(search, decision, targets[decision.position]))
    copy_rows(SearchHit, _HIT_COLUMNS, hits.values())
    _propose_duplicates(plan, targets, search)
    touched = {*new.values(), *filled}
    indexing.refresh(touched)
    indexing.refresh(set(targets.values()) - touched, text=False)  # found again: "Found by" and is_source
    _record_item(plan, batch, search)
    batch.mark_finished()
    if settings.ENRICH_AFTER_IMPORT and new:
        start_enrichment(works=sorted(new.values()), origin=EnrichmentBatch.Origin.IMPORT, user=user)
    progress("write", len(plan.decisions), len(plan.decisions))
    return search


def _search(plan: RecordPlan, batch: ImportBatch, details: SearchDetails) -> Search:
    return Search.objects.create(
        batch=batch,
        label=details.label or plan.file_name,
        database=details.database,
        query=details.query,
        run_on=details.run_on,
        reported=details.reported,
        file_name=plan.file_name,
        sha256=plan.sha256,
        file_format=plan.parsed.format,
        records=len(plan.decisions) + len(plan.parsed.problems),
        added=plan.count(ADDED) + plan.count(POSSIBLE),
        merged=plan.count(MERGED),
        duplicates_in_file=plan.count(IN_FILE),
        possible_duplicates=plan.count(POSSIBLE),
        skipped=len(plan.parsed.problems),
        problems=[str(problem) for problem in plan.problems],
    )


def work_values(ref: ParsedReference) -> dict[str, object]:
    """A record's values under the Work's field names."""
    return {
        "doi": ref.doi.lower(),
        "pmid": ref.pmid,
        "pmcid": ref.pmcid.upper(),
        "title": ref.title,
        "container_title": ref.container_title,
        "container_abbreviation": ref.journal_abbrev,
        "work_type": ref.work_type,
        "year": ref.year,
        "volume": ref.volume,
        "issue": ref.issue,
        "pages": ref.pages,
        "issns": list(ref.issns),
        "isbns": list(ref.isbns),
        "publisher": ref.publisher,
        "abstract": ref.abstract,
        "keywords": list(ref.keywords),
        "mesh_terms": list(ref.mesh),
        "publication_types": list(ref.publication_types),
        "language": ref.language,
    }


def _create_works(plan: RecordPlan, progress: Progress) -> dict[int, int]:
    """The new works, by the position of the record that brought each."""
    fresh = [d for d in plan.decisions if d.outcome in (ADDED, POSSIBLE)]
    values = [work_values(decision.reference) for decision in fresh]
    now, works = timezone.now(), []
    for decision, fields, pk in zip(fresh, values, reserve_ids(Work, len(fresh)), strict=True):
        work = Work(pk=pk, created_at=now, updated_at=now, **fields)
        work.title_key, work.first_author_key = decision.keys.title, decision.keys.first_author  # as decided
        works.append(work)
    copy_objects(Work, works)
    progress("write", len(works), len(plan.decisions))
    copy_rows(
        Contributor,
        _CONTRIBUTOR_COLUMNS,
        (
            _contributor_row(work.pk, position, name)
            for work, decision in zip(works, fresh, strict=True)
            for position, name in enumerate(decision.reference.authors, start=1)
        ),
    )
    # Some twelve origins a work, all alike but for the work and the field: each written as one line.
    same = copy_line((FieldOrigin.Source.IMPORT.value, plan.file_name, now))
    copy_lines(
        FieldOrigin,
        ("work_id", "field", "source", "detail", "recorded_at"),
        (
            f"{work.pk}\t{name}\t{same}"
            for work, decision, fields in zip(works, fresh, values, strict=True)
            for name, value in [*fields.items(), ("authors", decision.reference.authors)]
            if value not in BLANK
        ),
    )
    return {decision.position: work.pk for work, decision in zip(works, fresh, strict=True)}


_CONTRIBUTOR_COLUMNS = ("work_id", "role", "position", "family", "given", "printed", "orcid")


def _contributor_row(work_id: int, position: int, name) -> tuple:
    printed = name.family if name.collective else f"{name.family} {name.given}".strip()
    return (work_id, Contributor.Role.AUTHOR.value, position, name.family, name.given, printed, name.orcid)


def _merge_into_library(plan: RecordPlan) -> list[int]:
    """Sure duplicates fill what their work lacks; nothing a curator set, nothing present, is overwritten."""
    merging = {d.match.work_id: d for d in plan.decisions if d.outcome == MERGED}
    if not merging:
        return []
    kept: dict[int, set[str]] = defaultdict(set)
    curated = FieldOrigin.objects.filter(work__in=merging, source=FieldOrigin.Source.CURATOR)
    for work_id, name in curated.values_list("work_id", "field"):
        kept[work_id].add(name)
    authored = set(
        Contributor.objects.filter(work__in=merging, role=Contributor.Role.AUTHOR).values_list(
            "work_id", flat=True
        )
    )
    now = timezone.now()
    filled, people, origins = [], [], []
    by_fields: dict[tuple[str, ...], list[Work]] = defaultdict(list)
    for work in Work.objects.filter(pk__in=merging).order_by("pk"):
        ref = merging[work.pk].reference
        values = work_values(ref)
        changed = [
            name
            for name, value in values.items()
            if value not in BLANK and getattr(work, name) in BLANK and name not in kept[work.pk]
        ]
        for name in changed:
            setattr(work, name, values[name])
        if work.pk not in authored and ref.authors and "authors" not in kept[work.pk]:
            people.extend(_contributor_row(work.pk, i, name) for i, name in enumerate(ref.authors, start=1))
            changed.append("authors")
        if changed:
            work.updated_at = now  # what save() would set; bulk_update does not
            by_fields[tuple(name for name in changed if name != "authors")].append(work)
            origins.extend(
                FieldOrigin(
                    work=work,
                    field=name,
                    source=FieldOrigin.Source.IMPORT,
                    detail=plan.file_name,
                    recorded_at=now,
                )
                for name in changed
            )
            filled.append(work.pk)
    for fields, group in by_fields.items():
        _update_works(group, [*fields, "updated_at"])
    copy_rows(Contributor, _CONTRIBUTOR_COLUMNS, people)
    FieldOrigin.objects.bulk_create(
        origins,
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["work", "field"],
        update_fields=["source", "detail", "recorded_at"],
    )
    return filled


def _update_works(works: list[Work], names: list[str], batch: int = 1000) -> None:
    """What bulk_update does, as one UPDATE ... FROM (VALUES ...) per batch instead of a CASE per column."""
    fields = [Work._meta.get_field(name) for name in names]
    quote = connection.ops.quote_name
    types = [Work._meta.pk.db_type(connection), *(field.db_type(connection) for field in fields)]
    row = "(" + ", ".join(f"%s::{kind}" for kind in types) + ")"
    assignments = ", ".join(f"{quote(field.column)} = v.{quote(field.column)}" for field in fields)
    columns = ", ".join(["id", *(quote(field.column) for field in fields)])
    with connection.cursor() as cursor:
        for start in range(0, len(works), batch):
            chunk = works[start : start + batch]
            params = [
                value
                for work in chunk
                for value in (
                    work.pk,
                    *(field.get_db_prep_save(getattr(work, field.attname), connection) for field in fields),
                )
            ]
            cursor.execute(
                f"UPDATE {quote(Work._meta.db_table)} AS w SET {assignments} "
                f"FROM (VALUES {', '.join([row] * len(chunk))}) AS v({columns}) WHERE w.id = v.id",
                params,
            )


def _targets(plan: RecordPlan, new: dict[int, int]) -> dict[int, int]:
    """The work each record ends as."""
    targets: dict[int, int] = {}
    for decision in plan.decisions:
        if decision.outcome in (ADDED, POSSIBLE):
            targets[decision.position] = new[decision.position]
        elif decision.outcome == MERGED:
            targets[decision.position] = decision.match.work_id
        else:
            targets[decision.position] = targets[decision.match.record]
    return targets


_HIT_COLUMNS = ("search_id", "work_id", "position", "outcome", "method", "score")


def _hit(search: Search, decision: Decision, work_id: int) -> tuple:
    outcome = {MERGED: SearchHit.Outcome.MERGED, IN_FILE: SearchHit.Outcome.UNCHANGED}.get(
        decision.outcome, SearchHit.Outcome.ADDED
    )
    match = decision.match
    return (
        search.pk,
        work_id,
        decision.position,
        outcome.value,
        match.method if match else "",
        match and match.score,
    )


def _propose_duplicates(plan: RecordPlan, targets: dict[int, int], search: Search) -> None:
    """Possible duplicates go to the curators' queue; a pair decided before (either way) is left alone."""
    candidates = {}
    for decision in plan.decisions:
        for match in decision.possible if decision.outcome == POSSIBLE else ():
            other = match.work_id if match.work_id is not None else targets[match.record]
            if other != targets[decision.position]:
                first, second = pair(targets[decision.position], other)
                candidates[(first, second)] = DuplicateCandidate(
                    first_id=first, second_id=second, score=match.score, method=match.method, found_by=search
                )
    DuplicateCandidate.objects.bulk_create(candidates.values(), ignore_conflicts=True)


def _record_item(plan: RecordPlan, batch: ImportBatch, search: Search) -> None:
    summary = plan.summary()
    ImportItem.objects.create(
        batch=batch,
        file_name=plan.file_name,
        sha256=plan.sha256,
        outcome=ImportItem.Outcome.CREATED if search.added else ImportItem.Outcome.UPDATED,
        message=(
            f"{summary['format']}: {summary['records']} records, {summary['new']} new works, "
            f"{summary['merged']} merged, {summary['duplicates_in_file']} duplicates within the file, "
            f"{summary['possible_duplicates']} possible duplicates, {summary['skipped']} left out."
        ),
        reference_count=len(plan.decisions),
        problems=summary["problems"],
    )
