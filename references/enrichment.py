"""Crossref enrichment: batches of works, what a task does for one of them, and curators' review."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, partial

import habanero
import redis
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache as django_cache
from django.db import transaction
from django.db.models import Exists, F, OuterRef, QuerySet
from django.utils import timezone

from . import indexing
from .crossref.candidates import Judgement, judge_candidates, query_for
from .crossref.client import LIST, SINGLE, Attempt, CrossrefClient, CrossrefError, RetryPolicy
from .crossref.metadata import CrossrefRecord, read_record
from .crossref.throttle import Limits, Throttle
from .merging import merge_works
from .models import (
    Citation,
    Contributor,
    DuplicateCandidate,
    EnrichmentBatch,
    EnrichmentItem,
    EnrichmentState,
    FieldOrigin,
    ImportBatch,
    MatchCandidate,
    Work,
)
from .tasks import enrich_item

Item = EnrichmentItem.State
BLANK = ("", None, [])
# Crossref's word on the type is kept unless a page or a curator said otherwise.
TYPE_FIELD = "work_type"


class BatchPaused(Exception):
    """The batch paused itself while this item was being worked on; the item stays pending."""


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


# Starting, pausing and resuming batches


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
        for item in items:
            enrich_item.delay_on_commit(item.pk)
    return batch


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
    """Send the pending items of a paused batch again; returns how many."""
    with transaction.atomic():
        updated = EnrichmentBatch.objects.filter(pk=batch.pk, state=EnrichmentBatch.State.PAUSED).update(
            state=EnrichmentBatch.State.RUNNING, pause_reason="", request_count=0, error_count=0
        )
        pending = list(batch.items.filter(state=Item.PENDING).values_list("pk", flat=True)) if updated else []
        for pk in pending:
            enrich_item.delay_on_commit(pk)
    return len(pending)


def retry_failed(batch: EnrichmentBatch, *, user: AbstractBaseUser | None) -> EnrichmentBatch | None:
    failed = batch.items.filter(state=Item.FAILED).values_list("work_id", flat=True)
    return start_enrichment(works=failed, origin=EnrichmentBatch.Origin.WEB, user=user)


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
    if batch and too_many.update(state=EnrichmentBatch.State.PAUSED, pause_reason=_pause_reason(batch)):
        raise BatchPaused
    if EnrichmentBatch.objects.filter(pk=batch_id, state=EnrichmentBatch.State.PAUSED).exists():
        raise BatchPaused


def _pause_reason(batch: EnrichmentBatch) -> str:
    share = round(100 * batch.error_count / batch.request_count)
    return (
        f"Paused by itself: {batch.error_count} of {batch.request_count} requests to Crossref failed "
        f"({share}%, more than {settings.CROSSREF_PAUSE_ERROR_RATIO:.0%}). Resume when Crossref answers again."
    )


# What a task does for one item


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
    if item is None or item.state != Item.PENDING or item.batch.state == EnrichmentBatch.State.PAUSED:
        return
    work, pubmed = item.work, PubMedHalf(item.work_id)
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
    fails the item with the reason, and keeps what Crossref filled."""

    def __init__(self, work_id: int) -> None:
        self.work_id, self.ran, self.notes, self.failed = work_id, False, [], False

    def wanted(self, work: Work) -> bool:
        return bool(settings.NCBI_ENRICH and (work.pmid or work.doi))

    def run(self) -> None:
        # Imported here: references.pubmed.enrichment reads records through the pipeline, which imports us.
        from .pubmed.enrichment import PubMedError, enrich_from_pubmed, pubmed_client

        if self.ran or not self.wanted(Work.objects.get(pk=self.work_id)):
            return
        self.ran = True
        try:
            self.notes.append(enrich_from_pubmed(self.work_id, pubmed_client()))
        except PubMedError as error:
            self.failed = True
            self.notes.append(f"PubMed failed: {error.reason}")

    def with_notes(self, outcome: str) -> str:
        return " ".join([outcome, *self.notes])

    def finish(self, item_id: int, outcome: str) -> None:
        if self.failed:
            fail_item(item_id, self.with_notes(outcome))
        else:
            _finish(item_id, Item.DONE, self.with_notes(outcome))


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
    if judgement.outcome == "review" and not _rejected_before(work, judgement.doi):
        _propose(work, judgement, answer.query)
        return f"Awaiting a curator's review: {judgement.doi} ({judgement.reason})"
    _set_state(work.pk, EnrichmentState.UNMATCHED)
    return f"No DOI linked: {judgement.reason}"


