"""Who may make, open and post to curation queues: admins make them; a curator works only their own queues and
reads no one's decisions before both finished; researchers see neither queues nor decisions. Forged POSTs
are refused like pages."""

import pytest
from django.urls import reverse

from curation import queues
from curation.models import Decision, DoneMark, Queue

from .queue_library import library, people

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(django_user_model):
    return people(django_user_model)


@pytest.fixture
def queue(team):
    works = library()
    assert works
    return queues.queue_create(
        name="Double",
        selection="",
        mode=Queue.Mode.INDEPENDENT,
        curators=[team["first"], team["second"]],
        resolver=None,
        user=team["admin"],
    )


def as_(client, user):
    client.force_login(user)
    return client


def test_only_admins_make_queues(client, team):
    form = {"name": "Mine", "selection": "", "mode": "single", "curators": [team["first"].pk]}
    for who in ("first", "researcher"):
        assert as_(client, team[who]).post(reverse("curation:queue-create"), form).status_code == 403
    assert not Queue.objects.exists()
    made = as_(client, team["admin"]).post(reverse("curation:queue-create"), form)
    assert made.status_code == 302 and Queue.objects.get().curators.get() == team["first"]


def test_admins_make_a_queue_from_the_list_pages_query_string(client, team):
    library()
    page = as_(client, team["admin"]).get(reverse("references:work-list"), {"q": "venetoclax"})
    assert f'href="{reverse("curation:queue-create")}?q=venetoclax"' in page.content.decode()
    form = as_(client, team["admin"]).get(reverse("curation:queue-create"), {"q": "venetoclax", "page": "2"})
    assert form.context["count"] == 1 and form.context["selection"] == "q=venetoclax"


def test_two_curators_are_needed_for_independent_curation(client, team):
    form = {"name": "Double", "selection": "", "mode": "independent", "curators": [team["first"].pk]}
    answer = as_(client, team["admin"]).post(reverse("curation:queue-create"), form)
    assert answer.status_code == 200 and "exactly two curators" in answer.content.decode()


def test_a_curator_cannot_open_or_post_to_another_curators_queue(client, team, queue):
    item = queue.items.first()
    as_(client, team["outsider"])
    for name, target in (("queue-detail", queue), ("queue-next", queue), ("queue-item", item)):
        assert client.get(reverse(f"curation:{name}", args=[target.pk])).status_code == 404, name
    forged = [
        ("queue-decide", {"finding": "HSCT", "verdict": "accept"}),
        ("queue-done", {}),
        ("queue-resolve", {"fingerprint": "x"}),
    ]
    for name, data in forged:
        assert client.post(reverse(f"curation:{name}", args=[item.pk]), data).status_code == 404, name
    assert not Decision.objects.exists() and not DoneMark.objects.exists()
    assert queue.name not in client.get(reverse("curation:queue-list")).content.decode()


def test_researchers_see_neither_queues_nor_decisions(client, team, queue):
    item = queue.items.first()
    as_(client, team["researcher"])
    assert client.get(reverse("curation:queue-list")).status_code == 403
    for name, target in (("queue-detail", queue), ("queue-item", item), ("queue-resolve", item)):
        assert client.get(reverse(f"curation:{name}", args=[target.pk])).status_code == 403, name
    assert (
        client.post(reverse("curation:queue-decide", args=[item.pk]), {"finding": "HSCT"}).status_code == 403
    )
    assert "Curate" not in client.get(reverse("references:work-list")).content.decode()


def test_no_one_reads_a_curators_decisions_before_both_finished(client, team, queue):
    item = queue.items.get(work__title__startswith="Blinatumomab")
    as_(client, team["first"]).post(
        reverse("curation:queue-decide", args=[item.pk]), {"finding": "HSCT", "verdict": "accept"}
    )
    client.post(reverse("curation:queue-done", args=[item.pk]))
    # The other curator: not on the resolver's page, not in the reading view.
    as_(client, team["second"])
    assert client.get(reverse("curation:queue-resolve", args=[item.pk])).status_code == 404
    assert "Nothing decided yet" in client.get(item.get_absolute_url()).content.decode()
    # The admin, who resolves: the page says it waits, and shows no decision.
    waiting = as_(client, team["admin"]).get(reverse("curation:queue-resolve", args=[item.pk]))
    assert waiting.context["comparison"] is None and "Accepted" not in waiting.content.decode()
    forged = client.post(reverse("curation:queue-resolve", args=[item.pk]), {"fingerprint": "x"})
    assert forged.context["comparison"] is None


def test_a_named_resolver_resolves_without_being_an_admin(client, team, queue):
    queue.resolver = team["outsider"]
    queue.save()
    item = queue.items.first()
    assert (
        as_(client, team["outsider"]).get(reverse("curation:queue-resolve", args=[item.pk])).status_code
        == 200
    )
    assert client.get(queue.get_absolute_url()).status_code == 200
    assert (
        client.get(reverse("curation:queue-item", args=[item.pk])).status_code == 404
    )  # not a curator of it
