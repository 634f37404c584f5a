"""The queue's busy requests cost a constant number of queries, however long the queue and however many
decisions the work has: opening the next work, reading it, recording a decision (answered by a redirect,
or in place with the panel), marking it done."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from curation import queues
from curation.models import Decision, Finding, Queue

from .queue_library import people, source_work

pytestmark = pytest.mark.django_db

ABSTRACT = (
    "Infants with KMT2A-rearranged ALL relapsed after HSCT. They received blinatumomab, inotuzumab and "
    "venetoclax; MRD was negative in most. "
)


def counted(client, method: str, url: str, data=None, **headers) -> int:
    with CaptureQueriesContext(connection) as queries:
        answer = getattr(client, method)(url, data or {}, **headers)
    assert answer.status_code in (200, 302), answer.status_code
    return len(queries)


def costs(client, django_user_model, size: int) -> dict[str, int]:
    team = people(django_user_model)
    for n in range(size):
        source_work(f"Relapse after HSCT {n}", ABSTRACT * (1 + n % 3), year=2000 + n)
    queue = queues.queue_create(
        name="Costs",
        selection="sort=oldest",
        mode=Queue.Mode.INDEPENDENT,
        curators=[team["first"], team["second"]],
        resolver=None,
        user=team["admin"],
    )
    item = queue.items.order_by("position")[1]
    client.force_login(team["first"])
    for finding in Finding.objects.all()[: size // 3]:  # decisions already on the work
        Decision.objects.create(item=item, curator=team["first"], finding=finding, verdict="reject")
    client.post(reverse("curation:queue-done", args=[queue.items.order_by("position")[0].pk]))
    decide = reverse("curation:queue-decide", args=[item.pk])
    return {
        "next": counted(client, "get", reverse("curation:queue-next", args=[queue.pk])),
        "item": counted(client, "get", item.get_absolute_url()),
        "decide": counted(client, "post", decide, {"finding": "HSCT", "verdict": "accept"}),
        "change": counted(client, "post", decide, {"finding": "HSCT", "verdict": "reject"}),
        "in place": counted(
            client, "post", decide, {"finding": "MRD", "verdict": "accept"}, HTTP_HX_REQUEST="true"
        ),
        "done": counted(client, "post", reverse("curation:queue-done", args=[item.pk])),
    }


def test_queue_requests_cost_the_same_for_a_short_and_a_long_queue(client, django_user_model):
    small = costs(client, django_user_model, 3)
    Queue.objects.all().delete()
    django_user_model.objects.all().delete()
    large = costs(client, django_user_model, 30)
    assert small == large
    # Session and user (2) are in each (the permissions were read by the first request, then kept); as
    # measured when written.
    assert small == {"next": 4, "item": 9, "decide": 11, "change": 10, "in place": 14, "done": 13}