def fail_item(item_id: int, reason: str) -> None:
    _finish(item_id, Item.FAILED, reason, work_state=EnrichmentState.FAILED)


def _finish(item_id: int, state: str, outcome: str, *, work_state: str | None = None) -> None:
    item = EnrichmentItem.objects.filter(pk=item_id).first()
    if item is None:
        return
    EnrichmentItem.objects.filter(pk=item_id, state=Item.PENDING).update(
        state=state, outcome=outcome, finished_at=timezone.now()
    )
    if work_state:
        _set_state(item.work_id, work_state)
    pending = EnrichmentItem.objects.filter(batch=OuterRef("pk"), state=Item.PENDING)
    EnrichmentBatch.objects.filter(pk=item.batch_id, finished_at=None).exclude(Exists(pending)).update(
        state=EnrichmentBatch.State.FINISHED, finished_at=timezone.now()
    )


def _set_state(work_id: int, state: str) -> None:
    Work.objects.filter(pk=work_id).update(enrichment_state=state)
    indexing.refresh([work_id], text=False)


# Writing what Crossref said


def curator_fields(work: Work) -> set[str]:
    return set(work.field_origins.filter(source=FieldOrigin.Source.CURATOR).values_list("field", flat=True))


def fill_from_crossref(work: Work, message: dict, *, source_url: str) -> str:
    """Fill what the work lacks from a Crossref record; a curator's value is never touched."""
    record = read_record(message)
    origins = dict(work.field_origins.values_list("field", "source"))
    filled = [name for name, value in record.fields.items() if _fillable(work, name, value, origins)]
    for name in filled:
        setattr(work, name, record.fields[name])
    if origins.get("authors") != FieldOrigin.Source.CURATOR and _fill_authors(work, record):
        filled.append("authors")
    if work.declared_references is None and record.declared_references is not None:
        work.declared_references = record.declared_references
    work.crossref_json, work.enriched_at = message, timezone.now()
    work.enrichment_state = EnrichmentState.ENRICHED
    first = work.authors.first()
    work.refresh_match_keys(first.family if first else "")
    work.save()
    record_origins(work, filled, FieldOrigin.Source.CROSSREF, source_url)
    indexing.refresh([work.pk])
    return (
        f"Filled from Crossref: {', '.join(n.replace('_', ' ') for n in filled)}."
        if filled
        else ("Crossref had nothing this work lacks.")
    )


def _fillable(work: Work, name: str, value: object, origins: dict[str, str]) -> bool:
    if value in BLANK or origins.get(name) == FieldOrigin.Source.CURATOR or name == "doi":
        return False
    if name == TYPE_FIELD:
        return name not in origins and getattr(work, name) != value
    return getattr(work, name) in BLANK


def _fill_authors(work: Work, record: CrossrefRecord) -> bool:
    """Crossref's authors replace a missing or truncated list; otherwise they only add ORCIDs."""
    current = list(work.authors)
    if record.authors and (not current or work.authors_truncated or len(current) < len(record.authors)):
        work.replace_contributors(Contributor.Role.AUTHOR, record.authors)
        work.authors_truncated = False
        return True
    found = [
        (contributor, person)
        for contributor, person in zip(current, record.authors, strict=False)
        if person.orcid
        and not contributor.orcid
        and contributor.family.casefold() == person.family.casefold()
    ]
    for contributor, person in found:
        contributor.orcid = person.orcid
    Contributor.objects.bulk_update([contributor for contributor, _ in found], ["orcid"])
    return False


def record_origins(work: Work, fields: Iterable[str], source: str, detail: str) -> None:
    now = timezone.now()
    FieldOrigin.objects.bulk_create(
        [
            FieldOrigin(work=work, field=name, source=source, detail=detail, recorded_at=now)
            for name in fields
        ],
        update_conflicts=True,
        unique_fields=["work", "field"],
        update_fields=["source", "detail", "recorded_at"],
    )


