"""Curators' writes: suggestions accepted or rejected, tags with quoted evidence, bulk tags, safe edits."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from simple_history.utils import bulk_create_with_history

from references.models import Work
from references.search import indexing

from .mentions import Mention, sentence_around
from .models import QUOTABLE_FIELDS, Annotation, Finding

State = Annotation.State


class TaggingRefused(ValueError):
    """The tag cannot be written as asked; the message says why, in a curator's words."""


class Conflict(Exception):
    """Someone changed the annotation since the curator loaded it; `current` is what it is now."""

    def __init__(self, current: Annotation) -> None:
        super().__init__("Another curator changed this annotation since you opened the page.")
        self.current = current


def field_text(work: Work, field: str) -> str:
    if field not in QUOTABLE_FIELDS:
        raise TaggingRefused("Evidence can be quoted from the title or the abstract only.")
    return getattr(work, field)


def locate_quote(text: str, quote: str, start: int | None) -> tuple[int, int]:
    """Where the quote is in the text: at the offsets given, or else its only occurrence."""
    quote = quote.strip()
    if not quote:
        raise TaggingRefused("Select the sentence that supports the finding.")
    if start is not None and text[start : start + len(quote)] == quote:
        return start, start + len(quote)
    found = text.find(quote)
    if found < 0:
        raise TaggingRefused("The quoted text does not occur in the work; select it again.")
    if text.find(quote, found + 1) >= 0 and start is None:
        raise TaggingRefused("The quoted text occurs more than once; select it in place.")
    return found, found + len(quote)


def accept_suggestion(
    *, work: Work, finding: Finding, mention: Mention, user: AbstractBaseUser
) -> Annotation:
    """The suggestion becomes a tag, with the sentence around the mention as its evidence (or the
    publication type as printed, or the keyword)."""
    if mention.field not in QUOTABLE_FIELDS:  # a publication type or a keyword: nothing to quote
        field = mention.field if mention.field in Annotation.Field.values else ""
        values = {"evidence": mention.text, "field": field}
        return _record(work, finding, user, expected=0, state=State.ACCEPTED, **values)
    text = field_text(work, mention.field)
    span = sentence_around(text, mention.start, mention.end)
    evidence = text[span[0] : span[1]]
    return _record(
        work,
        finding,
        user,
        expected=0,
        state=State.ACCEPTED,
        evidence=evidence,
        field=mention.field,
        span=span,
    )


def reject_suggestion(*, work: Work, finding: Finding, user: AbstractBaseUser) -> Annotation:
    """Rejected, and remembered: the suggestion does not come back."""
    return _record(work, finding, user, expected=0, state=State.REJECTED)


def tag_work(
    *,
    work: Work,
    finding: Finding,
    field: str,
    quote: str,
    start: int | None,
    note: str,
    user: AbstractBaseUser,
    expected: int = 0,
) -> Annotation:
    """Tag a work by hand, quoting the evidence from its title or abstract. `expected` is the version of the
    work's annotation for this finding the curator saw (0: none)."""
    text = field_text(work, field)
    span = locate_quote(text, quote, start)
    evidence = text[span[0] : span[1]]
    values = {"evidence": evidence, "field": field, "span": span, "note": note}
    return _record(work, finding, user, expected=expected, state=State.ACCEPTED, **values)


def _record(
    work: Work,
    finding: Finding,
    user: AbstractBaseUser,
    *,
    expected: int,
    state: str,
    evidence: str = "",
    field: str = "",
    span: tuple[int | None, int | None] = (None, None),
    note: str = "",
) -> Annotation:
    """Create the work's annotation for the finding, or change the one the curator saw (version `expected`).
    Anything else means another curator got there first: Conflict, showing their annotation."""
    values = {"state": state, "evidence": evidence, "evidence_field": field, "note": note}
    values["evidence_start"], values["evidence_end"] = span
    with transaction.atomic():
        annotation = Annotation.objects.select_for_update().filter(work=work, finding=finding).first()
        if (annotation.version if annotation else 0) != expected:
            raise Conflict(annotation)
        annotation = with_values(annotation, work=work, finding=finding, user=user, values=values)
        try:
            with transaction.atomic():
                annotation.save()
        except IntegrityError as clash:  # the other curator created it a moment ago
            raise Conflict(Annotation.objects.get(work=work, finding=finding)) from clash
    return annotation


def with_values(
    annotation: Annotation | None, *, work: Work, finding: Finding, user: AbstractBaseUser, values: dict
) -> Annotation:
    """The work's annotation of the finding with these values, unsaved: a new one, or the one given with its
    version raised; its history row will name the user."""
    if annotation is None:
        annotation = Annotation(work=work, finding=finding, created_by=user, **values)
    else:
        for name, value in values.items():
            setattr(annotation, name, value)
        annotation.version += 1
    annotation._history_user = user
    return annotation


def change_annotation(
    *,
    annotation_id: int,
    version: int,
    user: AbstractBaseUser,
    state: str | None = None,
    note: str | None = None,
) -> Annotation:
    """Change a tag's state or note, unless someone changed it since `version`: then Conflict."""
    with transaction.atomic():
        annotation = Annotation.objects.select_for_update().select_related("finding").get(pk=annotation_id)
        if annotation.version != version:
            raise Conflict(annotation)
        if state is not None:
            annotation.state = state
        if note is not None:
            annotation.note = note
        annotation.version += 1
        annotation._history_user = user
        annotation.save()
        return annotation


def bulk_tag(*, works: Iterable[Work], finding: Finding, user: AbstractBaseUser) -> int:
    """Tag every given work with the finding (without evidence); works tagged already are left as they are."""
    with transaction.atomic():
        pks = {work.pk for work in works}
        tagged = set(
            Annotation.objects.filter(work__in=pks, finding=finding).values_list("work_id", flat=True)
        )
        new = [
            Annotation(work_id=pk, finding=finding, state=State.ACCEPTED, created_by=user)
            for pk in sorted(pks - tagged)
        ]
        bulk_create_with_history(new, Annotation, default_user=user)
        indexing.refresh([annotation.work_id for annotation in new], text=False)  # no signals in bulk
        return len(new)


def history_records(work: Work, findings: Mapping[int, Finding]) -> list:
    """The history records of the work's annotations (one per version), oldest first, with who and what.
    Each record's finding is taken from `findings` (the vocabulary, by id), read already: joining the
    findings' table cost the work page more than the rest of the query."""
    records = (
        Annotation.history.filter(work_id=work.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    return with_findings(records, findings)


def with_findings(rows: Iterable, findings: Mapping[int, Finding]) -> list:
    """The rows (annotations or their history records), each given its finding from `findings`; a finding
    not there (made or deleted since they were read) is read on its own if ever asked for."""
    rows = list(rows)
    for row in rows:
        if row.finding_id in findings:
            row.finding = findings[row.finding_id]
    return rows


def history(work: Work, findings: Mapping[int, Finding]) -> list[dict]:
    """Every change to the work's annotations, newest first: who, when, what changed from what to what."""
    records = history_records(work, findings)
    previous: dict[int, object] = {}
    changes = []
    for record in records:
        before = previous.get(record.id)
        changed = (
            [
                (c.field, c.old, c.new)
                for c in record.diff_against(before, excluded_fields=["version"]).changes
            ]
            if before
            else []
        )
        changes.append({"record": record, "changes": changed, "kind": record.get_history_type_display()})
        previous[record.id] = record
    return list(reversed(changes))
