"""Queues as work: made from a selection of the list page, extended by works that later fit it, walked in a
stable order, and marked done per curator. Who may see what is decided here too."""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet
from django.http import QueryDict

from references.forms import WorkFilterForm

from .queue_models import DoneMark, Queue, QueueItem

MAKE_PERMISSION = "curation.add_queue"
WORK_PERMISSION = "curation.work_queue"


class QueueRefused(ValueError):
    """The queue cannot be made as asked; the message says why."""


def selected_work_ids(selection: str) -> list[int]:
    """The works the list page shows for this query string, in its order."""
    form = WorkFilterForm(QueryDict(selection))
    if not form.is_valid():
        raise QueueRefused("The selection is not one the list page understands: " + form.errors.as_text())
    return list(form.selection().values_list("pk", flat=True))


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
    """Works that fit the selection and are not in the queue yet join its end, in the list's order."""
    wanted = selected_work_ids(queue.selection)
    with transaction.atomic():
        Queue.objects.select_for_update().filter(pk=queue.pk).first()  # one extension at a time
        have = set(queue.items.values_list("work_id", flat=True))
        last = queue.items.aggregate(last=Max("position"))["last"] or 0
        new = [pk for pk in wanted if pk not in have]
        QueueItem.objects.bulk_create(
            QueueItem(queue=queue, work_id=pk, position=last + i) for i, pk in enumerate(new, 1)
        )
    return len(new)


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
    """Each queue with `total` items and `done` by the user, in one query."""
    mine = Count("items__done_marks", filter=Q(items__done_marks__curator=user))
    return queues.annotate(total=Count("items", distinct=True), done=mine)


def curator_progress(queue: Queue) -> list[tuple[AbstractBaseUser, int]]:
    """Each curator of the queue with how many works they are done with (for admins' eyes)."""
    done = dict(
        DoneMark.objects.filter(item__queue=queue).values_list("curator").annotate(n=Count("pk")).order_by()
    )
    return [(curator, done.get(curator.pk, 0)) for curator in queue.curators.order_by("pk")]


def next_item(queue: Queue, user: AbstractBaseUser, after: int = 0) -> QueueItem | None:
    """The first work after `after` the user has not said they are done with (else from the start)."""
    done = DoneMark.objects.filter(item=OuterRef("pk"), curator=user)
    waiting = queue.items.filter(~Exists(done)).order_by("position")
    return waiting.filter(position__gt=after).first() or (waiting.first() if after else None)


def neighbours(item: QueueItem) -> tuple[int | None, int | None]:
    """The ids of the items before and after this one."""
    items = QueueItem.objects.filter(queue_id=item.queue_id)
    before = items.filter(position__lt=item.position).order_by("-position")
    after = items.filter(position__gt=item.position).order_by("position")
    return before.values_list("pk", flat=True).first(), after.values_list("pk", flat=True).first()


def mark_done(*, item: QueueItem, user: AbstractBaseUser) -> bool:
    """Done for this curator; True when it made every curator of the queue done with the work."""
    with transaction.atomic():
        QueueItem.objects.select_for_update().filter(pk=item.pk).first()  # the last to finish is one
        DoneMark.objects.get_or_create(item=item, curator=user)
        done = item.done_marks.count()
    return done >= item.queue.curators.count()
