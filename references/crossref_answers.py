"""What Crossref said, written into works (fill what a work lacks, link a matched DOI), and curators'
review of the doubtful matches."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from .crossref.candidates import Judgement
from .crossref.metadata import CrossrefRecord, read_record
from .merging import merge_works
from .models import (
    Citation,
    Contributor,
    DuplicateCandidate,
    EnrichmentState,
    FieldOrigin,
    MatchCandidate,
    Work,
)
from .origins import Rule, fillable, record_origins
from .search import indexing

# Crossref never changes a work's DOI (it was found by it), and its word on the type replaces only a type
# nobody said: a page's or a curator's stays.
RULES: dict[str, Rule] = {
    "doi": lambda work, value, said: False,
    "work_type": lambda work, value, said: said is None and work.work_type != value,
}


def set_state(work_id: int, state: str) -> None:
    Work.objects.filter(pk=work_id).update(enrichment_state=state)
    indexing.refresh([work_id], text=False)


# Writing what Crossref said


def fill_from_crossref(work: Work, message: dict, *, source_url: str) -> str:
    """Fill what the work lacks from a Crossref record; a curator's value is never touched."""
    record = read_record(message)
    origins = dict(work.field_origins.values_list("field", "source"))
    filled = fillable(work, record.fields, origins, RULES)
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


def _fill_authors(work: Work, record: CrossrefRecord) -> bool:
    """Crossref's authors replace a missing or truncated list; otherwise they only add ORCIDs."""
    current = list(work.authors)
    if record.authors and (not current or work.authors_truncated or len(current) < len(record.authors)):
        work.replace_contributors(Contributor.Role.AUTHOR, record.authors)
        work.authors_truncated = False
        return True
    work.add_author_details(record.authors)
    return False


def link_doi(work: Work, judgement: Judgement, *, method: str, user: AbstractBaseUser | None = None) -> str:
    """Give a DOI-less work the DOI Crossref matched; if another work has it already, merge into that one."""
    doi = judgement.doi
    holder = Work.objects.active().filter(doi=doi).exclude(pk=work.pk).first()
    if holder and _said_distinct(work.pk, holder.pk):
        set_state(work.pk, EnrichmentState.UNMATCHED)
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


def rejected_before(work: Work, doi: str | None) -> bool:
    return work.match_candidates.filter(doi=doi or "", state=MatchCandidate.State.REJECTED).exists()


def propose_match(work: Work, judgement: Judgement, query: str) -> None:
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
    set_state(work.pk, EnrichmentState.REVIEW)


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
            set_state(candidate.work_id, EnrichmentState.UNMATCHED)


def _pending(candidate: MatchCandidate) -> MatchCandidate:
    locked = MatchCandidate.objects.select_for_update().filter(pk=candidate.pk).first()
    if locked is None or locked.state != MatchCandidate.State.PENDING:
        raise ReviewRefused("Another curator has decided this candidate already.")
    return locked


def _decide(candidate: MatchCandidate, state: str, user: AbstractBaseUser) -> None:
    candidate.state, candidate.decided_by, candidate.decided_at = state, user, timezone.now()
    candidate.save(update_fields=["state", "decided_by", "decided_at"])
