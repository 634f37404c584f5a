"""The busy pages issue the same small number of queries however much there is to show."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from curation.models import Annotation, Finding
from curation.services import change_annotation
from references.models import Citation, Contributor, SourceDocument, Work
from references.search import indexing

pytestmark = pytest.mark.django_db

LIST_QUERIES = (
    10  # session, user, permissions x2, vocabulary, count, page, its works, counts, pending duplicates
)
# (the nav link a curator sees); a search: its count and page in one query, +1 snippets
FACETS_QUERIES = 6  # session, user, permissions x2, vocabulary, facets
NOW = {"counts": "now"}  # the facets in the page itself, as a browser without JavaScript asks
FACETS = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "facets"}  # as the page's placeholder asks
# session, user, permissions x2, the work, its people, its citations, vocabulary, its annotations, their
# history, pending duplicates, DOI candidates, merges, field origins, source documents
WORK_QUERIES = 15


def library(size: int) -> list[Work]:
    works = []
    findings = list(Finding.objects.all()[:3])
    for n in range(size):
        work = Work.objects.create(
            title=f"Blinatumomab in infant KMT2A-rearranged ALL {n}",
            abstract="After a second HSCT the infant received blinatumomab. " * 3,
            year=2000 + n % 20,
            container_title=f"Journal {n % 4}",
        )
        SourceDocument.objects.create(
            work=work, file_name=f"{n}.txt", sha256=f"{n:064d}", size=1, raw_text="x"
        )
        Contributor.objects.bulk_create(
            Contributor(work=work, position=p, family=f"Author{p}") for p in (1, 2, 3)
        )
        for finding in findings[: n % 4]:
            Annotation.objects.create(work=work, finding=finding, evidence="After a second HSCT")
        works.append(work)
    for n, work in enumerate(works):
        Citation.objects.create(citing_work=work, position=1, raw="A reference", cited_work=works[n - 1])
        Citation.objects.create(
            citing_work=work, position=2, raw="Another reference", cited_work=works[n - 2]
        )
    indexing.rebuild()
    return works


@pytest.fixture
def curator_client(client, django_user_model):
    user = django_user_model.objects.create_user("curator", password="curator-password-1")
    user.groups.add(Group.objects.get(name="curator"))
    client.force_login(user)
    return client


@pytest.mark.parametrize("size", [3, 30])
def test_the_list_with_facets_costs_the_same_for_any_page(
    curator_client, django_assert_max_num_queries, size
):
    library(size)
    with django_assert_max_num_queries(LIST_QUERIES):
        response = curator_client.get(reverse("references:work-list"), {"finding": "", "sort": "newest"})
    assert len(response.context["page"].object_list) == min(size, 25)


@pytest.mark.parametrize("size", [3, 30])
def test_search_costs_the_same_for_any_page(curator_client, django_assert_max_num_queries, size):
    library(size)
    with django_assert_max_num_queries(LIST_QUERIES + 1):
        response = curator_client.get(reverse("references:work-list"), {"q": "blinatumomab infant"})
    assert response.context["page"].paginator.count == size
    assert "<mark>" in response.text


@pytest.mark.parametrize("size", [3, 30])
def test_the_work_page_costs_the_same_however_many_tags_and_citations(
    curator_client, django_assert_max_num_queries, size
):
    works = library(size)
    work = works[-1]
    for other in works[:-1]:
        Citation.objects.create(citing_work=other, position=3, raw="Cites the last", cited_work=work)
    with django_assert_max_num_queries(WORK_QUERIES):
        response = curator_client.get(work.get_absolute_url())
    assert response.status_code == 200
    assert len(response.context["cited_by"]) == size - 1 + 2 - (size < 2)


def test_the_work_page_reads_the_findings_once(curator_client, django_user_model):
    """The tags and their history take their findings from the vocabulary the page read, not from joins."""
    curator = django_user_model.objects.get(username="curator")
    work = library(4)[-1]
    tagged = work.annotations.get(finding__label=Finding.objects.all()[0].label)
    change_annotation(annotation_id=tagged.pk, version=tagged.version, user=curator, note="Seen again")
    with CaptureQueriesContext(connection) as queries:
        response = curator_client.get(work.get_absolute_url())
    assert sum('"curation_finding"' in query["sql"] for query in queries.captured_queries) == 1
    labels = {annotation.finding.label for annotation in response.context["annotations"]}
    assert labels == set(work.annotations.values_list("finding__label", flat=True)) and len(labels) == 3
    assert {entry["record"].finding.label for entry in response.context["history"]} == labels
    assert f"{curator.username} · changed {tagged.finding.label}" in response.text


@pytest.mark.parametrize("size", [3, 30])
def test_the_facets_cost_the_same_for_any_selection(curator_client, django_assert_max_num_queries, size):
    library(size)
    with django_assert_max_num_queries(FACETS_QUERIES):
        response = curator_client.get(reverse("references:work-list"), {"q": "blinatumomab"}, **FACETS)
    assert (
        sum(v.count for name, _, values in response.context["facets"] if name == "tagged" for v in values)
        == size
    )


def test_facet_counts_match_the_selection(curator_client):
    works = library(12)
    response = curator_client.get(reverse("references:work-list"), {"q": "blinatumomab"}, **FACETS)
    facets = {name: {v.value: v.count for v in values} for name, _, values in response.context["facets"]}
    tagged = Work.objects.filter(annotations__state="accepted").distinct().count()
    assert facets["tagged"] == {"yes": tagged, "no": len(works) - tagged}
    page = curator_client.get(reverse("references:work-list"), {"q": "blinatumomab"})
    assert sum(facets["year"].values()) == len(works) == page.context["page"].paginator.count
    assert facets["journal"] == {f"Journal {n}": 3 for n in range(4)}
    assert facets["finding"] == {
        f.label: Annotation.objects.filter(finding=f, state="accepted").count()
        for f in Finding.objects.filter(annotations__isnull=False).distinct()
    }


def facet_table(response) -> dict[str, dict[str, int]]:
    return {name: {v.value: v.count for v in values} for name, _, values in response.context["facets"]}


def test_facet_counts_are_reused_until_the_index_changes(curator_client, django_capture_on_commit_callbacks):
    works = library(6)
    url = reverse("references:work-list")
    with CaptureQueriesContext(connection) as first:
        counted = curator_client.get(url, {"q": "blinatumomab", **NOW})
    assert any("GROUPING SETS" in query["sql"] for query in first.captured_queries)
    with CaptureQueriesContext(connection) as again:
        resorted = curator_client.get(url, {"q": "blinatumomab", "sort": "title"})
    assert facet_table(resorted) == facet_table(counted)
    assert not any("GROUPING SETS" in query["sql"] for query in again.captured_queries)  # not counted again
    untagged = next(work for work in works if not work.annotations.exists())
    with django_capture_on_commit_callbacks(execute=True):
        Annotation.objects.create(work=untagged, finding=Finding.objects.get(label="MRD"))
    after = facet_table(curator_client.get(url, {"q": "blinatumomab", "sort": "title", **NOW}))
    assert after["tagged"]["yes"] == facet_table(counted)["tagged"]["yes"] + 1
    assert after["finding"]["MRD"] == facet_table(counted)["finding"].get("MRD", 0) + 1


def test_another_selection_is_counted_afresh(curator_client):
    library(8)
    url = reverse("references:work-list")
    everything = curator_client.get(url).context["page"].paginator.count
    one_journal = curator_client.get(url, {"journal": "Journal 1"}).context["page"].paginator.count
    assert (everything, one_journal) == (8, 2)


def test_a_renamed_finding_is_not_shown_under_its_old_label(
    curator_client, django_capture_on_commit_callbacks
):
    library(6)
    url = reverse("references:work-list")
    finding = Finding.objects.filter(annotations__state="accepted").first()
    assert finding.label in facet_table(curator_client.get(url, NOW))["finding"]
    with django_capture_on_commit_callbacks(execute=True):
        old_label, finding.label = finding.label, "Renamed"
        finding.save()
    findings = facet_table(curator_client.get(url, NOW))["finding"]
    assert "Renamed" in findings and old_label not in findings


def listed(response) -> list[int]:
    return [work.pk for work in response.context["page"].object_list]


def test_paging_through_a_search_seen_before_searches_no_more(curator_client):
    library(60)
    url = reverse("references:work-list")
    curator_client.get(reverse("curation:vocabulary"))  # the user's permissions are read once, then kept
    with CaptureQueriesContext(connection) as first:
        page_one = listed(curator_client.get(url, {"q": "blinatumomab", "sort": "title"}))
    searched = len(first)  # now: the next request starts a new log of queries
    curator_client.get(url, {"q": "blinatumomab", "sort": "title"}, **FACETS)  # the facets follow
    with CaptureQueriesContext(connection) as later:
        page_three = curator_client.get(url, {"q": "blinatumomab", "sort": "title", "page": "3"})
    assert len(later) == searched - 2  # neither counted nor searched again, and the facets are in the cache
    with CaptureQueriesContext(connection) as back:
        assert listed(curator_client.get(url, {"q": "blinatumomab", "sort": "title"})) == page_one
    assert len(back) == searched - 4  # nor its works' counts and snippets read again
    assert facet_table(page_three)["tagged"]
    page_three = listed(page_three)
    by_title = list(Work.objects.order_by("title", "pk").values_list("pk", flat=True))
    assert (page_one, page_three) == (by_title[:25], by_title[50:])


def test_pages_past_the_cached_ones_are_read_directly(curator_client, monkeypatch):
    from references.search import browse

    monkeypatch.setattr(browse, "FIRST_PAGES", 1)
    library(30)
    response = curator_client.get(reverse("references:work-list"), {"sort": "oldest", "page": "2"})
    oldest = list(Work.objects.order_by("year", "title", "pk").values_list("pk", flat=True))
    assert listed(response) == oldest[25:]
