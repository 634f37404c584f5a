"""The admin's upload of pages and record files: which is which, the preview of record files, and the
confirmation, which imports the pages at once and hands the record files to a worker (RecordImportJob)."""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import F
from django.utils import timezone

from ..importers import PageRejected, decode_page
from ..models import ImportBatch, RecordImportJob, StagedImport, Work
from ..refparse import Unreadable
from ..refparse.formats.detect import detect_format
from ..staging import Staged, claimed, stage
from ..tasks import RECORD_IMPORT_LIMIT, import_record_files
from .pages import SourceFile, SourcePlan, import_sources, plan_source_import
from .records import (
    MERGED,
    POSSIBLE,
    RecordPlan,
    RecordsRefused,
    SearchDetails,
    import_file,
    plan_records,
)

logger = logging.getLogger(__name__)

SHOWN = 50  # duplicates listed by name in a preview; the rest are counted


@dataclass(frozen=True)
class Candidate:
    """What a record may be: a work of the library, or an earlier record of the same file."""

    work: Work | None
    record: int | None
    method: str
    score: float


@dataclass(frozen=True)
class DuplicateRow:
    position: int
    title: str
    candidates: list[Candidate]


@dataclass
class RecordPreview:
    """What importing one record file would do, or why it cannot be imported."""

    file_name: str
    format: str
    data: bytes = field(repr=False, default=b"")
    plan: RecordPlan | None = None
    message: str = ""
    merged: list[DuplicateRow] = field(default_factory=list)
    possible: list[DuplicateRow] = field(default_factory=list)
    is_records = True

    @property
    def importable(self) -> bool:
        return self.plan is not None and self.plan.imported_as is None

    @property
    def summary(self) -> dict[str, object]:
        return self.plan.summary() if self.plan else {}

    @property
    def merged_more(self) -> int:
        return self.plan.count(MERGED) - len(self.merged) if self.plan else 0

    @property
    def possible_more(self) -> int:
        return self.plan.count(POSSIBLE) - len(self.possible) if self.plan else 0

    @property
    def unreadable(self) -> int:
        return len(self.plan.unreadable) if self.importable else 0


Preview = SourcePlan | RecordPreview


def record_format(data: bytes) -> str | None:
    """The record format of an uploaded file; None for a page, or for anything the page reader should judge."""
    try:
        found = detect_format(decode_page(data).text)
    except (PageRejected, Unreadable):
        return None
    return None if found == "text" else found


def preview_upload(upload: SourceFile) -> Preview:
    if upload.size <= settings.IMPORT_MAX_BYTES:
        data = upload.read()
        upload.seek(0)
        if found := record_format(data):
            return preview_records(data, file_name=Path(upload.name).name, format=found)
    return plan_source_import(upload)


def preview_records(data: bytes, *, file_name: str, format: str) -> RecordPreview:
    try:
        plan = plan_records(data, file_name=file_name, format=format)
    except RecordsRefused as refusal:
        return RecordPreview(file_name, format, message=str(refusal))
    preview = RecordPreview(file_name, plan.format, data=data, plan=plan)
    if plan.imported_as:
        search = plan.imported_as
        preview.message = (
            f"Already imported as the search “{search.label}” (#{search.pk}); nothing would change."
        )
    merged, possible = plan.examples[MERGED][:SHOWN], plan.examples[POSSIBLE][:SHOWN]
    matches = {d.position: [d.match] for d in merged} | {d.position: d.possible for d in possible}
    works = Work.objects.only("title", "year", "doi").in_bulk(
        {m.work_id for found in matches.values() for m in found if m.work_id}
    )
    for rows, decisions in ((preview.merged, merged), (preview.possible, possible)):
        rows.extend(
            DuplicateRow(
                d.position,
                d.reference.title,
                [Candidate(works.get(m.work_id), m.record, m.method, m.score) for m in matches[d.position]],
            )
            for d in decisions
        )
    return preview


def stage_previews(
    user_id: int, uploads: list[SourceFile], previews: list[Preview], *, search: dict[str, object]
) -> str | None:
    """Keep what can be imported for the confirmation: the pages and the record files (with their format,
    the search they came from and how many records would be left out). None when nothing can be."""
    files, formats, losses, records = [], {}, 0, 0
    for upload, preview in zip(uploads, previews, strict=True):
        if not preview.importable:
            continue
        if isinstance(preview, RecordPreview):
            formats[str(len(files))] = preview.format
            losses += preview.unreadable
            records += preview.summary["records"]
            files.append((preview.file_name, preview.data))
        else:
            upload.seek(0)
            files.append((preview.file_name, upload.read()))
    if not files:
        return None
    details = {"records": formats, "losses": losses, "records_total": records, "search": search}
    return stage(user_id, files, details)


def staged_details(user_id: int, token: str) -> dict | None:
    """The choices of a preview that is still there to confirm, without claiming it."""
    live = StagedImport.objects.filter(
        token=token, user_id=user_id, claimed_at=None, expires_at__gt=timezone.now()
    )
    return live.values_list("details", flat=True).first()


