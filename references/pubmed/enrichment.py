"""Enrichment from PubMed: a client with the configured limits, and filling a work from its PubMed record.

A work with a PMID is fetched by it; a work with a DOI finds its PMID through esearch's [doi] field first.
Only what a work lacks is filled, every filled field's origin is recorded as PubMed's, and a curator's
value is never touched (as with Crossref: see references.crossref_answers.fill_from_crossref).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache

import httpx2
import redis
from django.conf import settings
from django.db import transaction

from references.crossref.client import Attempt, RetryPolicy
from references.crossref.throttle import Limits, Throttle
from references.models import Contributor, FieldOrigin, Work
from references.origins import Rule, fillable, record_origins
from references.people import Name
from references.pipeline.records import work_values
from references.refparse.records import ParsedReference
from references.search import indexing
from references.worktypes import JOURNAL_ARTICLE

from .client import Identity, PubMedClient, PubMedError
from .groups import DOI, BatchRecords, GroupStore, key_for, split_key

# Identifiers are unique among works: one another work holds already is a duplicate, not ours to take.
IDENTIFIERS = ("doi", "pmid", "pmcid")


@cache
def _redis(url: str) -> redis.Redis:
    return redis.Redis.from_url(url)


@cache
def _http(timeout: float) -> httpx2.Client:
    """One connection pool per process, kept alive between requests."""
    return httpx2.Client(timeout=timeout, headers={"User-Agent": f"{settings.NCBI_TOOL} (httpx2)"})


def ncbi_throttle() -> Throttle:
    """NCBI's per-second limit, shared by every process through Redis under its own key prefix."""
    limits = Limits(rate=settings.NCBI_RATE, concurrency=settings.NCBI_CONCURRENCY)
    return Throttle(
        _redis(settings.REDIS_URL),
        f"{settings.NCBI_REDIS_PREFIX}:throttle",
        limits,
        lease_seconds=settings.NCBI_TIMEOUT + 5,
        margin=settings.NCBI_RATE_MARGIN,
    )


def pubmed_client(*, on_attempt: Callable[[Attempt], None] | None = None) -> PubMedClient:
    return PubMedClient(
        _http(settings.NCBI_TIMEOUT),
        ncbi_throttle(),
        Identity(settings.NCBI_TOOL, settings.NCBI_EMAIL, settings.NCBI_API_KEY),
        base_url=settings.NCBI_BASE_URL,
        retry=RetryPolicy(
            max_tries=settings.NCBI_MAX_TRIES,
            backoff=settings.NCBI_BACKOFF_SECONDS,
            backoff_cap=settings.NCBI_BACKOFF_CAP_SECONDS,
        ),
        pause_seconds=settings.NCBI_PAUSE_SECONDS,
        on_attempt=on_attempt,
    )


def group_store(batch_id: int) -> GroupStore:
    """Where a batch's PubMed groups are planned, claimed and kept, shared by every process."""
    return GroupStore(
        _redis(settings.REDIS_URL),
        settings.NCBI_REDIS_PREFIX,
        batch_id,
        lease_seconds=settings.NCBI_TIMEOUT + 5,
    )


def plan_groups(batch_id: int, work_ids: Iterable[int], *, new: bool) -> None:
    """Split these works' PMIDs and DOIs into the batch's groups, in the order the batch's items run; a new
    batch first clears what an earlier database's batch of the same number may have left."""
    if not settings.NCBI_ENRICH:
        return
    if new:
        forget_groups(batch_id)
    ids = list(work_ids)
    found = {
        pk: (pmid, doi) for pk, pmid, doi in Work.objects.filter(pk__in=ids).values_list("pk", "pmid", "doi")
    }
    keys = [key for pk in ids if pk in found and (key := key_for(*found[pk]))]
    group_store(batch_id).plan(keys, settings.NCBI_GROUP_SIZE)


def forget_groups(batch_id: int) -> None:
    group_store(batch_id).forget()


def batch_records(batch_id: int, *, on_attempt: Callable[[Attempt], None] | None = None) -> BatchRecords:
    """The batch's records as its works ask for them, fetched a group at a time and several groups at once."""
    return BatchRecords(
        group_store(batch_id),
        pubmed_client(),
        in_flight=settings.NCBI_CONCURRENCY,
        ahead=settings.NCBI_GROUPS_AHEAD,
        on_attempt=on_attempt,
    )


