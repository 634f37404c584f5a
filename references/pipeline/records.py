"""Exports of database searches become works of the library: read, plan (the preview), write, index.

The plan decides, record by record, whether it is a new work, a sure duplicate of a work in the library or of
an earlier record of the file, or a possible duplicate for a curator. Writing decides again inside one
transaction (imports of records take turns), so what the preview said and what is written agree.

A file is read, decided and written a batch of records at a time: an import holds one batch of records, not
the file's, and the plan keeps counts, problems and a few examples, not the records."""

from __future__ import annotations

import datetime
import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, transaction
from django.utils import timezone

from references.people import Name

from ..enrichment import start_enrichment
from ..importers import PageRejected, decode_page
from ..importers.decoding import refuse_undecodable
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
from ..refparse.collector import collector_paused
from ..refparse.records import ParsedReference, Problem, Unreadable
from ..refparse.source import TextSource
from ..refparse.streaming import RecordStream, stream_records
from ..search import indexing
from .copying import copy_line, copy_lines, copy_objects, copy_rows, reserve_ids
from .dedup import EarlierRecords, Match, identifiers, library_for, pair, record_keys

Progress = Callable[[str, int, int], None]  # stage ("read", "write"), done, total (an estimate)

ADDED, MERGED, IN_FILE, POSSIBLE = "added", "merged", "in-file", "possible"
BATCH = 2_000  # records read, decided and written at a time
EXAMPLES = 50  # sure and possible duplicates a plan keeps whole, for the preview to name
_START = 1 << 16  # bytes: what a UTF-8 file is checked for binary content by (the rest holds no NUL)
_LOCK = 7_413_001  # the advisory lock that makes imports of records take turns
_NOT_RECORDS = (
    "this is not an export of records (PubMed, RIS, BibTeX, CSL-JSON, Web of Science, Scopus CSV, EndNote XML, "
    "Ovid or a DOI/PMID list); a reference list belongs to the work that cites it: "
    "manage.py import_references FILE --into WORK."
)


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
    ids: dict[str, str] = field(default_factory=dict)  # the record's DOI, PMID and PMCID, as matched


@dataclass
class RecordPlan:
    """What a file's records come to: counts, problems and the first duplicates, without the records."""

    file_name: str
    sha256: str
    format: str = ""
    decided: int = 0
    outcomes: Counter = field(default_factory=Counter)
    unreadable: list[Problem] = field(default_factory=list)  # records left out: they could not be read
    record_problems: list[Problem] = field(default_factory=list)
    examples: dict[str, list[Decision]] = field(default_factory=lambda: {MERGED: [], POSSIBLE: []})
    imported_as: Search | None = None  # this very file was imported before

    def add(self, decisions: list[Decision]) -> None:
        for decision in decisions:
            self.outcomes[decision.outcome] += 1
            self.record_problems.extend(decision.reference.problems)
            shown = self.examples.get(decision.outcome)
            if shown is not None and len(shown) < EXAMPLES:
                shown.append(decision)
        self.decided += len(decisions)

    def count(self, outcome: str) -> int:
        return self.outcomes[outcome]

    @property
    def problems(self) -> list[Problem]:
        return [*self.unreadable, *self.record_problems]

    def summary(self) -> dict[str, object]:
        """What --json prints and the preview shows."""
        return {
            "file": self.file_name,
            "format": self.format,
            "records": self.decided + len(self.unreadable),
            "new": self.count(ADDED) + self.count(POSSIBLE),
            "merged": self.count(MERGED),
            "duplicates_in_file": self.count(IN_FILE),
            "possible_duplicates": self.count(POSSIBLE),
            "skipped": len(self.unreadable),
            "problems": [str(problem) for problem in self.problems],
            "outcome": "unchanged" if self.imported_as else "planned",
        }


def open_records(data: bytes | Path, *, file_name: str, format: str | None = None) -> RecordStream:
    """A file's records (its bytes, or the file on disk), to be read; RecordsRefused saying why when they
    cannot be. A UTF-8 file is read a slice at a time; any other is decoded whole, as a page is."""
    try:
        if source := TextSource.of(data):
            start = source.start(_START)
            refuse_undecodable(start, whole=len(start) < _START)
        stream = stream_records(source or decode_page(_bytes(data)).text, format=format)
    except (PageRejected, Unreadable) as refusal:
        raise RecordsRefused(f"{file_name}: {refusal}") from refusal
    if stream.format == "text":
        raise RecordsRefused(f"{file_name}: {_NOT_RECORDS}")
    return stream


def _bytes(data: bytes | Path) -> bytes:
    return data if isinstance(data, bytes) else data.read_bytes()


