"""Services for curators' merges of duplicate works, and their undoing."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from .models import Citation, SearchHit, Work, WorkMerge
from .search import indexing

MERGE_FILLS = ("container_title", "volume", "issue", "pages", "publisher", "abstract")


# Sent inside the merge's (the undo's) transaction, before the WorkMerge is saved: apps that attach rows to
# works (curation's annotations) move them and note on the merge what undo needs.
works_merged = Signal()  # merge
merge_undone = Signal()  # merge, user


class MergeRefused(ValueError):
    """The merge or undo cannot be done; the message says why."""


def merge_works(*, duplicate: Work, target: Work, user: AbstractBaseUser | None) -> WorkMerge:
    """Fold the duplicate into the target: its citations move (and, through works_merged, whatever other
    apps attach to it), blanks are filled."""
    with transaction.atomic():
        duplicate, target = _locked(duplicate.pk), _locked(target.pk)
        if duplicate.pk == target.pk or duplicate.merged_into_id or target.merged_into_id:
            raise MergeRefused("Only two different works that are not merged already can be merged.")
        merge = WorkMerge(target=target, duplicate=duplicate, created_by=user)
        merge.moved_citation_ids = list(duplicate.cited_by.values_list("pk", flat=True))
        Citation.objects.filter(pk__in=merge.moved_citation_ids).update(cited_work=target)
        merge.moved_hits = _move_hits(duplicate, target)
        works_merged.send(sender=WorkMerge, merge=merge)
        merge.filled_fields = _fill_from(target, duplicate)
        merge.duplicate_doi, merge.duplicate_pmid = duplicate.doi, duplicate.pmid
        duplicate.merged_into, duplicate.doi, duplicate.pmid = target, "", ""
        duplicate.save(update_fields=["merged_into", "doi", "pmid", "updated_at"])
        _move_identifiers(target, merge)
        target.save(update_fields=[*merge.filled_fields, "updated_at"])
        merge.save()
        indexing.refresh([duplicate.pk, target.pk])
        return merge


def undo_merge(*, merge: WorkMerge, user: AbstractBaseUser | None = None) -> None:
    with transaction.atomic():
        merge = WorkMerge.objects.select_for_update().select_related("target", "duplicate").get(pk=merge.pk)
        if merge.undone_at:
            raise MergeRefused("This merge has already been undone.")
        target, duplicate = merge.target, merge.duplicate
        Citation.objects.filter(pk__in=merge.moved_citation_ids, cited_work=target).update(
            cited_work=duplicate
        )
        _return_hits(merge)
        merge_undone.send(sender=WorkMerge, merge=merge, user=user)
        for name, old_value in merge.filled_fields.items():
            setattr(target, name, old_value)
        target.save(update_fields=[*merge.filled_fields, "updated_at"])
        duplicate.merged_into, duplicate.doi, duplicate.pmid = None, merge.duplicate_doi, merge.duplicate_pmid
        duplicate.save(update_fields=["merged_into", "doi", "pmid", "updated_at"])
        merge.undone_at = timezone.now()
        merge.save(update_fields=["undone_at"])
        indexing.refresh([duplicate.pk, target.pk])


def _move_hits(duplicate: Work, target: Work) -> dict[str, list]:
    """The duplicate's searches now count the target, once per search."""
    hits = SearchHit.objects.filter(work=duplicate)
    found_both = SearchHit.objects.filter(work=target).values("search_id")
    dropped = list(
        hits.filter(search_id__in=found_both).values("search_id", "position", "outcome", "method", "score")
    )
    moved = list(hits.exclude(search_id__in=found_both).values_list("pk", flat=True))
    hits.filter(pk__in=moved).update(work=target)
    hits.exclude(pk__in=moved).delete()
    return {"moved": moved, "dropped": dropped}


def _return_hits(merge: WorkMerge) -> None:
    SearchHit.objects.filter(pk__in=merge.moved_hits.get("moved", [])).update(work=merge.duplicate)
    SearchHit.objects.bulk_create(
        [SearchHit(work=merge.duplicate, **values) for values in merge.moved_hits.get("dropped", [])],
        ignore_conflicts=True,
    )


def _locked(pk: int) -> Work:
    return Work.objects.select_for_update().get(pk=pk)


def _fill_from(target: Work, duplicate: Work) -> dict[str, object]:
    """Copy what the target lacks; returns the target's old values, for undo."""
    old_values = {}
    for name in (*MERGE_FILLS, "year"):
        if getattr(duplicate, name) and not getattr(target, name):
            old_values[name] = getattr(target, name)
            setattr(target, name, getattr(duplicate, name))
    return old_values


def _move_identifiers(target: Work, merge: WorkMerge) -> None:
    """The duplicate's DOI and PMID go to a target that lacks them (the duplicate gave them up first)."""
    for name, value in (("doi", merge.duplicate_doi), ("pmid", merge.duplicate_pmid)):
        if value and not getattr(target, name):
            merge.filled_fields[name] = ""
            setattr(target, name, value)
