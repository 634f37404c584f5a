"""Tagging as curators do it: evidence that must be in the text, suggestions, two curators at once, history."""

import pytest
from django.urls import reverse

from curation.models import Annotation, Finding
from curation.services import Conflict, TaggingRefused, bulk_tag, change_annotation, history, tag_work
from references.models import Work
from tests.helpers import member

pytestmark = pytest.mark.django_db

ABSTRACT = (
    "Infants with KMT2A-rearranged ALL have a poor outcome. The leukemic cells carried KMT2A/AFF1. "
    "After a second HSCT she received blinatumomab and remains in remission."
)


@pytest.fixture
def work():
    return Work.objects.create(
        title="Blinatumomab after a second HSCT in an infant", abstract=ABSTRACT, year=2024
    )


@pytest.fixture
def curator(django_user_model):
    return member(django_user_model, "curator", "curator")


@pytest.fixture
def second_curator(django_user_model):
    return member(django_user_model, "second", "curator")


@pytest.fixture
def researcher(django_user_model):
    return member(django_user_model, "researcher", "researcher")


def finding(label: str) -> Finding:
    return Finding.objects.get(label=label)


def tag(work: Work, label: str, quote: str, user, field: str = "abstract", note: str = "") -> Annotation:
    return tag_work(
        work=work, finding=finding(label), field=field, quote=quote, start=None, note=note, user=user
    )


def test_evidence_is_stored_with_its_field_and_offsets(work, curator):
    sentence = "The leukemic cells carried KMT2A/AFF1."
    annotation = tag(work, "KMT2A-r", sentence, curator)
    assert annotation.evidence == sentence
    assert ABSTRACT[annotation.evidence_start : annotation.evidence_end] == sentence
    assert (annotation.evidence_field, annotation.state, annotation.created_by) == (
        "abstract",
        "accepted",
        curator,
    )


def test_evidence_must_occur_in_the_text(work, curator):
    with pytest.raises(TaggingRefused, match="does not occur"):
        tag(work, "KMT2A-r", "MLL-AF9 was found.", curator)
    assert not Annotation.objects.exists()


def test_a_second_curator_is_told_instead_of_overwriting(work, curator, second_curator):
    annotation = tag(work, "HSCT", "After a second HSCT", curator)
    seen = annotation.version
    change_annotation(annotation_id=annotation.pk, version=seen, user=curator, note="second transplant")
    with pytest.raises(Conflict) as conflict:
        change_annotation(annotation_id=annotation.pk, version=seen, user=second_curator, state="rejected")
    assert conflict.value.current.note == "second transplant"
    annotation.refresh_from_db()
    assert (annotation.state, annotation.note) == ("accepted", "second transplant")


def test_two_curators_tagging_the_same_finding_do_not_double_it(work, curator, second_curator):
    quote = "After a second HSCT"
    tag(work, "HSCT", quote, curator)
    with pytest.raises(Conflict):
        tag(work, "HSCT", quote, second_curator, note="x")
    assert Annotation.objects.count() == 1


def test_history_keeps_who_when_before_and_after(work, curator, second_curator):
    annotation = tag(work, "HSCT", "After a second HSCT", curator)
    change_annotation(
        annotation_id=annotation.pk, version=annotation.version, user=second_curator, state="rejected"
    )
    latest, first = history(work, Finding.objects.in_bulk())
    assert (first["record"].history_user, first["kind"]) == (curator, "Created")
    assert first["record"].finding.label == latest["record"].finding.label == "HSCT"
    assert latest["record"].history_user == second_curator
    assert ("state", "accepted", "rejected") in latest["changes"]


def test_bulk_tagging_skips_works_tagged_already(work, curator):
    other = Work.objects.create(title="Another infant ALL study")
    tag(work, "infant", "infant", curator, field="title")
    assert bulk_tag(works=[work, other], finding=finding("infant"), user=curator) == 1
    assert Annotation.objects.filter(finding__label="infant").count() == 2
    assert Annotation.history.filter(work_id=other.pk).get().history_user == curator


