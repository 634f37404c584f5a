"""The curators' duplicates queue: two works side by side, then "merge" (choosing per field) or "not
duplicates", which is remembered so the pair is never proposed again."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Count, F, Max, Q, QuerySet
from django.utils import timezone

from .matching import family_key, title_key
from .merging import merge_works
from .models import Contributor, DuplicateCandidate, FieldOrigin, Work, WorkMerge
from .origins import record_origins
from .search import indexing

FIRST, SECOND = "first", "second"
ABSTRACT_START = 300

State = DuplicateCandidate.State


class DecisionRefused(ValueError):
    """The pair was decided already, or one of its works is gone; the message says why."""


def pending() -> QuerySet[DuplicateCandidate]:
    """Pairs awaiting a curator, highest score first; a pair one of whose works was merged meanwhile is not
    for a curator to decide any more."""
    return (
        DuplicateCandidate.objects.filter(state=State.PENDING)
        .filter(first__merged_into__isnull=True, second__merged_into__isnull=True)
        .select_related("first", "second", "found_by")
        .order_by("-score", "pk")
    )


def following(candidate: DuplicateCandidate) -> DuplicateCandidate | None:
    """The pending pair after this one in the queue's order, else the first pending one but this."""
    later = Q(score__lt=candidate.score) | Q(score=candidate.score, pk__gt=candidate.pk)
    others = pending().exclude(pk=candidate.pk)
    return others.filter(later).first() or others.first()


# Comparing the two works


def _authors(work: Work) -> list[str]:
    return [person.printed or str(person) for person in work.authors]


@dataclass(frozen=True)
class Field:
    name: str  # the Work's field, or "authors"
    label: str
    value: Callable[[Work], object] | None = None

    def of(self, work: Work) -> object:
        return self.value(work) if self.value else getattr(work, self.name)


FIELDS = (
    Field("title", "Title"),
    Field("authors", "Authors", _authors),
    Field("container_title", "Journal"),
    Field("year", "Year"),
    Field("volume", "Volume"),
    Field("issue", "Issue"),
    Field("pages", "Pages"),
    Field("doi", "DOI"),
    Field("pmid", "PMID"),
    Field("pmcid", "PMCID"),
    Field("abstract", "Abstract"),
    Field("publication_types", "Publication types"),
)


def fullness(value: object) -> int:
    """How much a value says: its length, a year 1; the fuller value is the default choice."""
    if value is None:
        return 0
    if isinstance(value, (str, list)):
        return len(value.strip()) if isinstance(value, str) else len(value)
    return 1


def shown(name: str, value: object) -> str:
    """A value as the comparison prints it: lists joined, the abstract's start."""
    if value in (None, "", []):
        return ""
    if isinstance(value, list):
        return "; ".join(value)
    text = str(value)
    return text[:ABSTRACT_START].rstrip() + "…" if name == "abstract" and len(text) > ABSTRACT_START else text


@dataclass(frozen=True)
class Row:
    field: Field
    first: object
    second: object

    @property
    def differs(self) -> bool:
        return self.first != self.second

    @property
    def shown(self) -> tuple[str, str]:
        return shown(self.field.name, self.first), shown(self.field.name, self.second)

    @property
    def default(self) -> str:
        return SECOND if fullness(self.second) > fullness(self.first) else FIRST


@dataclass(frozen=True)
class Side:
    work: Work
    searches: list[str]
    cited_by: int


@dataclass(frozen=True)
class Comparison:
    candidate: DuplicateCandidate
    first: Side
    second: Side
    rows: list[Row]

    @property
    def differing(self) -> list[Row]:
        return [row for row in self.rows if row.differs]

    @property
    def open(self) -> bool:
        """Still for a curator to decide: pending, and neither work merged meanwhile."""
        works = (self.first.work, self.second.work)
        return self.candidate.state == State.PENDING and not any(work.merged_into_id for work in works)

    def defaults(self) -> dict[str, str]:
        return {row.field.name: row.default for row in self.differing}


def compare(candidate: DuplicateCandidate) -> Comparison:
    first, second = _side(candidate.first_id), _side(candidate.second_id)
    rows = [Row(field, field.of(first.work), field.of(second.work)) for field in FIELDS]
    return Comparison(candidate, first, second, rows)


def _side(pk: int) -> Side:
    work = Work.objects.annotate(cited_by_count=Count("cited_by")).get(pk=pk)
    searches = list(work.searches.order_by("pk").values_list("label", flat=True))
    return Side(work, searches, work.cited_by_count)


# Deciding


