"""Who may read the enrichment pages: every role (researcher, curator, admin); a signed-in user in no group
gets 403 and an anonymous visitor the login page."""

import pytest
from django.urls import reverse

from references.models import EnrichmentBatch, Work
from tests.helpers import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def batch():
    batch = EnrichmentBatch.objects.create(origin="web", state="paused", pause_reason="Paused by itself")
    batch.items.create(work=Work.objects.create(title="A work", doi="10.5555/one"))
    return batch


def pages(batch: EnrichmentBatch) -> list[str]:
    return [reverse("references:enrichment-list"), batch.get_absolute_url()]


def test_an_anonymous_visitor_is_sent_to_sign_in(client, batch):
    for url in pages(batch):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login")), url


def test_a_user_in_no_group_is_refused(client, reader, batch):
    client.force_login(reader)
    for url in pages(batch):
        assert client.get(url).status_code == 403, url
    partial = client.get(batch.get_absolute_url(), headers={"HX-Request": "true"})
    assert partial.status_code == 403
    assert reverse("references:enrichment-list") not in client.get(reverse("references:work-list")).text


@pytest.mark.parametrize("role", ["researcher", "curator", "admin"])
def test_every_role_reads_the_batches(client, django_user_model, batch, role):
    client.force_login(member(django_user_model, role, role))
    listing = client.get(reverse("references:enrichment-list"))
    assert listing.status_code == 200
    assert batch.get_absolute_url() in listing.text
    assert "Paused by itself" in client.get(batch.get_absolute_url()).text
    assert reverse("references:enrichment-list") in client.get(reverse("references:work-list")).text


def test_a_researcher_reads_but_may_not_resume(client, django_user_model, batch):
    client.force_login(member(django_user_model, "researcher", "researcher"))
    assert client.get(batch.get_absolute_url()).status_code == 200
    assert client.post(reverse("references:enrichment-resume", args=[batch.pk])).status_code == 403
    batch.refresh_from_db()
    assert batch.state == "paused"
