"""Independent double curation: each curator's decisions kept apart, compared once both finished a work, the
agreements settled, the disagreements resolved; settled outcomes become the work's tags (Annotations)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

from references.models import Work

from .agreement import Counts
from .models import Annotation, Finding
from .offers import Offer
from .queue_models import Decision, DoneMark, Queue, QueueItem, Resolution
from .services import with_values

ACCEPT, REJECT = Decision.Verdict.ACCEPT, Decision.Verdict.REJECT


class Refused(ValueError):
    """The decision cannot be recorded; the message says why, in a curator's words."""


def pair(queue: Queue) -> list[AbstractBaseUser]:
    """The queue's two curators, always in the same order (first and second in tables)."""
    return list(queue.curators.order_by("pk"))


def finished_by_both(item: QueueItem) -> bool:
    return item.done_marks.count() >= 2


def lock_counting_done(item: QueueItem) -> int:
    """Lock the item (its decisions, done marks and outcomes change one writer at a time) and count the
    curators done with it, in one query."""
    done = DoneMark.objects.filter(item=OuterRef("pk")).order_by().values("item").annotate(n=Count("pk"))
    locked = QueueItem.objects.select_for_update(of=("self",)).filter(pk=item.pk)
    return locked.annotate(done=Coalesce(Subquery(done.values("n")), 0)).values_list("done", flat=True)[0]


def decide(
    *, item: QueueItem, curator: AbstractBaseUser, offer: Offer, verdict: str, added: bool = False, note=""
) -> Decision:
    """Record or change the curator's decision on the offer's finding, until both curators finished."""
    values = {
        "verdict": verdict,
        "added": added,
        "evidence": offer.evidence if verdict == ACCEPT else "",
        "evidence_field": offer.field if verdict == ACCEPT and offer.field != "keywords" else "",
        "evidence_start": offer.start if verdict == ACCEPT else None,
        "evidence_end": offer.end if verdict == ACCEPT else None,
        "note": note,
    }
    with transaction.atomic():
        if lock_counting_done(item) >= 2:
            raise Refused("Both curators have finished this work; its decisions are with the resolver now.")
        decision = (
            Decision.objects.select_for_update()
            .filter(item=item, curator=curator, finding=offer.finding)
            .first()
        )
        if decision is None:
            decision = Decision(item=item, curator=curator, finding=offer.finding, **values)
        else:
            for name, value in values.items():
                setattr(decision, name, value)
            decision.version += 1
        decision._history_user = curator
        decision.save()
    return decision


def own_decisions(item: QueueItem, curator: AbstractBaseUser) -> list[Decision]:
    return list(item.decisions.filter(curator=curator).select_related("finding"))


def own_history(item: QueueItem, curator: AbstractBaseUser) -> list:
    """Every version of the curator's decisions on the work, newest first."""
    records = Decision.history.filter(item_id=item.pk, curator_id=curator.pk).select_related("finding")
    return list(records.order_by("-history_date", "-history_id"))


# --- Comparing and resolving -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """Both curators' decisions on one finding of a work, and its outcome once settled."""

    finding: Finding
    first: Decision | None
    second: Decision | None
    resolution: Resolution | None

    @staticmethod
    def says_yes(decision: Decision | None) -> bool:
        return decision is not None and decision.accepted

    @property
    def agreed(self) -> bool:
        return self.says_yes(self.first) == self.says_yes(self.second)

    @property
    def signature(self) -> str:
        """What the resolver saw of this row: each decision's version and the outcome."""
        seen = [f"{d.pk}.{d.version}" if d else "-" for d in (self.first, self.second)]
        outcome = self.resolution
        seen.append(f"{outcome.verdict}.{outcome.resolved_by_id}.{outcome.evidence}" if outcome else "-")
        return f"{self.finding.pk}:" + ",".join(seen)


@dataclass(frozen=True)
class Comparison:
    curators: list[AbstractBaseUser]
    rows: list[Row]

    @property
    def disagreements(self) -> list[Row]:
        return [row for row in self.rows if not row.agreed]

    @property
    def fingerprint(self) -> str:
        """Changes whenever a decision or an outcome does: a resolution is made against one fingerprint."""
        return hashlib.sha256("|".join(row.signature for row in self.rows).encode()).hexdigest()[:32]


def compare(item: QueueItem) -> Comparison:
    curators = pair(item.queue)
    ids = [curator.pk for curator in curators]
    decided: dict[int, list[Decision | None]] = {}
    findings: dict[int, Finding] = {}
    for decision in item.decisions.select_related("finding"):
        findings[decision.finding_id] = decision.finding
        decided.setdefault(decision.finding_id, [None, None])[ids.index(decision.curator_id)] = decision
    resolutions = {r.finding_id: r for r in item.resolutions.all()}
    ordered = sorted(findings.values(), key=lambda finding: finding.label.lower())
    rows = [Row(f, *decided[f.pk], resolutions.get(f.pk)) for f in ordered]
    return Comparison(curators, rows)


class Changed(Exception):
    """The decisions or outcomes changed since the resolver's page was shown; `comparison` is how they are."""

    def __init__(self, comparison: Comparison) -> None:
        super().__init__("The decisions changed since the page was shown.")
        self.comparison = comparison


