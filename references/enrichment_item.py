"""What a task does for one work of an enrichment batch: Crossref's half, then or first PubMed's, each
counting its requests against the batch and pausing its half when too many fail. What the answers write into
works lives in crossref_answers and pubmed.enrichment; the batches themselves in enrichment."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, partial

import habanero
import redis
from django.conf import settings
from django.core.cache import cache as django_cache
from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from .crossref.candidates import Judgement, judge_candidates, query_for
from .crossref.client import LIST, SINGLE, Attempt, CrossrefClient, CrossrefError, RetryPolicy
from .crossref.throttle import Limits, Throttle
from .crossref_answers import fill_from_crossref, link_doi, propose_match, rejected_before, set_state
from .models import EnrichmentBatch, EnrichmentItem, EnrichmentState, Work
from .pubmed.enrichment import PubMedError, batch_records, enrich_from_pubmed, forget_groups

Item = EnrichmentItem.State


class BatchPaused(Exception):
    """The batch paused itself while this item was being worked on; the item stays pending."""


class PubMedPaused(Exception):
    """PubMed's half of the batch paused itself; this item's PubMed part waits for the resume."""


@cache
def _redis(url: str) -> redis.Redis:
    """One connection pool per process, not one per task."""
    return redis.Redis.from_url(url)


def crossref_client(*, on_attempt=None) -> CrossrefClient:
    """A client with the configured limits, shared through Redis by every process."""
    connection = _redis(settings.REDIS_URL)
    lease = settings.CROSSREF_TIMEOUT + 5

    def throttle(kind: str, rate: float, concurrency: int) -> Throttle:
        name = f"{settings.CROSSREF_REDIS_PREFIX}:throttle:{kind}"
        limits = Limits(rate=rate, concurrency=concurrency)
        return Throttle(connection, name, limits, lease_seconds=lease, margin=settings.CROSSREF_RATE_MARGIN)

    return CrossrefClient(
        habanero.Crossref(
            base_url=settings.CROSSREF_BASE_URL,
            mailto=settings.CROSSREF_MAILTO or None,
            timeout=settings.CROSSREF_TIMEOUT,
        ),
        {
            SINGLE: throttle(SINGLE, settings.CROSSREF_SINGLE_RATE, settings.CROSSREF_SINGLE_CONCURRENCY),
            LIST: throttle(LIST, settings.CROSSREF_LIST_RATE, settings.CROSSREF_LIST_CONCURRENCY),
        },
        cache=django_cache,
        cache_prefix=settings.CROSSREF_REDIS_PREFIX,
        cache_seconds=settings.CROSSREF_CACHE_SECONDS,
        retry=RetryPolicy(
            max_tries=settings.CROSSREF_MAX_TRIES,
            backoff=settings.CROSSREF_BACKOFF_SECONDS,
            backoff_cap=settings.CROSSREF_BACKOFF_CAP_SECONDS,
        ),
        on_attempt=on_attempt,
    )


def _count_attempt(batch_id: int, attempt: Attempt) -> None:
    """Count the request against the batch; pause the batch once too many of its requests failed."""
    EnrichmentBatch.objects.filter(pk=batch_id).update(
        request_count=F("request_count") + 1, error_count=F("error_count") + int(attempt.failed)
    )
    if not attempt.failed:
        return
    too_many = EnrichmentBatch.objects.filter(
        pk=batch_id,
        state=EnrichmentBatch.State.RUNNING,
        request_count__gte=settings.CROSSREF_PAUSE_MIN_REQUESTS,
        error_count__gt=F("request_count") * settings.CROSSREF_PAUSE_ERROR_RATIO,
    )
    batch = too_many.first()
    if batch:
        reason = _pause_reason(
            batch.error_count, batch.request_count, settings.CROSSREF_PAUSE_ERROR_RATIO, "Crossref"
        )
        reason = f"Paused by itself: {reason} Resume when Crossref answers again."
        if too_many.update(state=EnrichmentBatch.State.PAUSED, pause_reason=reason):
            raise BatchPaused
    if EnrichmentBatch.objects.filter(pk=batch_id, state=EnrichmentBatch.State.PAUSED).exists():
        raise BatchPaused


def _count_pubmed_attempt(batch_id: int, attempt: Attempt) -> None:
    """Count the request to NCBI against the batch; pause PubMed's half once too many of them failed."""
    EnrichmentBatch.objects.filter(pk=batch_id).update(
        pubmed_request_count=F("pubmed_request_count") + 1,
        pubmed_error_count=F("pubmed_error_count") + int(attempt.failed),
    )
    if not attempt.failed:
        return
    ratio = getattr(settings, "NCBI_PAUSE_ERROR_RATIO", settings.CROSSREF_PAUSE_ERROR_RATIO)
    too_many = EnrichmentBatch.objects.filter(
        pk=batch_id,
        pubmed_paused_at=None,
        pubmed_request_count__gte=getattr(
            settings, "NCBI_PAUSE_MIN_REQUESTS", settings.CROSSREF_PAUSE_MIN_REQUESTS
        ),
        pubmed_error_count__gt=F("pubmed_request_count") * ratio,
    )
    if batch := too_many.first():
        reason = _pause_reason(batch.pubmed_error_count, batch.pubmed_request_count, ratio, "NCBI")
        reason = f"{reason} Crossref's half goes on; resume when NCBI answers again."
        too_many.update(pubmed_paused_at=timezone.now(), pubmed_pause_reason=reason)
    if pubmed_paused(batch_id):
        raise PubMedPaused


