"""The enrichment pages, the review queue and the `enrich` command: who may do what, and what they see."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from references.enrichment import stall_after, stalled
from references.models import EnrichmentBatch, MatchCandidate, Work
from tests.helpers import member

pytestmark = pytest.mark.django_db

START_URL = reverse("references:enrichment-start")
CERMINE = "10.1007/s10032-015-0249-8"
RECORD = {
    "DOI": CERMINE,
    "title": ["CERMINE: automatic extraction of structured metadata from scientific literature"],
    "container-title": ["International Journal on Document Analysis and Recognition (IJDAR)"],
    "author": [{"family": "Tkaczyk", "given": "Dominika"}, {"family": "Szostek", "given": "Paweł"}],
    "issued": {"date-parts": [[2015]]},
    "volume": "18",
    "page": "317-335",
}


@pytest.fixture
def reviewer(django_user_model):
    user = django_user_model.objects.create_user("reviewer", password="reviewer-password-1")
    user.user_permissions.add(Permission.objects.get(codename="change_matchcandidate"))
    return user


@pytest.fixture
def candidate():
    work = Work.objects.create(title="CERMINE", year=2013, enrichment_state="review")
    return MatchCandidate.objects.create(
        work=work,
        query="Tkaczyk D. CERMINE. 2013.",
        doi=CERMINE,
        record=RECORD,
        score=0.71,
        reason="year 2013 differs",
    )


def test_only_those_allowed_may_start_enrichment(client, reader):
    work = Work.objects.create(title="A work")
    assert client.post(START_URL, {"work": work.pk}).status_code == 302  # to the login page
    client.force_login(reader)
    assert client.post(START_URL, {"work": work.pk}).status_code == 403
    assert not EnrichmentBatch.objects.exists()


def test_an_admin_starts_a_batch_for_one_work_and_sees_its_progress(client, admin_user):
    work = Work.objects.create(title="A work", doi="10.5555/one")
    client.force_login(admin_user)
    response = client.post(START_URL, {"work": work.pk})
    batch = EnrichmentBatch.objects.get()
    assert response.url == batch.get_absolute_url()
    assert list(batch.items.values_list("work_id", flat=True)) == [work.pk]
    page = client.get(batch.get_absolute_url())
    assert "0 done" in page.text and "1 remaining" in page.text
    assert 'hx-trigger="every 1s"' in page.text


def test_the_progress_partial_updates_in_place_until_the_batch_ends(client, admin_user):
    work = Work.objects.create(title="A work", doi="10.5555/one")
    client.force_login(admin_user)
    client.post(START_URL, {"work": work.pk})
    batch = EnrichmentBatch.objects.get()
    partial = client.get(batch.get_absolute_url(), headers={"HX-Request": "true"})
    assert partial.text.lstrip().startswith('<section id="enrichment-progress"')
    batch.items.update(state="done")
    EnrichmentBatch.objects.filter(pk=batch.pk).update(state="finished")
    partial = client.get(batch.get_absolute_url(), headers={"HX-Request": "true"})
    assert "1 done" in partial.text and "hx-trigger" not in partial.text


def test_enrich_all_takes_the_works_not_enriched_yet(client, admin_user):
    Work.objects.create(title="New", doi="10.5555/new")
    Work.objects.create(title="Failed", doi="10.5555/failed", enrichment_state="failed")
    Work.objects.create(title="Done", doi="10.5555/done", enrichment_state="enriched")
    client.force_login(admin_user)
    client.post(START_URL)
    titles = EnrichmentBatch.objects.get().items.values_list("work__title", flat=True)
    assert sorted(titles) == ["Failed", "New"]


def test_batches_past_the_first_page_can_be_reached(client, django_user_model):
    EnrichmentBatch.objects.bulk_create(EnrichmentBatch(origin="command") for _ in range(26))
    client.force_login(member(django_user_model, "researcher", "researcher"))
    first = client.get(reverse("references:enrichment-list"))
    assert "Page 1 of 2" in first.text and 'href="?page=2"' in first.text
    second = client.get(reverse("references:enrichment-list"), {"page": 2})
    assert len(re.findall(r'<a href="/enrichment/\d+/">', second.text)) == 1  # the 26th batch


def test_a_paused_batch_is_resumed_by_an_admin(client, admin_user, django_user_model):
    work = Work.objects.create(title="A work", doi="10.5555/one")
    batch = EnrichmentBatch.objects.create(
        origin="web", state="paused", pause_reason="Paused by itself: 5 of 10"
    )
    batch.items.create(work=work)
    resume_url = reverse("references:enrichment-resume", args=[batch.pk])
    client.force_login(member(django_user_model, "researcher", "researcher"))
    assert "Paused by itself: 5 of 10" in client.get(batch.get_absolute_url()).text
    assert client.post(resume_url).status_code == 403
    client.force_login(admin_user)
    client.post(resume_url)
    batch.refresh_from_db()
    assert batch.state == "running" and batch.pause_reason == ""


def started_ago(minutes: float) -> EnrichmentBatch:
    """A running batch of one waiting work, started `minutes` ago, none of whose works has finished."""
    batch = EnrichmentBatch.objects.create(origin="web")
    batch.items.create(work=Work.objects.create(title="A work", doi=f"10.5555/stalled.{minutes}"))
    EnrichmentBatch.objects.filter(pk=batch.pk).update(created_at=timezone.now() - timedelta(minutes=minutes))
    batch.refresh_from_db()
    return batch


def test_a_stalled_batch_is_sent_again_by_an_admin(client, admin_user, django_capture_on_commit_callbacks):
    """Its messages were lost with a worker: after the visibility timeout and a task's time limit without a
    finished work, the page says so and sends the waiting works again."""
    batch = started_ago(stall_after().total_seconds() / 60 + 1)
    client.force_login(admin_user)
    page = client.get(batch.get_absolute_url()).text
    assert 'id="stalled"' in page and "Send the waiting works again" in page
    with django_capture_on_commit_callbacks() as sent:
        client.post(reverse("references:enrichment-resume", args=[batch.pk]))
    assert len(sent) == 1  # the waiting work's task
    call_command("enrich", "--resume", str(batch.pk))  # the same from the shell


def test_a_batch_is_stalled_only_when_nothing_finished_for_that_long():
    minutes = stall_after().total_seconds() / 60
    assert not stalled(started_ago(minutes - 1))
    late = started_ago(minutes + 1)
    assert stalled(late)
    late.state = EnrichmentBatch.State.PAUSED
    assert not stalled(late)  # a paused batch is resumed, not sent again
    late.state = EnrichmentBatch.State.RUNNING
    late.items.create(
        work=Work.objects.create(title="Finished now"), state="done", finished_at=timezone.now()
    )
    assert not stalled(late)


def test_the_review_queue_is_for_reviewers(client, reader, reviewer, candidate):
    url = reverse("references:review-queue")
    client.force_login(reader)
    assert client.get(url).status_code == 403
    assert client.post(reverse("references:review-accept", args=[candidate.pk])).status_code == 403
    client.force_login(reviewer)
    page = client.get(url)
    assert "Tkaczyk D. CERMINE. 2013." in page.text
    assert "International Journal on Document Analysis and Recognition (IJDAR)" in page.text
    candidate.refresh_from_db()
    assert candidate.state == "pending"


def test_accepting_in_place_links_the_doi(client, reviewer, candidate):
    client.force_login(reviewer)
    response = client.post(
        reverse("references:review-accept", args=[candidate.pk]), headers={"HX-Request": "true"}
    )
    assert response.text.lstrip().startswith(
        f'<li class="candidate candidate-accepted" id="candidate-{candidate.pk}"'
    )
    work = Work.objects.get(pk=candidate.work_id)
    assert (work.doi, work.volume, work.enrichment_state) == (CERMINE, "18", "enriched")


def test_rejecting_twice_tells_the_second_curator(client, reviewer, candidate):
    client.force_login(reviewer)
    url = reverse("references:review-reject", args=[candidate.pk])
    client.post(url, headers={"HX-Request": "true"})
    second = client.post(url, headers={"HX-Request": "true"})
    assert "Another curator has decided this candidate already." in second.text
    assert Work.objects.get(pk=candidate.work_id).enrichment_state == "unmatched"


@pytest.mark.parametrize(
    ("next_page", "landing"), [("/works/1/", "/works/1/"), ("https://evil.example/", "/review/")]
)
def test_a_decision_without_javascript_returns_only_to_a_page_of_this_site(
    client, reviewer, candidate, next_page, landing
):
    client.force_login(reviewer)
    url = reverse("references:review-reject", args=[candidate.pk])
    response = client.post(url, {"next": next_page})
    assert response.status_code == 302 and response["Location"] == landing


def test_imported_text_is_escaped_on_the_review_page(client, reviewer, candidate):
    candidate.query = "<script>alert(1)</script>"
    candidate.save()
    client.force_login(reviewer)
    page = client.get(reverse("references:review-queue"))
    assert "<script>alert(1)</script>" not in page.text and "&lt;script&gt;" in page.text


def test_enrich_command_queues_one_batch():
    work = Work.objects.create(title="A work", doi="10.5555/one")
    call_command("enrich", "--work", str(work.pk))
    assert EnrichmentBatch.objects.get().origin == "command"
    with pytest.raises(CommandError, match="No work with id 999999"):
        call_command("enrich", "--work", "999999")
    with pytest.raises(CommandError, match="No paused or stalled batch"):
        call_command("enrich", "--resume", str(EnrichmentBatch.objects.get().pk))
