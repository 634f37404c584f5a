"""The list page at scale: results and count first, the facets after (htmx, or in the page without
JavaScript), and cached counts that survive a worker's changes for a bounded time, saying so."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from config.celery import app as celery_app
from curation.models import Annotation, Finding
from references.models import IndexedWork, SourceDocument, Work
from references.search import indexing
from tests.helpers import signed_in

pytestmark = pytest.mark.django_db

URL = reverse("references:work-list")
FACETS = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "facets"}
COUNTING = "GROUPING SETS"  # what the facets' query says, and no other


@pytest.fixture
def client(client, django_user_model):
    return signed_in(client, django_user_model)


@pytest.fixture
def works(db) -> list[Work]:
    made = []
    for n in range(12):
        work = Work.objects.create(
            title=f"Blinatumomab after relapse {n}" if n % 3 else f"Chemotherapy in children {n}",
            abstract="Relapse after chemotherapy. " * 3,
            year=2010 + n % 4,
            container_title="Blood" if n % 2 else "Leukemia",
        )
        SourceDocument.objects.create(
            work=work, file_name=f"{n}.txt", sha256=f"{n:064d}", size=1, raw_text="x"
        )
        made.append(work)
    indexing.rebuild()
    return made


def counted(queries: CaptureQueriesContext) -> bool:
    return any(COUNTING in query["sql"] for query in queries.captured_queries)


def facet_values(response, name: str) -> dict[str, int]:
    return {v.value: v.count for n, _, values in response.context["facets"] if n == name for v in values}


def test_the_first_view_shows_results_and_count_and_leaves_the_facets_to_follow(client, works):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, {"q": "blinatumomab"})
    assert not counted(queries)
    assert response.context["page"].paginator.count == 8
    assert len(response.context["page"].object_list) == 8
    assert response.context["facets"] is None
    html = response.text
    placeholder = re.search(r'<aside class="facets" id="facets"[^>]*hx-get="([^"]+)"', html)
    assert placeholder and "q=blinatumomab" in placeholder.group(1)
    assert 'hx-trigger="load"' in html and "Counting the facets" in html
    # Without JavaScript, the page asks for itself again with the facets in it.
    assert re.search(
        r'<noscript><meta http-equiv="refresh" content="0; url=/\?q=blinatumomab&amp;counts=now">', html
    )


def test_the_facets_follow_in_place_and_are_kept_for_the_next_view(client, works):
    client.get(URL, {"q": "blinatumomab"})
    with CaptureQueriesContext(connection) as queries:
        facets = client.get(URL, {"q": "blinatumomab"}, **FACETS)
    assert counted(queries)
    assert facets.templates[0].name == "references/partials/_facets.html"
    assert facet_values(facets, "journal") == {"Blood": 4, "Leukemia": 4}
    assert (
        facets.text.lstrip().startswith('<aside class="facets" id="facets"') and "hx-get" not in facets.text
    )
    with CaptureQueriesContext(connection) as queries:
        again = client.get(URL, {"q": "blinatumomab", "page": "1"})
    assert not counted(queries)
    assert facet_values(again, "journal") == {"Blood": 4, "Leukemia": 4}
    assert 'id="facet-journal"' in again.text and "Counting the facets" not in again.text


def test_without_javascript_the_page_shows_both(client, works):
    response = client.get(URL, {"q": "blinatumomab", "counts": "now"})
    assert response.context["page"].paginator.count == 8
    assert facet_values(response, "year") == {"2013": 2, "2012": 2, "2011": 2, "2010": 2}
    assert "Counting the facets" not in response.text
    link = next(v.href for n, _, values in response.context["facets"] if n == "journal" for v in values)
    assert "counts=now" in link  # and it stays so while narrowing


def tag(work: Work, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        Annotation.objects.create(work=work, finding=Finding.objects.get(label="relapse"))


def test_a_change_from_a_request_is_counted_at_once(client, works, django_capture_on_commit_callbacks):
    assert facet_values(client.get(URL, {"counts": "now"}), "tagged") == {"no": 12}
    tag(works[0], django_capture_on_commit_callbacks)
    response = client.get(URL)
    assert response.context["facets"] is None  # the counts made before are not used
    assert response.context["as_of"] is None and "as of" not in response.text
    assert facet_values(client.get(URL, **FACETS), "tagged") == {"yes": 1, "no": 11}


def worker_change(work: Work, state: str, django_capture_on_commit_callbacks) -> None:
    """A work's index row changed by a Celery worker (an enrichment): the change count moves on."""
    before = indexing.state()
    with django_capture_on_commit_callbacks(execute=True):
        Work.objects.filter(pk=work.pk).update(enrichment_state=state)
        refresh_in_a_task.apply(args=[work.pk])
    assert indexing.state() == (before[0], before[1] + 1)


@celery_app.task
def refresh_in_a_task(work_id: int) -> None:
    indexing.refresh([work_id], text=False)


def test_a_workers_change_leaves_counts_in_use_for_a_while_saying_since_when(
    client, works, settings, django_capture_on_commit_callbacks
):
    settings.FACETS_STALE_SECONDS = 3600
    client.get(URL, {"counts": "now"})
    worker_change(works[0], "failed", django_capture_on_commit_callbacks)
    assert IndexedWork.objects.filter(state="failed").count() == 1
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL)
    assert not counted(queries)
    assert "failed" not in facet_values(response, "state")  # counted before the change
    as_of = response.context["as_of"]
    assert as_of is not None
    shown = re.search(r"Counts as of (\d\d:\d\d:\d\d): the library has changed since", response.text)
    assert shown and shown.group(1) == as_of.strftime("%H:%M:%S")  # the site's time zone is UTC
    assert f"(as of {shown.group(1)})" in response.text


def test_past_the_bound_a_workers_change_is_counted(
    client, works, settings, django_capture_on_commit_callbacks
):
    settings.FACETS_STALE_SECONDS = 0
    client.get(URL, {"counts": "now"})
    worker_change(works[0], "failed", django_capture_on_commit_callbacks)
    response = client.get(URL, {"counts": "now"})
    assert facet_values(response, "state")["failed"] == 1
    assert response.context["as_of"] is None


def test_a_request_only_refreshes_the_generation(works, django_capture_on_commit_callbacks):
    before = indexing.state()
    with django_capture_on_commit_callbacks(execute=True):
        indexing.refresh([works[0].pk], text=False)
    assert indexing.state() == (before[0] + 1, before[1])