def _digest(data: bytes | Path) -> str:
    if isinstance(data, bytes):
        return hashlib.sha256(data).hexdigest()
    with data.open("rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()


def _batches(stream: RecordStream, file_name: str) -> Iterator[list[ParsedReference]]:
    """A file cut short is found only when reading reaches the cut."""
    try:
        yield from stream.batches(BATCH)
    except Unreadable as refusal:
        raise RecordsRefused(f"{file_name}: {refusal}") from refusal


class _Decider:
    """Each record's outcome against the library as it is now and the file's earlier records, in file order,
    a batch at a time. The earlier records wait in the database (EarlierRecords), not in memory."""

    def __init__(self) -> None:
        self.earlier, self.position = EarlierRecords(), 0

    def __call__(self, refs: list[ParsedReference]) -> list[Decision]:
        all_keys = [record_keys(ref) for ref in refs]
        all_ids = [identifiers(ref) for ref in refs]
        library, in_file = library_for(refs, all_keys), self.earlier.candidates(all_ids, all_keys)
        decisions = []
        for ref, ids, keys in zip(refs, all_ids, all_keys, strict=True):
            self.position += 1
            decision = Decision(self.position, ref, keys=keys, ids=ids)
            earlier, close_in_file = in_file.find(ids, keys)
            known, close = library.find(ids, keys)
            if earlier:
                decision.outcome, decision.match = IN_FILE, earlier
            elif known:
                decision.outcome, decision.match = MERGED, known
            elif close or close_in_file:
                decision.outcome, decision.possible = POSSIBLE, [*close, *close_in_file]
            in_file.add(ids, keys, None, self.position)
            decisions.append(decision)
        return decisions

    def keep(self, decisions: list[Decision], targets: dict[int, int] | None = None) -> None:
        """The batch's records, for the batches after it to be compared with (with the work each became)."""
        targets = targets or {}
        self.earlier.keep([(d.position, targets.get(d.position), d.ids, d.keys) for d in decisions])


def plan_records(data: bytes | Path, *, file_name: str, format: str | None = None) -> RecordPlan:
    """The preview: what importing the file would do, found without writing anything."""
    plan = RecordPlan(file_name=file_name, sha256=_digest(data))
    with collector_paused(), transaction.atomic():  # the earlier records' table lives as long as it
        stream = open_records(data, file_name=file_name, format=format)
        plan.format = stream.format
        plan.imported_as = Search.objects.filter(sha256=plan.sha256).first()
        decide = _Decider()
        for refs in _batches(stream, file_name):
            decisions = decide(refs)
            decide.keep(decisions)
            plan.add(decisions)
        plan.unreadable = stream.problems
    _check_read(plan)
    return plan


def import_file(
    data: bytes | Path,
    *,
    file_name: str,
    format: str | None = None,
    details: SearchDetails,
    user: AbstractBaseUser | None,
    origin: str,
    accept_losses: bool = False,
    progress: Progress | None = None,
) -> tuple[RecordPlan, Search]:
    """Read, decide and write a file (the command, the worker): all of it or nothing, decided inside the
    write's transaction. Unreadable records are left out only when the user accepted it. The plan says what
    was done; `plan.imported_as` is set when the file was imported before."""
    progress = progress or _quiet
    plan = RecordPlan(file_name=file_name, sha256=_digest(data))
    stream = open_records(data, file_name=file_name, format=format)
    plan.format, plan.unreadable = stream.format, stream.problems
    _check_losses(plan, accept_losses)
    with transaction.atomic():
        if known := _take_turn(plan):
            plan.imported_as = known
            return plan, known
        with collector_paused():
            writer = _Writer(plan, details=details, user=user, origin=origin)
            for refs in _batches(stream, file_name):
                writer.write(refs)
                _check_losses(plan, accept_losses)
                total = max(stream.expected, plan.decided)
                progress("read", plan.decided, total)
                progress("write", plan.decided, total)
            _check_read(plan)
            return plan, writer.finish()


def _check_losses(plan: RecordPlan, accept_losses: bool) -> None:
    if plan.unreadable and not accept_losses:
        raise RecordsRefused(
            f"{plan.file_name}: {len(plan.unreadable)} records could not be read and would be left out; "
            "accept leaving them out to import the rest."
        )


def _check_read(plan: RecordPlan) -> None:
    if not plan.decided:
        raise RecordsRefused(f"{plan.file_name}: no record could be read ({plan.format}).")


def _take_turn(plan: RecordPlan) -> Search | None:
    """Imports of records take turns (one transaction-long lock), so two cannot both add one work. The search
    that imported this very file already, if one did."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK])
    return Search.objects.filter(sha256=plan.sha256).first()


def _quiet(stage: str, done: int, total: int) -> None:
    pass


class _Writer:
    """Writes a file's records a batch at a time inside the import's transaction, remembering across batches
    only the works the search has found (the earlier records wait in the database with the work each became)."""

    def __init__(
        self, plan: RecordPlan, *, details: SearchDetails, user: AbstractBaseUser | None, origin: str
    ) -> None:
        self.plan, self.user, self.decide = plan, user, _Decider()
        self.batch = ImportBatch.objects.create(kind=ImportBatch.Kind.RECORDS, origin=origin, created_by=user)
        self.search = _search(plan, self.batch, details)
        # Works with a hit: a record repeated, or two merged into one, count once.
        self.found: set[int] = set()

    def write(self, refs: list[ParsedReference]) -> None:
        decisions = self.decide(refs)
        self.plan.add(decisions)
        new = _create_works(decisions, self.plan.file_name)
        filled = _merge_into_library(decisions, self.plan.file_name)
        targets: dict[int, int] = {}  # record position -> the work it ended as
        for decision in decisions:
            targets[decision.position] = _target(decision, new, targets)
        self.decide.keep(decisions, targets)
        hits = []
        for decision in decisions:
            if (work_id := targets[decision.position]) not in self.found:
                self.found.add(work_id)
                hits.append(_hit(self.search, decision, work_id))
        copy_rows(SearchHit, _HIT_COLUMNS, hits)
        _propose_duplicates(decisions, targets, self.search)
        touched = {*new.values(), *filled}
        indexing.refresh(touched)
        indexing.refresh(set(targets.values()) - touched, text=False)  # "Found by"

    def finish(self) -> Search:
        _count(self.search, self.plan)
        _record_item(self.plan, self.batch, self.search)
        self.batch.mark_finished()
        added = self.search.hits.filter(outcome=SearchHit.Outcome.ADDED).values_list("work_id", flat=True)
        if settings.ENRICH_AFTER_IMPORT and (new := sorted(added)):
            start_enrichment(works=new, origin=EnrichmentBatch.Origin.IMPORT, user=self.user)
        return self.search


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
        file_format=plan.format,
    )


def _count(search: Search, plan: RecordPlan) -> None:
    """The search's counts, once the whole file is written."""
    summary = plan.summary()
    search.records, search.merged = summary["records"], summary["merged"]
    search.added = summary["new"]
    search.duplicates_in_file = summary["duplicates_in_file"]
    search.possible_duplicates = summary["possible_duplicates"]
    search.skipped, search.problems = summary["skipped"], summary["problems"]
    search.save(
        update_fields=[
            "records",
            "added",
            "merged",
            "duplicates_in_file",
            "possible_duplicates",
            "skipped",
            "problems",
        ]
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


def _create_works(decisions: list[Decision], file_name: str) -> dict[int, int]:
    """The new works, by the position of the record that brought each."""
    fresh = [d for d in decisions if d.outcome in (ADDED, POSSIBLE)]
    values = [work_values(decision.reference) for decision in fresh]
    now, works = timezone.now(), []
    for decision, fields, pk in zip(fresh, values, reserve_ids(Work, len(fresh)), strict=True):
        work = Work(pk=pk, created_at=now, updated_at=now, **fields)
        work.title_key, work.first_author_key = decision.keys.title, decision.keys.first_author  # as decided
        works.append(work)
    copy_objects(Work, works)
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
    same = copy_line((FieldOrigin.Source.IMPORT.value, file_name, now))
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


_CONTRIBUTOR_COLUMNS = ("work_id", "role", "position", "family", "given", "printed", "orcid", "affiliation")


def _contributor_row(work_id: int, position: int, name: Name) -> tuple:
    role = Contributor.Role.AUTHOR.value
    return (work_id, role, position, name.family, name.given, name.in_print, name.orcid, name.affiliation)


def _merge_into_library(decisions: list[Decision], file_name: str) -> list[int]:
    """Sure duplicates fill what their work lacks; nothing a curator set, nothing present, is overwritten."""
    merging = {d.match.work_id: d for d in decisions if d.outcome == MERGED}
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
                    detail=file_name,
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


def _target(decision: Decision, new: dict[int, int], targets: dict[int, int]) -> int:
    """The work a record ends as: a duplicate of a record of an earlier batch knows its work already, one of
    a record of the same batch finds it in `targets`."""
    if decision.outcome in (ADDED, POSSIBLE):
        return new[decision.position]
    if decision.match.work_id is not None:
        return decision.match.work_id
    return targets[decision.match.record]


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


def _propose_duplicates(decisions: list[Decision], targets: dict[int, int], search: Search) -> None:
    """Possible duplicates go to the curators' queue; a pair decided before (either way) is left alone."""
    candidates = {}
    for decision in decisions:
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
        reference_count=plan.decided,
        problems=summary["problems"],
    )