def confirm_upload(
    staged: Staged, *, user: AbstractBaseUser, accept_losses: bool
) -> ImportBatch | RecordImportJob | None:
    """Import the pages now and send the record files to a worker; the job when there are record files."""
    formats = staged.details.get("records", {})
    pages = [upload for position, upload in enumerate(staged.files) if str(position) not in formats]
    batch = import_sources(pages, user=user, origin=ImportBatch.Origin.WEB) if pages else None
    records = [(upload.name, upload.read()) for p, upload in enumerate(staged.files) if str(p) in formats]
    if not records:
        return batch
    details = {
        **staged.details,
        "records": {str(position): fmt for position, fmt in enumerate(formats.values())},
        "accept_losses": accept_losses,
    }
    return queue_record_import(user=user, files=records, details=details, batches=[batch] if batch else [])


def queue_record_import(
    *, user: AbstractBaseUser, files: list[tuple[str, bytes]], details: dict, batches: list[ImportBatch]
) -> RecordImportJob:
    """Stage the record files for the worker and send it the job once the transaction commits."""
    token = stage(user.pk, files, details)
    # A claimed upload must not expire while the worker holds it: stage() would wait on its lock to delete it.
    StagedImport.objects.filter(token=token).update(
        expires_at=F("expires_at") + timedelta(seconds=RECORD_IMPORT_LIMIT)
    )
    job = RecordImportJob.objects.create(
        token=token, created_by=user, files=len(files), records_total=details.get("records_total", 0)
    )
    job.batches.add(*batches)
    import_record_files.delay_on_commit(job.pk)
    return job


def start_again(job: RecordImportJob) -> dict | None:
    """The staged choices of a failed job whose upload is still there, for a new confirmation."""
    if job.state != RecordImportJob.State.FAILED or job.created_by_id is None:
        return None
    return staged_details(job.created_by_id, job.token)


class Reporter:
    """Writes a job's progress where the page can read it while the import's transaction is still open: on a
    database connection of its own, each write committed at once. The import's transaction never writes
    the job's row before the last report, so the two connections never wait on each other."""

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id

    def __enter__(self) -> Reporter:
        self.connection = connections.create_connection(DEFAULT_DB_ALIAS)
        return self

    def __exit__(self, *exc) -> None:
        self.connection.close()

    def __call__(self, **values: object) -> None:
        quote = self.connection.ops.quote_name
        values["updated_at"] = timezone.now()
        assignments = ", ".join(f"{quote(name)} = %s" for name in values)
        table = quote(RecordImportJob._meta.db_table)
        with self.connection.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET {assignments} WHERE id = %s", [*values.values(), self.job_id])


def run_record_import(job_id: int) -> None:
    """The worker's part: claim the staged record files, plan them again from their bytes and import them,
    all in one transaction. A second delivery of a finished (or failed) job does nothing; one after a worker
    died finds the upload unclaimed (the transaction rolled back) and imports it."""
    job = RecordImportJob.objects.select_related("created_by").filter(pk=job_id).first()
    if job is None or job.state in (RecordImportJob.State.DONE, RecordImportJob.State.FAILED):
        return
    try:
        with Reporter(job.pk) as report:
            _import_staged(job, report)
    except SoftTimeLimitExceeded:
        job.fail(
            f"The import took longer than {RECORD_IMPORT_LIMIT // 60} minutes and was stopped; nothing was "
            "written. Start it again, or import the file with manage.py import_records."
        )
    except RecordsRefused as refusal:
        job.fail(f"{refusal} Nothing was written.")
    except Exception as error:
        logger.exception("Record import job %s failed", job.pk)
        job.fail(f"The import stopped on an error ({type(error).__name__}: {error}); nothing was written.")


def _import_staged(job: RecordImportJob, report: Reporter) -> None:
    with claimed(job.created_by_id, job.token) as staged:
        if staged is None:
            job.fail("The upload has expired or was imported by another confirmation; nothing was written.")
            return
        report(state=RecordImportJob.State.RUNNING, records_read=0, records_written=0)
        details, batches, read, written = staged.details, [], 0, 0
        several = len(staged.files) > 1
        for position, upload in enumerate(staged.files):

            def progress(
                stage: str, done: int, total: int, read_before: int = read, before: int = written
            ) -> None:
                report(
                    **{"records_read": read_before + done}
                    if stage == "read"
                    else {"records_written": before + done}
                )

            plan, search = import_file(
                upload.read(),
                file_name=upload.name,
                format=details["records"][str(position)],
                details=search_details(details["search"], file_name=upload.name, several=several),
                user=job.created_by,
                origin=ImportBatch.Origin.WEB,
                accept_losses=details.get("accept_losses", False),
                progress=progress,
            )
            read += plan.summary()["records"]
            written += plan.summary()["records"]
            report(records_read=read, records_written=written)
            batches.append(search.batch)
        job.finish(batches)


def search_details(search: dict, *, file_name: str, several: bool) -> SearchDetails:
    """The form's search fields for one file; with several files, each search's label names its file."""
    label = search.get("label") or ""
    run_on = search.get("run_on")
    return SearchDetails(
        label=f"{label} ({file_name})" if label and several else label,
        database=search.get("database") or "",
        query=search.get("query") or "",
        run_on=datetime.date.fromisoformat(run_on) if run_on else None,
        reported=search.get("reported"),
    )