def test_a_researcher_cannot_tag_even_by_forging_a_post(client, work, researcher):
    client.force_login(researcher)
    url = reverse("curation:tag-create", args=[work.pk])
    response = client.post(url, {"finding": "HSCT", "field": "abstract", "quote": "After a second HSCT"})
    assert response.status_code == 403
    assert (
        client.post(reverse("curation:bulk-tag"), {"works": [work.pk], "finding": "HSCT"}).status_code == 403
    )
    assert not Annotation.objects.exists()
    page = client.get(work.get_absolute_url())
    assert 'id="tag-form"' not in page.text and "Accept " not in page.text


def test_anonymous_writes_go_to_the_login_page(client, work):
    response = client.post(reverse("curation:tag-create", args=[work.pk]), {"finding": "HSCT"})
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_a_curator_tags_in_place_and_sees_the_conflict_of_a_stale_page(client, work, curator, second_curator):
    client.force_login(curator)
    url = reverse("curation:tag-create", args=[work.pk])
    data = {
        "finding": "KMT2A-r",
        "field": "abstract",
        "quote": "The leukemic cells carried KMT2A/AFF1.",
        "version": 0,
    }
    response = client.post(url, data, headers={"HX-Request": "true"})
    assert response.text.lstrip().startswith('<section id="tag-panel"')
    assert "Tagged KMT2A-r with the quoted evidence." in response.text
    annotation = Annotation.objects.get()
    client.force_login(second_curator)
    stale = {"version": annotation.version, "state": "rejected"}
    client.post(
        reverse("curation:annotation-change", args=[annotation.pk]),
        {**stale, "note": "ok"},
        headers={"HX-Request": "true"},
    )
    client.force_login(curator)
    response = client.post(
        reverse("curation:annotation-change", args=[annotation.pk]), stale, headers={"HX-Request": "true"}
    )
    assert "Not saved: second changed KMT2A-r" in response.text
    assert "Their version" in response.text


def test_a_rejected_suggestion_does_not_come_back(client, work, curator):
    client.force_login(curator)
    page = client.get(work.get_absolute_url())
    assert "blinatumomab" in [finding.label for finding, _ in page.context["suggestions"]]
    response = client.post(
        reverse("curation:suggestion-reject", args=[work.pk]),
        {"finding": "blinatumomab"},
        headers={"HX-Request": "true"},
    )
    assert "blinatumomab will not be suggested for this work again." in response.text
    again = client.get(work.get_absolute_url())
    assert "blinatumomab" not in [finding.label for finding, _ in again.context["suggestions"]]
    assert Annotation.objects.get(work=work).state == "rejected"


def test_accepting_a_suggestion_quotes_its_sentence(client, work, curator):
    client.force_login(curator)
    client.post(reverse("curation:suggestion-accept", args=[work.pk]), {"finding": "KMT2A-r"})
    annotation = Annotation.objects.get(work=work, finding__label="KMT2A-r")
    assert annotation.evidence == "Infants with KMT2A-rearranged ALL have a poor outcome."
    assert ABSTRACT[annotation.evidence_start : annotation.evidence_end] == annotation.evidence


def test_bulk_tagging_from_the_list(client, work, curator):
    other = Work.objects.create(title="Another study")
    client.force_login(curator)
    response = client.post(
        reverse("curation:bulk-tag"),
        {"works": [work.pk, other.pk], "finding": "relapse", "next": "/?q=infant"},
    )
    assert response.url == "/?q=infant"
    assert set(Annotation.objects.filter(finding__label="relapse").values_list("work_id", flat=True)) == {
        work.pk,
        other.pk,
    }
    offsite = client.post(
        reverse("curation:bulk-tag"), {"works": [work.pk], "finding": "MRD", "next": "https://evil.example/"}
    )
    assert offsite.url == "/"