def pubmed_paused(batch_id: int) -> bool:
    return EnrichmentBatch.objects.filter(pk=batch_id).exclude(pubmed_paused_at=None).exists()


def _pause_reason(errors: int, requests: int, ratio: float, service: str) -> str:
    share = round(100 * errors / requests)
    return f"{errors} of {requests} requests to {service} failed ({share}%, more than {ratio:.0%})."


@dataclass(frozen=True)
class Found:
    message: dict
    source_url: str


@dataclass(frozen=True)
class Judged:
    judgement: Judgement
    query: str


def enrich(item_id: int) -> None:
    """Enrich one item's work, once: a redelivered or repeated task finds the item done and stops."""
    item = EnrichmentItem.objects.select_related("batch", "work").filter(pk=item_id).first()
    if item is None or item.state != Item.PENDING:
        return
    if item.batch.state == EnrichmentBatch.State.PAUSED:
        if item.batch.pause_reason and not item.pubmed_outcome:  # Crossref's half paused: PubMed's goes on
            PubMedHalf(item.work_id, item.batch_id).run_alone(item_id)
        return
    if item.pubmed_pending:  # Crossref's half was done before PubMed's paused
        PubMedHalf(item.work_id, item.batch_id).resume(item_id, item.outcome)
        return
    work, pubmed = item.work, PubMedHalf(item.work_id, item.batch_id, done=item.pubmed_outcome)
    if work.pmid:  # PubMed first: the DOI it gives lets Crossref fetch the record instead of searching
        pubmed.run()
        work = Work.objects.get(pk=item.work_id)
    client = crossref_client(on_attempt=partial(_count_attempt, item.batch_id))
    try:
        answer = consult(client, work)
    except BatchPaused:
        return
    except CrossrefError as error:
        fail_item(item_id, pubmed.with_notes(error.reason))
        return
    with transaction.atomic():
        if not EnrichmentItem.objects.select_for_update().filter(pk=item_id, state=Item.PENDING).exists():
            return
        work = Work.objects.select_for_update().get(pk=item.work_id)
        outcome = apply_answer(work, answer)
        if pubmed.ran or not pubmed.wanted(work):
            pubmed.finish(item_id, outcome)
            return
    pubmed.run()
    pubmed.finish(item_id, outcome)