def mark_distinct(*, candidate: DuplicateCandidate, user: AbstractBaseUser) -> DuplicateCandidate:
    """Not duplicates: remembered, so the pair is never proposed again."""
    with transaction.atomic():
        candidate = _pending(candidate)
        _decide(candidate, State.DISTINCT, user)
    return candidate


def merge_candidate(
    *, candidate: DuplicateCandidate, keep: str, choices: dict[str, str], user: AbstractBaseUser
) -> WorkMerge:
    """Merge the pair into the work kept (FIRST or SECOND), which gets, for each field named in `choices`,
    the value of the work chosen there; every choice is recorded as the curator's. Undoable."""
    with transaction.atomic():
        candidate = _pending(candidate)
        kept, other = (
            (candidate.first, candidate.second) if keep == FIRST else (candidate.second, candidate.first)
        )
        chosen = {FIRST: candidate.first, SECOND: candidate.second}
        values = {name: getattr(chosen[side], name) for name, side in choices.items() if name != "authors"}
        authors_from_other = chosen[choices.get("authors", keep)].pk == other.pk
        merge = merge_works(duplicate=other, target=kept, user=user)
        kept.refresh_from_db()
        _apply_choices(merge, kept, values)
        if authors_from_other:
            _take_authors(merge, kept, other)
        kept.save(update_fields=[*merge.filled_fields, "updated_at"])
        merge.save(update_fields=["filled_fields"])
        record_origins(kept, choices, FieldOrigin.Source.CURATOR, user.get_username())
        _decide(candidate, State.MERGED, user)
        indexing.refresh([kept.pk, other.pk])
    return merge


def _apply_choices(merge: WorkMerge, kept: Work, values: dict[str, object]) -> None:
    """Set the chosen values, noting each field's value before the merge for undo (merge_works noted the
    ones it filled)."""
    for name, value in values.items():
        if getattr(kept, name) != value:
            merge.filled_fields.setdefault(name, getattr(kept, name))
            setattr(kept, name, value)
    if "title" in values:
        merge.filled_fields.setdefault("title_key", kept.title_key)
        kept.title_key = title_key(kept.title)


def _take_authors(merge: WorkMerge, kept: Work, other: Work) -> None:
    """The two works swap authors, so the merged-away work keeps the kept one's for undo. The old
    first_author_key in filled_fields is what tells undo (reopen_pair) to swap them back."""
    _swap_authors(kept.pk, other.pk)
    merge.filled_fields.setdefault("first_author_key", kept.first_author_key)
    first = kept.authors.first()
    kept.first_author_key = family_key(first.family) if first else ""


def _swap_authors(a: int, b: int) -> None:
    """Positions are unique per work and checked row by row, so b's authors wait past every position in use
    while a's move over."""
    authors = Contributor.objects.filter(role=Contributor.Role.AUTHOR)
    of_a = list(authors.filter(work_id=a).values_list("pk", flat=True))
    of_b = list(authors.filter(work_id=b).values_list("pk", flat=True))
    offset = authors.filter(work_id__in=(a, b)).aggregate(top=Max("position"))["top"] or 0
    authors.filter(pk__in=of_b).update(work_id=a, position=F("position") + offset)
    authors.filter(pk__in=of_a).update(work_id=b)
    authors.filter(pk__in=of_b).update(position=F("position") - offset)


def _pending(candidate: DuplicateCandidate) -> DuplicateCandidate:
    locked = (
        DuplicateCandidate.objects.select_for_update(of=("self",))
        .select_related("first", "second")
        .filter(pk=candidate.pk)
        .first()
    )
    if locked is None or locked.state != State.PENDING:
        raise DecisionRefused("Another curator has decided this pair already.")
    return locked


def _decide(candidate: DuplicateCandidate, state: str, user: AbstractBaseUser) -> None:
    candidate.state, candidate.decided_by, candidate.decided_at = state, user, timezone.now()
    candidate.save(update_fields=["state", "decided_by", "decided_at"])


def reopen_pair(sender: object, *, merge: WorkMerge, **kwargs: object) -> None:
    """On undo of a merge made in the queue, the pair waits for a curator again (connected to
    merging.merge_undone in apps.py); authors the merge swapped are swapped back."""
    first, second = sorted((merge.target_id, merge.duplicate_id))
    pair = Q(first_id=first, second_id=second, state=State.MERGED)
    if "first_author_key" in merge.filled_fields:
        _swap_authors(merge.target_id, merge.duplicate_id)
    DuplicateCandidate.objects.filter(pair).update(state=State.PENDING, decided_by=None, decided_at=None)
