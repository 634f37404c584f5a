"""Suggestions from the record: a publication type that names a study-type finding suggests it, with the
type as printed for its evidence."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from curation.forms import TagForm
from curation.models import Annotation
from curation.reading import tag_panel
from references.models import Work
from tests.helpers import member

pytestmark = pytest.mark.django_db

PUBMED_SEEDS = ("002", "004")  # the PubMed article page and the PubMed abstract view, both typed "Review"


@pytest.fixture
def curator(django_user_model):
    return member(django_user_model, "curator", "curator")


def suggested(work: Work) -> dict[str, tuple[str, str]]:
    """Label -> (field, text) of each suggestion the work page would show."""
    return {finding.label: (m.field, m.text) for finding, m in tag_panel(work)["suggestions"]}


def imported(seed_paths, prefix: str) -> Work:
    call_command("import_sources", str(seed_paths[prefix]), stdout=StringIO())
    return Work.objects.get(source_documents__file_name=seed_paths[prefix].name)


@pytest.mark.parametrize("prefix", PUBMED_SEEDS)
def test_pubmed_seed_pages_typed_review_get_the_review_suggestion(seed_paths, prefix):
    work = imported(seed_paths, prefix)
    assert "Review" in work.publication_types
    assert suggested(work)["review"] == ("publication_type", "Review")
    work.publication_types = []  # the text alone does not name the study type
    assert "review" not in suggested(work)


def test_the_abstract_view_keeps_every_publication_type_as_printed(seed_paths):
    work = imported(seed_paths, "004")
    assert work.publication_types == [
        "Research Support, N.I.H., Extramural",
        "Research Support, Non-U.S. Gov't",
        "Review",
    ]


def test_the_article_page_prints_review_twice_and_the_work_keeps_it_once(seed_paths):
    assert imported(seed_paths, "002").publication_types == ["Review"]


def test_case_reports_suggest_the_case_report_finding():
    work = Work.objects.create(title="Infant ALL", publication_types=["Journal Article", "Case Reports"])
    found = suggested(work)
    assert found["case report"] == ("publication_type", "Case Reports")
    assert "review" not in found


@pytest.mark.parametrize("printed", ["Systematic Review", "Meta-Analysis", "review"])
def test_systematic_reviews_and_meta_analyses_suggest_the_review_finding(printed):
    work = Work.objects.create(title="Infant ALL", publication_types=["Journal Article", printed])
    assert suggested(work)["review"] == ("publication_type", printed)


def test_a_journal_article_gets_no_study_type_from_its_record():
    work = Work.objects.create(
        title="Infant ALL", publication_types=["Journal Article", "Research Support, Non-U.S. Gov't"]
    )
    found = suggested(work)
    assert "review" not in found and "case report" not in found


def test_a_type_that_only_contains_a_study_type_word_names_nothing():
    work = Work.objects.create(title="Infant ALL", publication_types=["Review of Reported Cases"])
    assert "review" not in suggested(work)


def test_only_study_type_findings_are_suggested_from_publication_types():
    work = Work.objects.create(title="A study", publication_types=["Relapse", "Infant"])
    assert suggested(work) == {}


def test_the_publication_type_is_the_evidence_even_when_the_abstract_says_review():
    work = Work.objects.create(
        title="Infant ALL", abstract="This review covers infant ALL.", publication_types=["Review"]
    )
    assert suggested(work)["review"] == ("publication_type", "Review")


def test_accepting_keeps_the_type_as_printed_without_offsets(client, curator):
    work = Work.objects.create(title="Infant ALL", publication_types=["Journal Article", "Case Reports"])
    client.force_login(curator)
    client.post(reverse("curation:suggestion-accept", args=[work.pk]), {"finding": "case report"})
    annotation = Annotation.objects.get(work=work, finding__label="case report")
    assert (annotation.state, annotation.evidence, annotation.evidence_field) == (
        "accepted",
        "Case Reports",
        "publication_type",
    )
    assert (annotation.evidence_start, annotation.evidence_end) == (None, None)
    page = client.get(work.get_absolute_url())
    assert page.status_code == 200
    assert "Publication type: “Case Reports”" in page.text
    assert "case report" not in [finding.label for finding, _ in page.context["suggestions"]]


def test_a_rejected_review_is_not_suggested_again_after_reimport(client, curator, seed_paths):
    work = imported(seed_paths, "002")
    client.force_login(curator)
    response = client.post(
        reverse("curation:suggestion-reject", args=[work.pk]),
        {"finding": "review"},
        headers={"HX-Request": "true"},
    )
    assert "review will not be suggested for this work again." in response.text
    assert imported(seed_paths, "002") == work
    assert "review" not in suggested(work)
    assert Annotation.objects.get(work=work, finding__label="review").state == "rejected"


def test_the_work_page_shows_the_suggestion_with_its_evidence(client, curator, seed_paths):
    work = imported(seed_paths, "004")
    client.force_login(curator)
    page = client.get(work.get_absolute_url())
    assert page.status_code == 200
    assert "publication type “Review”" in page.text
    assert "Accept review" in page.text


def test_a_hand_tag_cannot_claim_to_quote_the_publication_type():
    form = TagForm({"finding": "review", "field": "publication_type", "quote": "Review"})
    assert not form.is_valid() and "field" in form.errors