def record_url(pmid: str) -> str:
    return f"{settings.NCBI_BASE_URL.rstrip('/')}/efetch.fcgi?db=pubmed&id={pmid}"


def wants_pubmed(work: Work) -> bool:
    return bool(settings.NCBI_ENRICH and (work.pmid or work.doi))


def enrich_from_pubmed(work_id: int, records: BatchRecords) -> str:
    """Look the work up in PubMed through its batch's groups and fill it; the outcome in words. Raises
    PubMedError when NCBI failed."""
    work = Work.objects.get(pk=work_id)
    key = key_for(work.pmid, work.doi)
    if key is None:
        return "Nothing to look up in PubMed (no PMID or DOI)."
    record = records.record(key)
    if record is None:
        filled = None
    else:
        with transaction.atomic():
            work = Work.objects.select_for_update().get(pk=work_id)
            filled = fill_from_pubmed(work, record, source_url=record_url(record.pmid))
    records.used(key)
    if filled is None:
        return (
            "PubMed does not index this DOI."
            if split_key(key)[0] == DOI
            else f"PubMed has no record of PMID {work.pmid}."
        )
    return (
        f"Filled from PubMed: {', '.join(n.replace('_', ' ') for n in filled)}."
        if filled
        else "PubMed had nothing this work lacks."
    )


def fill_from_pubmed(work: Work, record: ParsedReference, *, source_url: str) -> list[str]:
    """Fill what the work lacks from its PubMed record; returns the fields filled. Never a curator's field."""
    values = work_values(record)
    origins = dict(work.field_origins.values_list("field", "source"))
    filled = fillable(work, values, origins, RULES)
    filled = [
        name for name in filled if name not in IDENTIFIERS or not _held_elsewhere(work, name, values[name])
    ]
    for name in filled:
        setattr(work, name, values[name])
    if origins.get("authors") != FieldOrigin.Source.CURATOR and _fill_authors(work, record.authors):
        filled.append("authors")
    if filled:
        first = work.authors.first()
        work.refresh_match_keys(first.family if first else "")
        work.save()
        record_origins(work, filled, FieldOrigin.Source.PUBMED, source_url)
        indexing.refresh([work.pk])
    return filled


def _placeholder_title(work: Work, value: object, said: str | None) -> bool:
    """A work always has a title; PubMed's replaces only a placeholder: a work known only by an identifier
    carries that identifier, or nothing, as its title."""
    title = work.title.strip()
    return not title or title in (work.pmid, f"PMID {work.pmid}", f"PMID: {work.pmid}", work.doi)


def _better_type(work: Work, value: object, said: str | None) -> bool:
    """PubMed's publication types say more than a default or Crossref's "journal-article" (a review, a case
    report); a page's or a curator's type stays."""
    return (
        value != JOURNAL_ARTICLE and said in (None, FieldOrigin.Source.CROSSREF) and work.work_type != value
    )


RULES: dict[str, Rule] = {"title": _placeholder_title, "work_type": _better_type}


def _held_elsewhere(work: Work, name: str, value: object) -> bool:
    return Work.objects.active().filter(**{name: value}).exclude(pk=work.pk).exists()


def _fill_authors(work: Work, people: list[Name]) -> bool:
    """PubMed's authors replace a list that is missing, truncated, shorter, or initials where PubMed has
    full given names; otherwise they only add ORCIDs and affiliations."""
    current = list(work.authors)
    if people and (
        not current or work.authors_truncated or len(current) < len(people) or _fuller(current, people)
    ):
        work.replace_contributors(Contributor.Role.AUTHOR, people)
        work.authors_truncated = False
        return True
    work.add_author_details(people)
    return False


def _fuller(current: list[Contributor], people: list[Name]) -> bool:
    """The same people in the same order, and PubMed gives a full given name where ours has initials."""
    if len(current) != len(people):
        return False
    same = all(c.family.casefold() == p.family.casefold() for c, p in zip(current, people, strict=True))
    return same and any(
        _initials(c.given) and not _initials(p.given) for c, p in zip(current, people, strict=True)
    )


def _initials(given: str) -> bool:
    return all(len(part.strip(".")) <= 1 for part in given.replace(".", ". ").split())


__all__ = [
    "PubMedError",
    "batch_records",
    "enrich_from_pubmed",
    "fill_from_pubmed",
    "forget_groups",
    "plan_groups",
    "pubmed_client",
    "wants_pubmed",
]
