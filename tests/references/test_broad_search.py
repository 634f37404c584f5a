"""A search in order of relevance: every match ranked when it is selective; when broad (more than BROAD
matches), its first pages rank its newest matches and the older ones follow, newest first. The count is
exact either way, and the page costs the same number of queries."""

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from references.forms import WorkFilterForm
from references.models import SourceDocument, Work
from references.search import browse, indexing
from tests.helpers import signed_in

pytestmark = pytest.mark.django_db

URL = reverse("references:work-list")


@pytest.fixture
def works(db) -> list[Work]:
    """Eight works about relapse, of 2010 to 2017, whose titles say it once (even years) or not at all; and
    two that do not match."""
    made = []
    for n in range(8):
        title = f"Relapse in infants {n}" if n % 2 == 0 else f"Outcomes in infants {n}"
        made.append(_work(title, "Relapse after chemotherapy.", 2010 + n))
    made += [_work("Vincristine dosing", "Neuropathy.", 2019), _work("Asparaginase", "Allergy.", 2018)]
    indexing.rebuild()
    return made


def _work(title: str, abstract: str, year: int) -> Work:
    work = Work.objects.create(title=title, abstract=abstract, year=year)
    SourceDocument.objects.create(
        work=work, file_name=f"{work.pk}.txt", sha256=f"{work.pk:064d}", size=1, raw_text="x"
    )
    return work


def form(query: str) -> WorkFilterForm:
    form = WorkFilterForm(QueryDict(query))
    assert form.is_valid()
    return form


def selection(text: str):
    return form(f"q={text}").selection()


def ranking(text: str) -> browse.Ranking:
    return form(f"q={text}").ranking()


def test_a_selective_search_ranks_every_match(works):
    pages = browse._ranked(ranking("relapse"), limit=5)
    assert pages.total == 8 and not pages.broad
    # Titles that match first (newest first among equal ranks), then the others, newest first.
    assert pages.ids == [works[n].pk for n in (6, 4, 2, 0, 7)]
    assert pages.ids == list(selection("relapse").values_list("pk", flat=True)[:5])


def test_a_broad_search_ranks_its_newest_matches_and_counts_them_all(works, monkeypatch):
    monkeypatch.setattr(browse, "BROAD", 5)
    pages = browse._ranked(ranking("relapse"), limit=4)
    assert pages.total == 8 and pages.broad
    # The four newest matches (2017 to 2014), those whose title matches first: not the oldest title match.
    assert pages.ids == [works[n].pk for n in (6, 4, 7, 5)]


def test_after_a_broad_searchs_first_pages_the_older_matches_follow_newest_first(works, monkeypatch):
    monkeypatch.setattr(browse, "BROAD", 5)
    monkeypatch.setattr(browse, "FIRST_PAGES", 1)
    chosen = selection("relapse")
    pages = browse._ranked(ranking("relapse"), limit=3)
    second = browse.page_ids(chosen, pages, number=2, size=3)
    third = browse.page_ids(chosen, pages, number=3, size=3)
    assert second == [works[n].pk for n in (4, 3, 2)]
    assert sorted(pages.ids + second + third) == sorted(w.pk for w in works[:8])  # each match once


def test_a_search_matching_nothing_counts_none(works):
    assert browse._ranked(ranking("blinatumomab"), limit=5) == browse.FirstPages([], 0)


def test_broad_and_selective_searches_cost_the_same_queries(client, django_user_model, works, monkeypatch):
    client = signed_in(client, django_user_model)
    client.get(URL)  # the user's permissions are read by the first request, then kept
    asked = []
    for broad in (100, 5):
        monkeypatch.setattr(browse, "BROAD", broad)
        indexing.next_generation()  # a first view: nothing cached
        with CaptureQueriesContext(connection) as queries:
            response = client.get(URL, {"q": "relapse"})
        assert response.context["page"].paginator.count == 8
        asked.append(len(queries))
    assert asked[0] == asked[1]


