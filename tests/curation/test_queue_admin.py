"""The admin renames a queue but cannot change its curators: an independent queue keeps exactly two, a
single-curator queue one, and their decisions and done marks stay theirs; nor who made it."""

import pytest
from django.urls import reverse

from curation import queues
from curation.models import Queue

from .queue_library import people

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("mode", "curators", "posted"), [(Queue.Mode.INDEPENDENT, 2, 1), (Queue.Mode.SINGLE, 1, 2)]
)
def test_the_admin_renames_a_queue_and_keeps_its_curators(
    client, admin_user, django_user_model, mode, curators, posted
):
    team = people(django_user_model)
    assigned = [team["first"], team["second"]][:curators]
    queue = queues.queue_create(
        name="Relapse", selection="", mode=mode, curators=assigned, resolver=None, user=team["admin"]
    )
    client.force_login(admin_user)
    url = reverse("admin:curation_queue_change", args=[queue.pk])
    fields = client.get(url).context["adminform"].form.fields
    assert "curators" not in fields and "created_by" not in fields
    others = [team["outsider"].pk, team["researcher"].pk][:posted]
    data = {"name": "Relapse, 2024", "resolver": "", "created_by": team["outsider"].pk, "curators": others}
    assert client.post(url, data).status_code == 302
    queue.refresh_from_db()
    assert queue.name == "Relapse, 2024"
    assert list(queue.curators.order_by("pk")) == assigned
    assert queue.created_by == team["admin"]
