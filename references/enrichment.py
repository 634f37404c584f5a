"""Enrichment batches: starting them (from the web, a command or an import), resuming a paused one and
retrying its failures. What a task does for one work of a batch lives in enrichment_item."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone

from .models import EnrichmentBatch, EnrichmentItem, EnrichmentState, ImportBatch, Work
from .search import indexing
from .tasks import ENRICH_TIME_LIMIT, enrich_item

Item = EnrichmentItem.State


def start_enrichment(
    *, works: Iterable[Work] | Iterable[int], origin: str, user: AbstractBaseUser | None = None
) -> EnrichmentBatch | None:
    """A batch for these works, its tasks sent once the transaction commits; None if there are none."""
    work_ids = sorted({getattr(work, "pk", work) for work in works})
    if not work_ids:
        return None
    with transaction.atomic():
        batch = EnrichmentBatch.objects.create(origin=origin, created_by=user)
        items = EnrichmentItem.objects.bulk_create(EnrichmentItem(batch=batch, work_id=pk) for pk in work_ids)
        Work.objects.filter(pk__in=work_ids).update(enrichment_state=EnrichmentState.QUEUED)
        indexing.refresh(work_ids, text=False)
        _plan_pubmed(batch.pk, work_ids, new=True)
        for item in items:
            enrich_item.delay_on_commit(item.pk)
    return batch


def _plan_pubmed(batch_id: int, work_ids: list[int], *, new: bool) -> None:
    """PubMed's half fetches the batch's works in groups, planned before any task runs."""
    # Imported here: the pipeline, which the PubMed part reads records through, imports us.
    from .pubmed.enrichment import plan_groups

    plan_groups(batch_id, work_ids, new=new)


def works_to_enrich() -> QuerySet:
    """Every work Crossref has not enriched yet, and every work whose enrichment failed."""
    states = [EnrichmentState.NOT_ENRICHED, EnrichmentState.FAILED]
    return Work.objects.active().filter(enrichment_state__in=states).values_list("pk", flat=True)


def works_after_import(work_ids: Iterable[int]) -> list[int]:
    """The imported works and the works they cite, where Crossref has not been asked yet."""
    imported = Work.objects.filter(pk__in=list(work_ids))
    cited = Work.objects.filter(cited_by__citing_work__in=imported)
    candidates = (imported | cited).active().filter(enrichment_state=EnrichmentState.NOT_ENRICHED)
    return list(candidates.values_list("pk", flat=True).distinct())


def enrich_after_import(import_batch: ImportBatch) -> EnrichmentBatch | None:
    """Enrichment of what an import brought, sent when the caller's transaction commits (if enabled)."""
    if not settings.ENRICH_AFTER_IMPORT:
        return None
    work_ids = import_batch.items.exclude(work=None).values_list("work_id", flat=True)
    origin = EnrichmentBatch.Origin.IMPORT
    return start_enrichment(works=works_after_import(work_ids), origin=origin, user=import_batch.created_by)


def resume_batch(batch: EnrichmentBatch) -> int:
    """Send again what a paused half left: a paused batch's pending items, and the items whose PubMed part
    waits; or a stalled batch's waiting items. Returns how many."""
    if stalled(batch):
        return _send_again_waiting(batch)
    with transaction.atomic():
        batch = EnrichmentBatch.objects.select_for_update().filter(pk=batch.pk).first()
        if batch is None or not resumable(batch):
            return 0
        crossref_paused = batch.state == EnrichmentBatch.State.PAUSED
        resumed = {"pubmed_paused_at": None, "pubmed_pause_reason": "", "pubmed_request_count": 0}
        resumed |= {"pubmed_error_count": 0, "state": EnrichmentBatch.State.RUNNING, "finished_at": None}
        if crossref_paused:
            resumed |= {"pause_reason": "", "request_count": 0, "error_count": 0}
        EnrichmentBatch.objects.filter(pk=batch.pk).update(**resumed)
        # Pending items of a running batch are still queued: sending them again would fetch them twice.
        pending = (
            list(batch.items.filter(state=Item.PENDING).values_list("pk", flat=True))
            if crossref_paused
            else []
        )
        waiting = list(batch.items.filter(pubmed_pending=True).values_list("pk", flat=True))
        EnrichmentItem.objects.filter(pk__in=waiting).update(state=Item.PENDING, finished_at=None)
        # Works that got a DOI meanwhile join the plan; the groups fetched before the pause are kept.
        resumed_works = batch.items.filter(pk__in=[*pending, *waiting]).order_by("pk")
        _plan_pubmed(batch.pk, list(resumed_works.values_list("work_id", flat=True)), new=False)
        for pk in [*pending, *waiting]:
            enrich_item.delay_on_commit(pk)
    return len(pending) + len(waiting)


def resumable(batch: EnrichmentBatch) -> bool:
    """Whether either half of the batch paused itself."""
    return batch.state == EnrichmentBatch.State.PAUSED or batch.pubmed_paused_at is not None


def stalled(batch: EnrichmentBatch) -> bool:
    """A running batch with works waiting that has finished none for longer than a dead worker's messages
    take to come back and run (the broker's visibility timeout, then a task's time limit). Its messages were
    lost: Redis hands a message over by popping it, and one handed to a worker in the instant it is killed
    goes with it (README, "Enrichment"). Only sending the waiting works again finishes such a batch."""
    if batch.state != EnrichmentBatch.State.RUNNING or batch.pubmed_paused_at is not None:
        return False
    last = batch.items.aggregate(last=Max("finished_at"))["last"] or batch.created_at
    return timezone.now() - last > stall_after() and batch.items.filter(state=Item.PENDING).exists()


def stall_after() -> timedelta:
    return timedelta(
        seconds=settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] + ENRICH_TIME_LIMIT
    )


def _send_again_waiting(batch: EnrichmentBatch) -> int:
    """The waiting items' tasks, sent again: a task whose item was finished meanwhile does nothing."""
    with transaction.atomic():
        waiting = list(batch.items.filter(state=Item.PENDING).values_list("pk", flat=True))
        for pk in waiting:
            enrich_item.delay_on_commit(pk)
    return len(waiting)


def retry_failed(batch: EnrichmentBatch, *, user: AbstractBaseUser | None) -> EnrichmentBatch | None:
    failed = batch.items.filter(state=Item.FAILED).values_list("work_id", flat=True)
    return start_enrichment(works=failed, origin=EnrichmentBatch.Origin.WEB, user=user)
