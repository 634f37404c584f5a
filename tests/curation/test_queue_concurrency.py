"""Two curators and the resolvers acting at the same moment, in threads with their own database connections:
nobody's decision overwrites another's, a work is settled once, and of two resolutions made against the
same page only the first is saved (the second is refused, showing the first)."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from curation import double, queues
from curation.models import Annotation, Decision, Finding, Queue, Resolution
from tests.browser.conftest import migrated_data  # noqa: F401 - a fixture, put back after each flush

from .queue_library import grant_queue_permissions, library, people

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def setting(migrated, django_user_model):
    team = people(django_user_model)
    library()
    queue = queues.queue_create(
        name="At once",
        selection="",
        mode=Queue.Mode.INDEPENDENT,
        curators=[team["first"], team["second"]],
        resolver=team["outsider"],
        user=team["admin"],
    )
    return team, queue, queue.items.get(work__title__startswith="Blinatumomab")


@pytest.fixture
def migrated(migrated_data):  # noqa: F811 - the imported fixture, asked for by name
    """Vocabulary and roles, which a transactional test's flush removes."""
    grant_queue_permissions()


def at_once(*actions) -> list:
    """Run the actions in threads released together; their results (or exceptions) in order."""
    start, results = threading.Barrier(len(actions)), [None] * len(actions)

    def run(n, action):
        start.wait()
        try:
            results[n] = action()
        except Exception as problem:
            results[n] = problem
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n, a)) for n, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


def signed(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client, name, item, data=None):
    return lambda: client.post(reverse(f"curation:{name}", args=[item.pk]), data or {}).status_code


def test_curators_deciding_and_finishing_at_once_keep_their_own_decisions(setting):
    team, _, item = setting
    first, second = signed(team["first"]), signed(team["second"])
    answers = at_once(
        post(first, "queue-decide", item, {"finding": "HSCT", "verdict": "accept"}),
        post(second, "queue-decide", item, {"finding": "HSCT", "verdict": "reject"}),
        post(first, "queue-decide", item, {"finding": "blinatumomab", "verdict": "accept"}),
        post(second, "queue-decide", item, {"finding": "blinatumomab", "verdict": "accept"}),
    )
    assert answers == [302] * 4
    verdicts = {(d.curator.username, d.finding.label): d.verdict for d in Decision.objects.all()}
    assert verdicts == {
        ("fay", "HSCT"): "accept",
        ("sam", "HSCT"): "reject",
        ("fay", "blinatumomab"): "accept",
        ("sam", "blinatumomab"): "accept",
    }
    assert at_once(post(first, "queue-done", item), post(second, "queue-done", item)) == [302, 302]
    settled = Resolution.objects.get(item=item)  # the one agreement, settled once
    assert settled.finding.label == "blinatumomab" and settled.resolved_by is None
    assert Resolution.history.filter(item=item).count() == 1
    assert Annotation.objects.get(work=item.work).finding.label == "blinatumomab"


def test_two_resolvers_at_once_one_is_saved_the_other_refused(setting):
    team, _, item = setting
    for who, verdict in (("first", "accept"), ("second", "reject")):
        client = signed(team[who])
        post(client, "queue-decide", item, {"finding": "HSCT", "verdict": verdict})()
        post(client, "queue-done", item)()
    shown = double.compare(item)
    hsct = Finding.objects.get(label="HSCT")
    seen = {f"seen-{row.finding.pk}": row.signature for row in shown.rows}
    answers = at_once(
        post(
            signed(team["admin"]),
            "queue-resolve",
            item,
            {"fingerprint": shown.fingerprint, f"outcome-{hsct.pk}": "first", **seen},
        ),
        post(
            signed(team["outsider"]),
            "queue-resolve",
            item,
            {"fingerprint": shown.fingerprint, f"outcome-{hsct.pk}": "reject", **seen},
        ),
    )
    assert sorted(answers) == [302, 409]
    winner = team["admin"] if answers[0] == 302 else team["outsider"]
    resolution = Resolution.objects.get(item=item, finding=hsct)
    assert resolution.resolved_by == winner
    assert Resolution.history.filter(item=item).count() == 1
    tag = Annotation.objects.get(work=item.work, finding=hsct)
    assert tag.state == ("accepted" if winner == team["admin"] else "rejected")
