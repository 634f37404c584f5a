"""Small helpers for tests."""

import base64
import json
import time
from pathlib import Path

import pytest
from django.contrib.auth.models import Group

from config.celery import app as celery_app

ROOT = Path(__file__).resolve().parent.parent
WORKER_LOG = ROOT / "test-worker.log"


def wait_until(predicate, timeout: float = 30, interval: float = 0.1):
    """Poll until predicate() is truthy; returns its value or fails the test."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := predicate():
            return value
        time.sleep(interval)
    pytest.fail(f"condition not met within {timeout} s")


def queue_length(queue: str) -> int:
    """Messages waiting in a Celery queue on the Redis broker."""
    with celery_app.connection_for_write() as connection:
        return connection.default_channel.client.llen(queue)


def member(django_user_model, name: str, group: str):
    """A user of one of the app's groups (admin, curator, researcher), with a password to sign in with."""
    user = django_user_model.objects.create_user(name, password=f"{name}-password-1")
    user.groups.add(Group.objects.get(name=group))
    return user


def signed_in(client, django_user_model, group: str = "researcher"):
    """The test client signed in as a member of the group: reading the library takes a role."""
    client.force_login(member(django_user_model, f"{group}-reading", group))
    return client


def run_pending(batch):
    """Enrich a batch's pending works here, one at a time, as the task would; the batch, read again."""
    from references.enrichment_item import enrich

    for pk in batch.items.filter(state="pending").values_list("pk", flat=True):
        enrich(pk)
    batch.refresh_from_db()
    return batch


def _in_broker(queue: str) -> tuple[list[dict], list[dict]]:
    """This queue's messages on the Redis broker: those waiting, and those a worker took and has not
    acknowledged (kombu's `unacked` hash holds [message, exchange, routing key])."""
    with celery_app.connection_for_write() as connection:
        client = connection.default_channel.client
        waiting = [json.loads(raw) for raw in client.lrange(queue, 0, -1)]
        held = [json.loads(raw) for raw in client.hvals("unacked")]
    return waiting, [message for message, _, routing_key in held if routing_key == queue]


def held_by_the_dead(queue: str) -> bool:
    """Whether a message of this queue sits unacknowledged in the broker."""
    return bool(_in_broker(queue)[1])


def send_again_the_lost(batch, queue: str) -> list[int]:
    """Send again the batch's pending items whose message is nowhere in the broker, and return them. Redis
    hands a message over by popping it, and kombu records it as unacknowledged only once the worker has
    read it: a worker killed in that instant takes the message with it (README, "Enrichment")."""
    from references.tasks import enrich_item

    waiting, held = _in_broker(queue)
    sent = {json.loads(base64.b64decode(message["body"]))[0][0] for message in waiting + held}
    lost = sorted(set(batch.items.filter(state="pending").values_list("pk", flat=True)) - sent)
    for pk in lost:
        enrich_item.apply_async((pk,), queue=queue)
    return lost