def settle_agreements(*, item: QueueItem, user: AbstractBaseUser) -> int:
    """Once both finished: every finding they agree on is settled and tagged; the rest waits for the
    resolver."""
    with transaction.atomic():
        QueueItem.objects.select_for_update().filter(pk=item.pk).first()
        settled = [row for row in compare(item).rows if row.agreed and row.resolution is None]
        for row in settled:
            source = row.first if row.says_yes(row.first) else None
            _settle(item, row.finding, ACCEPT if source else REJECT, source, resolver=None, user=user)
    return len(settled)


def resolve(
    *, item: QueueItem, outcomes: dict[int, str], fingerprint: str, user: AbstractBaseUser
) -> Comparison:
    """Settle the findings given (finding id → "first" or "second": accepted with that curator's evidence,
    or "reject"), unless the comparison changed since `fingerprint` was shown: then Changed."""
    with transaction.atomic():
        if lock_counting_done(item) < 2:
            raise Refused("Both curators must finish the work before it is resolved.")
        comparison = compare(item)
        if comparison.fingerprint != fingerprint:
            raise Changed(comparison)
        for row in comparison.rows:
            choice = outcomes.get(row.finding.pk)
            if choice in ("first", "second"):
                source = row.first if choice == "first" else row.second
                _settle(item, row.finding, ACCEPT, source, resolver=user, user=user)
            elif choice == "reject":
                _settle(item, row.finding, REJECT, None, resolver=user, user=user)
    return compare(item)


def _settle(
    item: QueueItem,
    finding: Finding,
    verdict: str,
    source: Decision | None,
    *,
    resolver: AbstractBaseUser | None,
    user: AbstractBaseUser,
) -> None:
    resolution = Resolution.objects.filter(item=item, finding=finding).first() or Resolution(
        item=item, finding=finding
    )
    resolution.verdict, resolution.resolved_by = verdict, resolver
    resolution.evidence = source.evidence if source else ""
    resolution._history_user = user
    resolution.save()
    _tag(item.work, finding, verdict, source, user)


def _tag(work: Work, finding: Finding, verdict: str, source: Decision | None, user: AbstractBaseUser) -> None:
    """The settled outcome as the work's tag, replacing any earlier one (its history keeps that)."""
    values = {
        "state": Annotation.State.ACCEPTED if verdict == ACCEPT else Annotation.State.REJECTED,
        "evidence": source.evidence if source else "",
        "evidence_field": source.evidence_field if source else "",
        "evidence_start": source.evidence_start if source else None,
        "evidence_end": source.evidence_end if source else None,
        "note": source.note if source else "",
    }
    annotation = Annotation.objects.select_for_update().filter(work=work, finding=finding).first()
    with_values(annotation, work=work, finding=finding, user=user, values=values).save()


# --- Across a queue ----------------------------------------------------------------------------------------


def finished_items(queue: Queue) -> list[int]:
    """Ids of the queue's items both curators finished, in the queue's order (read from the done marks,
    not the items: a long queue is mostly not done)."""
    marks = DoneMark.objects.filter(queue=queue).values("item", "item__position").annotate(n=Count("pk"))
    both = marks.filter(n__gte=2).order_by("item__position")
    return [row["item"] for row in both]


def awaiting_resolution(queue: Queue) -> list[QueueItem]:
    """Finished works with a disagreement not yet resolved, in the queue's order."""
    finished = finished_items(queue)
    curators = [c.pk for c in pair(queue)]
    yes: dict[tuple[int, int], set[int]] = {}
    for item_id, curator_id, finding_id in Decision.objects.filter(
        item_id__in=finished, verdict=ACCEPT
    ).values_list("item_id", "curator_id", "finding_id"):
        yes.setdefault((item_id, finding_id), set()).add(curator_id)
    settled = set(Resolution.objects.filter(item_id__in=finished).values_list("item_id", "finding_id"))
    waiting = {key[0] for key, who in yes.items() if len(who) < len(curators) and key not in settled}
    items = QueueItem.objects.filter(pk__in=waiting).select_related("work").order_by("position")
    return list(items.only("pk", "position", "work__title", "work__id"))


@dataclass(frozen=True)
class Agreement:
    curators: list[AbstractBaseUser]
    works: int  # finished by both
    findings: list[tuple[Finding, Counts]]

    @property
    def overall(self) -> Counts:
        return sum((counts for _, counts in self.findings), Counts())


def agreement(queue: Queue) -> Agreement:
    """Per finding any curator decided on in works both finished: the two curators' yes/no table. A
    finding a curator did not decide on (or rejected) is their no."""
    curators = pair(queue)
    finished = finished_items(queue)
    decisions = Decision.objects.filter(item_id__in=finished).select_related("finding")
    yes = {(d.item_id, d.curator_id, d.finding_id) for d in decisions if d.accepted}
    findings = sorted({d.finding for d in decisions}, key=lambda finding: finding.label.lower())
    if len(curators) != 2:
        return Agreement(curators, len(finished), [])
    first, second = (c.pk for c in curators)
    tables = [
        (f, Counts.of(((i, first, f.pk) in yes, (i, second, f.pk) in yes) for i in finished))
        for f in findings
    ]
    return Agreement(curators, len(finished), tables)
