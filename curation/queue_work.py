"""A curator's work on one queue item: what the reading view shows them, and recording what they decide, as
tags (a single curator's queue) or as their own decisions (an independent queue)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser

from . import double, services
from .mentions import Mention
from .models import QUOTABLE_FIELDS, Annotation, Finding
from .offers import Offer, best_mentions, categories, coloured, mentions, offer_at, offer_for, offers
from .queue_models import Decision, QueueItem
from .queues import done_counts, neighbours
from .reading import Vocabulary, annotations_of

ACCEPT, REJECT = Decision.Verdict.ACCEPT, Decision.Verdict.REJECT


class Refused(ValueError):
    """Nothing was recorded; the message says why."""


def item_view(item: QueueItem, user: AbstractBaseUser, *, offer: dict | None = None) -> dict:
    """Everything the queue's reading view shows, in a constant number of queries."""
    vocabulary = Vocabulary.load()
    work, found = item.work, mentions(item.work, vocabulary)
    before, after = neighbours(item)
    done, here = done_counts(item, user)
    base = item.get_absolute_url()
    return {
        **panel_view(item, user, vocabulary, found),
        "highlighted": {
            f: coloured(getattr(work, f), found[f], vocabulary, base) for f in ("title", "abstract")
        },
        "offered": _clicked(work, vocabulary, offer),
        "done": here,
        "previous": before,
        "following": after,
        "progress": {"done": done, "total": item.queue.size},
        "legend": categories(),
    }


def panel_view(
    item: QueueItem, user: AbstractBaseUser, vocabulary: Vocabulary | None = None, found: dict | None = None
) -> dict:
    """What the findings panel shows: the user's decisions (the work's tags, alone) with their history,
    and the suggestions left."""
    vocabulary = vocabulary or Vocabulary.load()
    work, queue = item.work, item.queue
    if queue.independent:
        decided = double.own_decisions(item, user)
        labels = [decision.finding.label for decision in decided]
        changes = double.own_history(item, user)
    else:
        tags = annotations_of(work, vocabulary)
        decided = [tag for tag in tags if tag.state == Annotation.State.ACCEPTED]
        labels = [tag.finding.label for tag in tags]
        changes = services.history_records(work, vocabulary.by_id)[::-1]  # the panel shows the records alone
    return {
        "item": item,
        "queue": queue,
        "work": work,
        "decided": decided,
        "history": changes,
        "offers": offers(work, vocabulary, labels, found),
        "finding_labels": list(vocabulary.findings),
    }


def _clicked(work, vocabulary: Vocabulary, offer: dict | None) -> Offer | None:
    """A clicked mention: its finding with its sentence, for the add form."""
    if not offer:
        return None
    finding = vocabulary.findings.get(offer.get("offer", ""))
    at = offer.get("at", "")
    if finding is None or not at.isdigit():
        return None
    return offer_at(work, finding, offer.get("field", ""), int(at))


def record(*, item: QueueItem, user: AbstractBaseUser, data: dict) -> str:
    """Record the curator's decision (DecisionForm's cleaned data); returns what to tell them."""
    if data["verdict"] == "accept-all":
        return _accept_all(item, user)
    finding: Finding = data["finding"]
    offer = _evidence(item, finding, data) if data["verdict"] == ACCEPT else Offer(finding, "", "")
    added = bool(data.get("quote"))
    if item.queue.independent:
        try:
            double.decide(
                item=item, curator=user, offer=offer, verdict=data["verdict"], added=added, note=data["note"]
            )
        except double.Refused as refusal:
            raise Refused(str(refusal)) from refusal
    else:
        _tag(item, user, offer, data["verdict"], data["note"])
    return f"{finding}: {'accepted' if data['verdict'] == ACCEPT else 'rejected'}."


def _evidence(item: QueueItem, finding: Finding, data: dict) -> Offer:
    work = item.work
    if data.get("quote"):
        try:
            field = data.get("field") or "abstract"
            start, end = services.locate_quote(services.field_text(work, field), data["quote"], data["start"])
        except services.TaggingRefused as refusal:
            raise Refused(str(refusal)) from refusal
        return Offer(finding, field, getattr(work, field)[start:end], start, end)
    mention = best_mentions(work, Vocabulary.load()).get(finding.label)
    if mention is None:
        raise Refused(f"The work does not name {finding}: quote the sentence that supports it.")
    return offer_for(work, mention, finding)


def _accept_all(item: QueueItem, user: AbstractBaseUser) -> str:
    data = {"verdict": ACCEPT, "note": "", "quote": ""}
    view = panel_view(item, user)
    for offer in view["offers"]:
        record(item=item, user=user, data={**data, "finding": offer.finding})
    return f"Accepted {len(view['offers'])} suggestion{'s' if len(view['offers']) != 1 else ''}."


def _tag(item: QueueItem, user: AbstractBaseUser, offer: Offer, verdict: str, note: str) -> None:
    """A single curator's decision is the work's tag, written as the tagging panel writes it."""
    work, finding = item.work, offer.finding
    current = Annotation.objects.filter(work=work, finding=finding).first()
    try:
        if verdict == REJECT and current:
            services.change_annotation(
                annotation_id=current.pk, version=current.version, user=user, state=Annotation.State.REJECTED
            )
        elif verdict == REJECT:
            services.reject_suggestion(work=work, finding=finding, user=user)
        elif offer.field in QUOTABLE_FIELDS:
            services.tag_work(
                work=work,
                finding=finding,
                field=offer.field,
                quote=offer.evidence,
                start=offer.start,
                note=note,
                user=user,
                expected=current.version if current else 0,
            )
        else:
            mention = Mention(finding.label, offer.field, 0, len(offer.evidence), offer.evidence)
            services.accept_suggestion(work=work, finding=finding, mention=mention, user=user)
    except services.Conflict as conflict:
        raise Refused(
            "Another curator changed this tag a moment ago; look at it and try again."
        ) from conflict
