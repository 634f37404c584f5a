"""What a merge of two works does to their annotations, and how its undo puts them back.

references.merging knows nothing of annotations: it announces merges and undos (works_merged, merge_undone),
and these receivers, connected in CurationConfig.ready, move the tags within the same transaction. Every
change goes through save(), so the history and the version follow it."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser

from references.models import WorkMerge

from .models import Annotation

# What a folded annotation held before the merge, to put back on undo.
KEPT_FIELDS = ("state", "evidence", "evidence_field", "evidence_start", "evidence_end", "note")
# The state a pair of annotations of one finding folds into: accepted wins, then suggested.
_PRECEDENCE = (Annotation.State.ACCEPTED, Annotation.State.SUGGESTED, Annotation.State.REJECTED)


def move_annotations(sender: object, *, merge: WorkMerge, **kwargs) -> None:
    """The duplicate's annotations go to the target; one for a finding the target has already is folded into
    the target's (the accepted one kept, both evidences and notes), and stays on the merged-away work."""
    user = merge.created_by
    held = {a.finding_id: a for a in Annotation.objects.select_for_update().filter(work=merge.target)}
    for annotation in Annotation.objects.select_for_update().filter(work=merge.duplicate):
        if annotation.finding_id in held:
            merge.folded_annotations.append(_fold(annotation, into=held[annotation.finding_id], user=user))
        else:
            annotation.work = merge.target
            _save(annotation, user)
            merge.moved_annotation_ids.append(annotation.pk)


def return_annotations(sender: object, *, merge: WorkMerge, user: AbstractBaseUser | None, **kwargs) -> None:
    for annotation in Annotation.objects.filter(pk__in=merge.moved_annotation_ids, work=merge.target):
        annotation.work = merge.duplicate
        _save(annotation, user)
    for folded in merge.folded_annotations:
        annotation = Annotation.objects.filter(pk=folded["target"], work=merge.target).first()
        if annotation is not None:
            for name in KEPT_FIELDS:
                setattr(annotation, name, folded["before"][name])
            _save(annotation, user)


def _fold(duplicate: Annotation, *, into: Annotation, user: AbstractBaseUser | None) -> dict:
    before = {name: getattr(into, name) for name in KEPT_FIELDS}
    kept, other = (duplicate, into) if _rank(duplicate) < _rank(into) else (into, duplicate)
    notes = [into.note, duplicate.note]
    if other.evidence and other.evidence != kept.evidence:
        notes.append(f"Also evidence ({other.get_evidence_field_display() or 'text'}): “{other.evidence}”")
    for name in ("state", "evidence", "evidence_field", "evidence_start", "evidence_end"):
        setattr(into, name, getattr(kept, name))
    into.note = "\n\n".join(note for note in dict.fromkeys(notes) if note)
    _save(into, user)
    return {"target": into.pk, "duplicate": duplicate.pk, "before": before}


def _rank(annotation: Annotation) -> int:
    return _PRECEDENCE.index(annotation.state)


def _save(annotation: Annotation, user: AbstractBaseUser | None) -> None:
    annotation.version += 1
    annotation._history_user = user
    annotation.save()
