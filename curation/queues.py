"""Queues as work: made from a selection of the list page, extended by works that later fit it, walked in a
stable order, and marked done per curator. Who may see what is decided here too."""

from __future__ import annotations

import time
from collections.abc import Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import caches
from django.db import connection, transaction
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import QueryDict

from references.forms import WorkFilterForm
from references.search import indexing
from references.search.browse import Kept, cache_key, usable

from .queue_models import DoneMark, Queue, QueueItem

MAKE_PERMISSION = "curation.add_queue"
WORK_PERMISSION = "curation.work_queue"


class QueueRefused(ValueError):
    """The queue cannot be made as asked; the message says why."""


def selection(query: str) -> QuerySet:
    """The index rows of the works the list page shows for this query string, in its order."""
    form = WorkFilterForm(QueryDict(query))
    if not form.is_valid():
        raise QueueRefused("The selection is not one the list page understands: " + form.errors.as_text())
    return form.selection()


# The selection numbered in its own order (a window over the ordered rows, before anything can reorder
# them), less the works the queue has, appended after its last position.
_EXTEND = """
    INSERT INTO curation_queueitem (queue_id, work_id, position)
    SELECT %s, numbered.pk, %s + row_number() OVER (ORDER BY numbered.n)
    FROM (SELECT chosen.pk, row_number() OVER () AS n FROM ({chosen}) chosen) numbered
    WHERE NOT EXISTS (SELECT 1 FROM curation_queueitem had WHERE had.queue_id = %s AND had.work_id = numbered.pk)
"""


def queue_create(
    *,
    name: str,
    selection: str,
    mode: str,
    curators: Sequence[AbstractBaseUser],
    resolver: AbstractBaseUser | None,
    user: AbstractBaseUser,
) -> Queue:
    if mode == Queue.Mode.INDEPENDENT and len(curators) != 2:
        raise QueueRefused("Independent curation takes exactly two curators.")
    if mode == Queue.Mode.SINGLE and len(curators) != 1:
        raise QueueRefused("A single-curator queue takes one curator.")
    with transaction.atomic():
        queue = Queue.objects.create(
            name=name, selection=selection, mode=mode, resolver=resolver, created_by=user
        )
        queue.curators.set(curators)
        queue_extend(queue=queue)
    return queue


def queue_extend(*, queue: Queue) -> int:
    """Works that fit the selection and are not in the queue yet join its end, in the list's order; in
    the database, so a selection of the whole library costs no round trip per work."""
    chosen, params = selection(queue.selection).values("pk").query.sql_with_params()
    with transaction.atomic():
        Queue.objects.select_for_update().filter(pk=queue.pk).first()  # one extension at a time
        last = queue.items.aggregate(last=Max("position"))["last"] or 0
        with connection.cursor() as cursor:
            cursor.execute(_EXTEND.format(chosen=chosen), [queue.pk, last, *params, queue.pk])
            added = cursor.rowcount
        queue.size = queue.items.count()
        queue.save(update_fields=["size"])
    return added


def queue_refresh(*, queue: Queue) -> int:
    """queue_extend, when the library's index changed since the queue was last extended (a page may call
    it on every view): at once after a change from a request or a command, but at most once per
    stale_seconds() while only workers change it (an enrichment's thousands of commits), as the list page's
    counts are kept (references.search.browse); nothing when its selection no longer reads."""
    key = cache_key(f"queue-extended:{queue.pk}")
    generation, changes = indexing.state()
    if usable(caches["facets"].get(key), generation, changes):
        return 0
    made = time.time()
    try:
        added = queue_extend(queue=queue)
    except QueueRefused:  # its selection names a finding since deleted: the queue keeps the works it has
        return 0
    caches["facets"].set(key, Kept(None, generation, changes, made), timeout=None)
    return added


# --- Access ------------------------------------------------------------------------------------------------


def may_make(user: AbstractBaseUser) -> bool:
    return user.has_perm(MAKE_PERMISSION)


def may_resolve(user: AbstractBaseUser, queue: Queue) -> bool:
    return queue.independent and (may_make(user) or queue.resolver_id == user.pk)


def visible_queues(user: AbstractBaseUser) -> QuerySet[Queue]:
    """Admins see every queue; others the queues they work or resolve."""
    queues = Queue.objects.all()
    if not may_make(user):
        queues = queues.filter(Q(curators=user) | Q(resolver=user)).distinct()
    return queues


def works_on(user: AbstractBaseUser, queue: Queue) -> bool:
    return queue.curators.filter(pk=user.pk).exists()


def curator_items(user: AbstractBaseUser) -> QuerySet[QueueItem]:
    """Items of the queues the user is assigned to: all a curator may open or post to."""
    return QueueItem.objects.filter(queue__curators=user)


# --- Walking a queue ---------------------------------------------------------------------------------------


def progress(queues: QuerySet[Queue], user: AbstractBaseUser) -> QuerySet[Queue]:
    """Each queue with `done`: how many of its works the user is done with (its size is `size`)."""
    mine = DoneMark.objects.filter(queue=OuterRef("pk"), curator=user).order_by()
    counted = mine.values("curator").annotate(n=Count("pk")).values("n")
    return queues.annotate(done=Coalesce(Subquery(counted), 0))


def done_count(queue: Queue, user: AbstractBaseUser) -> int:
    return DoneMark.objects.filter(queue=queue, curator=user).count()


def curator_progress(queue: Queue) -> list[tuple[AbstractBaseUser, int]]:
    """Each curator of the queue with how many works they are done with (for admins' eyes)."""
    done = dict(
        DoneMark.objects.filter(queue=queue).values_list("curator").annotate(n=Count("pk")).order_by()
    )
    return [(curator, done.get(curator.pk, 0)) for curator in queue.curators.order_by("pk")]


def next_item(queue: Queue, user: AbstractBaseUser, after: int = 0) -> QueueItem | None:
    """The first work after `after` the user has not said they are done with (else from the start)."""
    done = DoneMark.objects.filter(item=OuterRef("pk"), curator=user)
    waiting = queue.items.filter(~Exists(done)).order_by("position")
    return waiting.filter(position__gt=after).first() or (waiting.first() if after else None)


def neighbours(item: QueueItem) -> tuple[int | None, int | None]:
    """The ids of the items before and after this one, in one query."""
    items = QueueItem.objects.filter(queue_id=item.queue_id).values("pk")
    before = items.filter(position__lt=item.position).order_by("-position")[:1]
    after = items.filter(position__gt=item.position).order_by("position")[:1]
    both = QueueItem.objects.filter(pk=item.pk).annotate(before=Subquery(before), after=Subquery(after))
    return both.values_list("before", "after").get()


def done_counts(item: QueueItem, user: AbstractBaseUser) -> tuple[int, bool]:
    """How many works of the item's queue the user is done with, and whether this is one, in one query."""
    marks = DoneMark.objects.filter(queue_id=item.queue_id, curator=user)
    counted = marks.aggregate(n=Count("pk"), here=Count("pk", filter=Q(item_id=item.pk)))
    return counted["n"], bool(counted["here"])


def mark_done(*, item: QueueItem, user: AbstractBaseUser) -> bool:
    """Done for this curator; True when it made every curator of the queue done with the work."""
    with transaction.atomic():
        QueueItem.objects.select_for_update().filter(pk=item.pk).first()  # the last to finish is one
        DoneMark.objects.get_or_create(item=item, curator=user, defaults={"queue_id": item.queue_id})
        done = item.done_marks.count()
    return done >= item.queue.curators.count()