class PubMedHalf:
    """PubMed's part of an item (when NCBI_ENRICH is on): run once, before or after Crossref's; its failure
    fails the item with the reason, and keeps what Crossref filled. While PubMed's half of the batch is
    paused, the item is finished with Crossref's outcome and remembers that its PubMed part waits."""

    WAITING = "PubMed's part waits for the batch to be resumed."

    FAILED = "PubMed failed:"

    def __init__(self, work_id: int, batch_id: int, *, done: str = "") -> None:
        """`done`: the outcome of this part when it ran while Crossref's half was paused."""
        self.work_id, self.batch_id = work_id, batch_id
        self.ran, self.notes, self.waiting = bool(done), [done] if done else [], False
        self.failed = done.startswith(self.FAILED)

    def wanted(self, work: Work) -> bool:
        return bool(settings.NCBI_ENRICH and (work.pmid or work.doi))

    def run(self) -> None:
        if self.ran or not self.wanted(Work.objects.get(pk=self.work_id)):
            return
        self.ran = True
        if pubmed_paused(self.batch_id):
            self.waiting = True
            return
        try:
            records = batch_records(self.batch_id, on_attempt=partial(_count_pubmed_attempt, self.batch_id))
            self.notes.append(enrich_from_pubmed(self.work_id, records))
        except PubMedPaused:
            self.waiting = True
        except PubMedError as error:
            self.failed = True
            self.notes.append(f"{self.FAILED} {error.reason}")

    def run_alone(self, item_id: int) -> None:
        """While Crossref's half is paused: run this part and keep its outcome on the pending item."""
        self.run()
        if self.ran and not self.waiting:
            outcome = " ".join(self.notes)
            EnrichmentItem.objects.filter(pk=item_id, state=Item.PENDING).update(pubmed_outcome=outcome)

    def with_notes(self, outcome: str) -> str:
        return " ".join([outcome, *self.notes])

    def finish(self, item_id: int, outcome: str) -> None:
        if self.failed:
            fail_item(item_id, self.with_notes(outcome))
        elif self.waiting:
            _finish(item_id, Item.DONE, self.with_notes(f"{outcome} {self.WAITING}"), pubmed_pending=True)
        else:
            _finish(item_id, Item.DONE, self.with_notes(outcome))

    def resume(self, item_id: int, outcome: str) -> None:
        """The PubMed part of an item whose Crossref part was done before the pause."""
        self.run()
        self.finish(item_id, outcome.replace(f" {self.WAITING}", ""))


def consult(client: CrossrefClient, work: Work) -> Found | Judged:
    """Ask Crossref about a work: its record when it has a DOI, else candidates for its reference."""
    if work.doi:
        return Found(client.work(work.doi), f"{client.crossref.base_url}/works/{work.doi}")
    query = reference_string(work)
    return Judged(judge_candidates(query, client.search(query_for(query))), query)


def reference_string(work: Work) -> str:
    """The reference as a citing work printed it, or as its fields would print it."""
    citation = work.cited_by.order_by("pk").first()
    if citation:
        return citation.raw
    authors = ", ".join(f"{a.family} {a.given}".strip() for a in work.authors[:3])
    parts = [authors, work.title, work.container_title, str(work.year or ""), work.volume, work.pages]
    return ". ".join(part for part in parts if part)


def apply_answer(work: Work, answer: Found | Judged) -> str:
    if isinstance(answer, Found):
        return fill_from_crossref(work, answer.message, source_url=answer.source_url)
    judgement = answer.judgement
    if judgement.outcome == "link":
        return link_doi(work, judgement, method=judgement.method)
    if judgement.outcome == "review" and not rejected_before(work, judgement.doi):
        propose_match(work, judgement, answer.query)
        return f"Awaiting a curator's review: {judgement.doi} ({judgement.reason})"
    set_state(work.pk, EnrichmentState.UNMATCHED)
    return f"No DOI linked: {judgement.reason}"


def fail_item(item_id: int, reason: str) -> None:
    _finish(item_id, Item.FAILED, reason, work_state=EnrichmentState.FAILED)


def _finish(
    item_id: int, state: str, outcome: str, *, work_state: str | None = None, pubmed_pending: bool = False
) -> None:
    item = EnrichmentItem.objects.filter(pk=item_id).first()
    if item is None:
        return
    EnrichmentItem.objects.filter(pk=item_id, state=Item.PENDING).update(
        state=state, outcome=outcome, finished_at=timezone.now(), pubmed_pending=pubmed_pending
    )
    if work_state:
        set_state(item.work_id, work_state)
    pending = EnrichmentItem.objects.filter(batch=OuterRef("pk"), state=Item.PENDING)
    waiting = EnrichmentItem.objects.filter(batch=OuterRef("pk"), pubmed_pending=True)
    settled = EnrichmentBatch.objects.filter(pk=item.batch_id, finished_at=None).exclude(Exists(pending))
    finished = settled.exclude(Exists(waiting))
    if finished.update(state=EnrichmentBatch.State.FINISHED, finished_at=timezone.now()):
        forget_groups(item.batch_id)  # the batch is over: the PubMed records its groups kept go
    # Only PubMed's paused half is left: the batch waits for a resume, as when Crossref's pauses.
    settled.filter(Exists(waiting), state=EnrichmentBatch.State.RUNNING).update(
        state=EnrichmentBatch.State.PAUSED
    )