def link_doi(work: Work, judgement: Judgement, *, method: str, user: AbstractBaseUser | None = None) -> str:
    """Give a DOI-less work the DOI Crossref matched; if another work has it already, merge into that one."""
    doi = judgement.doi
    holder = Work.objects.active().filter(doi=doi).exclude(pk=work.pk).first()
    if holder and _said_distinct(work.pk, holder.pk):
        _set_state(work.pk, EnrichmentState.UNMATCHED)
        return (
            f"No DOI linked: Crossref matched {doi}, which is work #{holder.pk}'s, and a curator said the two "
            "are not duplicates."
        )
    if holder:
        merge_works(duplicate=work, target=holder, user=user)
        work = Work.objects.select_for_update().get(pk=holder.pk)
    else:
        work.doi = doi
    Citation.objects.filter(cited_work=work, doi="").update(match_method=method, match_score=judgement.score)
    url = f"{settings.CROSSREF_BASE_URL}/works?query.bibliographic"
    filled = fill_from_crossref(work, judgement.item, source_url=url)
    record_origins(work, ["doi"], FieldOrigin.Source.CROSSREF, f"{method}, score {judgement.score:.2f}")
    return f"Linked to {doi} ({method}, score {judgement.score:.2f}). {filled}"


def _said_distinct(a: int, b: int) -> bool:
    """A curator said, in the duplicates queue, that these works are not duplicates: never merge them."""
    first, second = sorted((a, b))
    pair = DuplicateCandidate.objects.filter(first_id=first, second_id=second)
    return pair.filter(state=DuplicateCandidate.State.DISTINCT).exists()


def _rejected_before(work: Work, doi: str | None) -> bool:
    return work.match_candidates.filter(doi=doi or "", state=MatchCandidate.State.REJECTED).exists()


def _propose(work: Work, judgement: Judgement, query: str) -> None:
    MatchCandidate.objects.update_or_create(
        work=work,
        doi=judgement.doi,
        defaults={
            "query": query,
            "record": judgement.item,
            "score": judgement.score,
            "crossref_score": judgement.crossref_score,
            "reason": judgement.reason,
        },
    )
    _set_state(work.pk, EnrichmentState.REVIEW)


# Curators' review


class ReviewRefused(ValueError):
    """The candidate was decided already, or its work is gone."""


def accept_candidate(candidate: MatchCandidate, *, user: AbstractBaseUser) -> str:
    with transaction.atomic():
        candidate = _pending(candidate)
        work = Work.objects.select_for_update().get(pk=candidate.work_id)
        judgement = Judgement(
            outcome="link",
            doi=candidate.doi,
            score=candidate.score,
            crossref_score=candidate.crossref_score,
            item=candidate.record,
            reason=candidate.reason,
        )
        outcome = link_doi(work, judgement, method="crossref-review", user=user)
        _decide(candidate, MatchCandidate.State.ACCEPTED, user)
        work.match_candidates.filter(state=MatchCandidate.State.PENDING).exclude(pk=candidate.pk).update(
            state=MatchCandidate.State.REJECTED, decided_by=user, decided_at=timezone.now()
        )
        return outcome


def reject_candidate(candidate: MatchCandidate, *, user: AbstractBaseUser) -> None:
    with transaction.atomic():
        candidate = _pending(candidate)
        _decide(candidate, MatchCandidate.State.REJECTED, user)
        pending = MatchCandidate.objects.filter(work_id=candidate.work_id, state=MatchCandidate.State.PENDING)
        if not pending.exists():
            _set_state(candidate.work_id, EnrichmentState.UNMATCHED)


def _pending(candidate: MatchCandidate) -> MatchCandidate:
    locked = MatchCandidate.objects.select_for_update().filter(pk=candidate.pk).first()
    if locked is None or locked.state != MatchCandidate.State.PENDING:
        raise ReviewRefused("Another curator has decided this candidate already.")
    return locked


def _decide(candidate: MatchCandidate, state: str, user: AbstractBaseUser) -> None:
    candidate.state, candidate.decided_by, candidate.decided_at = state, user, timezone.now()
    candidate.save(update_fields=["state", "decided_by", "decided_at"])