def test_a_search_finds_its_matches_through_the_text_index_and_leaves_other_statements_alone(
    client, django_user_model
):
    """PostgreSQL would read every stored vector for a broad search; a search's own statements are planned
    without sequential scans, and only they: the setting goes with the statement and ends with it."""
    client = signed_in(client, django_user_model)
    _work("Relapse in infants", "Relapse after chemotherapy.", 2015)
    indexing.rebuild()
    with CaptureQueriesContext(connection) as searched:
        response = client.get(URL, {"q": "relapse", "counts": "now"})
    with CaptureQueriesContext(connection) as listed:
        client.get(URL, {"counts": "now"})
    planned = [q["sql"] for q in searched if q["sql"].startswith("SET LOCAL enable_seqscan = off;")]
    assert response.context["page"].paginator.count == 1
    assert len(planned) == 2  # the results and their facets
    assert not [q for q in listed if "enable_seqscan" in q["sql"]]
    # Outside a transaction (as a request runs), the setting lasts for its one query.
    own = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with own.cursor() as cursor:
            cursor.execute(browse._searching("SHOW enable_seqscan", "relapse"))
            assert cursor.fetchone() == ("off",)
            cursor.execute("SHOW enable_seqscan")
            assert cursor.fetchone() == ("on",)
    finally:
        own.close()


def test_a_search_over_the_whole_library_reads_its_matches_from_the_text_index(works):
    """Even where a search matches every work and the planner knows it, its statement takes the matches from
    the full-text index, never by opening every stored vector (a sequential scan, or a walk of the key)."""
    for n in range(200):
        _work(f"Relapse {n}", "Relapse after chemotherapy, and leukemia.", 2000 + n % 20)
    indexing.rebuild()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE references_indexedwork, references_indexedtext")
    sql, params = selection("relaps*").order_by().values_list("pk", "year").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(browse._searching(f"EXPLAIN {sql}", "relaps*"), params)
        plan = [row[0].strip(" ->") for row in cursor.fetchall()]
    reading_vectors = [line.split(" on ")[0] for line in plan if " on references_indexedtext " in line]
    assert reading_vectors == ["Bitmap Heap Scan"], plan
    assert any(line.startswith("Bitmap Index Scan on indexedtext_document") for line in plan), plan


@pytest.mark.parametrize(
    "query",
    [
        "q=relapse",  # the sources: the text rows' copied flag
        "q=relapse&scope=all",  # every work, the cited ones too
        "q=relapse&year=2014",  # another filter: through the index rows it chooses
        "q=relapse&type=review&scope=all",
        "q=relapse%20-infants&scope=all",
    ],
)
def test_a_ranked_search_chooses_and_orders_the_works_its_selection_does(works, query):
    """The first pages read from the text rows alone are those of the selection in its own order, which
    filters and ranks through the index rows."""
    cited = Work.objects.create(title="Relapse in a cited study", abstract="Relapse.", year=2014)
    reviewed = Work.objects.create(
        title="Relapse reviewed", abstract="Relapse.", year=2013, work_type="review"
    )
    indexing.refresh([cited.pk, reviewed.pk])
    chosen = form(query)
    pages = browse._ranked(chosen.ranking(), limit=50)
    assert pages.ids == list(chosen.selection().values_list("pk", flat=True))
    assert pages.total == chosen.selection().count() > 0


def test_only_a_search_in_order_of_relevance_is_ranked(works):
    assert form("q=relapse&sort=newest").ranking() is None
    assert form("q=relapse").ranking().text == "relapse"
    assert form("q=").ranking() is None


@pytest.mark.parametrize("query", ["q=relaps*", "q=relaps*&scope=all"])
def test_a_ranked_search_over_the_whole_library_reads_its_matches_from_the_text_index(works, query):
    for n in range(200):
        _work(f"Relapse {n}", "Relapse after chemotherapy, and leukemia.", 2000 + n % 20)
    indexing.rebuild()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE references_indexedwork, references_indexedtext")
    sql, params = browse.ranked_statement(form(query).ranking(), limit=250)
    with connection.cursor() as cursor:
        cursor.execute(browse._searching(f"EXPLAIN {sql}", "relaps*"), params)
        plan = [row[0].strip(" ->") for row in cursor.fetchall()]
    reading_vectors = [line.split(" on ")[0] for line in plan if " on references_indexedtext " in line]
    assert reading_vectors == ["Bitmap Heap Scan"], plan
    assert not [line for line in plan if " on references_indexedwork " in line], plan
