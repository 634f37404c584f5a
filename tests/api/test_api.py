"""The read-only JSON API: the same selection as the web list, full work records, and an OpenAPI schema."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.http import QueryDict
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from drf_spectacular.validation import validate_schema

from curation.models import Annotation, Finding
from references.forms import WorkFilterForm
from references.models import Citation, Work
from references.search import indexing
from tests.helpers import signed_in
from tests.references.test_seed_import import import_seeds

pytestmark = pytest.mark.django_db
# A signed-in request reads its session, its user, and (the first time) the user's and groups' permissions.
SIGNED_IN = 4


@pytest.fixture
def client(client, django_user_model):
    """Reading the library takes a role: these tests read as a researcher."""
    return signed_in(client, django_user_model)


LIST_URL = reverse("api:work-list")
FINDINGS_URL = reverse("api:finding-list")
SCHEMA_URL = reverse("api:schema")
CHAPTER_DOI = "10.1007/978-3-030-85147-7_6"
CASE_DOI = "10.15264/cpho.2024.31.1.10"
LANCET_DOI = "10.1016/s1470-2045(12)70580-6"
LIST_FIELDS = {
    "id",
    "url",
    "html_url",
    "doi",
    "pmid",
    "title",
    "work_type",
    "container_title",
    "year",
    "volume",
    "issue",
    "pages",
    "authors",
    "findings",
    "enrichment_state",
}
DETAIL_FIELDS = LIST_FIELDS | {
    "abstract",
    "keywords",
    "mesh_terms",
    "issns",
    "isbns",
    "publisher",
    "editors",
    "annotations",
    "citations",
    "cited_by_count",
}


def annotate(work: Work, label: str, state: str = Annotation.State.ACCEPTED, **fields) -> Annotation:
    return Annotation.objects.create(
        work=work, finding=Finding.objects.get(label=label), state=state, **fields
    )


@pytest.fixture
def works(seeds_dir) -> dict[str, Work]:
    """The five seed works, searchable, with findings: infant on three, HSCT on one, others not accepted."""
    import_seeds(seeds_dir)
    indexing.rebuild()
    by_doi = {work.doi: work for work in Work.objects.exclude(doi="")}
    chapter, case, lancet = by_doi[CHAPTER_DOI], by_doi[CASE_DOI], by_doi[LANCET_DOI]
    russian = by_doi["10.21682/2311-1267-2025-12-4-89-96"]
    for work in (chapter, case, russian):
        annotate(work, "infant")
    annotate(case, "HSCT", evidence="Post-Hematopoietic Stem Cell Transplantation", evidence_field="title")
    annotate(chapter, "relapse", Annotation.State.SUGGESTED, note="Check the second half.")
    annotate(chapter, "CAR-T", Annotation.State.REJECTED)
    annotate(lancet, "relapse", Annotation.State.REJECTED)
    return {"chapter": chapter, "case": case, "lancet": lancet, "russian": russian}


def api_ids(client, query: str) -> list[int]:
    response = client.get(f"{LIST_URL}?{query}")
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["results"]]


def form_ids(query: str) -> list[int]:
    form = WorkFilterForm(QueryDict(query))
    return list(form.filter(Work.objects.order_by("-year", "title", "pk")).values_list("pk", flat=True)[:25])


def test_list_shows_imported_sources_with_authors_and_findings(client, works):
    response = client.get(LIST_URL)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 5
    assert body["next"] is None
    items = {item["doi"]: item for item in body["results"]}
    assert set(items) == {work.doi for work in works.values()} | {"10.1007/s12098-023-04635-4"}
    case = items[CASE_DOI]
    assert set(case) == LIST_FIELDS
    assert case["findings"] == ["HSCT", "infant"]
    assert case["work_type"] == "case-report"
    assert case["year"] == 2024
    assert case["enrichment_state"] == "not-enriched"
    assert case["url"] == f"http://testserver/api/works/{works['case'].pk}/"
    assert case["html_url"] == f"http://testserver{works['case'].get_absolute_url()}"
    assert items[CHAPTER_DOI]["findings"] == ["infant"]  # suggested and rejected ones are not findings
    assert items[LANCET_DOI]["findings"] == []
    first_author = works["chapter"].authors.first()
    assert items[CHAPTER_DOI]["authors"][0] == {
        "family": first_author.family,
        "given": first_author.given,
        "orcid": first_author.orcid,
    }
    assert len(items[CHAPTER_DOI]["authors"]) == works["chapter"].authors.count()


@pytest.mark.parametrize(
    ("query", "expected_count"),
    [
        ("", 5),
        ("q=blinatumomab", 1),
        ("q=relapsed+leukaemia", 1),
        ("finding=infant", 3),
        ("finding=infant&finding=HSCT", 1),
        ("finding=relapse", 0),
        ("year=2024", 2),
        ("type=review", 2),
        ("type=review&year=2013", 1),
        ("doi=10.1007/S12098-023-04635-4", 1),
        ("doi=https://doi.org/10.15264/cpho.2024.31.1.10", 1),
        ("scope=sources", 5),
        ("scope=all", None),
        ("scope=all&year=2024", None),
        ("type=&year=&q=&doi=&scope=&page=", 5),
    ],
)
def test_filters_select_what_the_web_list_selects(client, works, query, expected_count):
    ids = api_ids(client, query)
    assert ids == form_ids(query)
    web = client.get(reverse("references:work-list") + f"?{query}")
    assert ids == [work.pk for work in web.context["page"].object_list]
    if expected_count is not None:
        assert len(ids) == expected_count


def test_reading_takes_a_role_unless_the_library_is_published(client, reader, works, settings):
    urls = [LIST_URL, reverse("api:work-detail", args=[works["case"].pk]), FINDINGS_URL]
    member_sees = [client.get(url).json() for url in urls]
    no_group = Client()
    no_group.force_login(reader)
    assert [Client().get(url).status_code for url in urls] == [401] * 3
    assert [no_group.get(url).status_code for url in urls] == [403] * 3
    settings.PUBLIC_READ = True
    assert [Client().get(url).json() for url in urls] == member_sees
    assert [no_group.get(url).json() for url in urls] == member_sees


def test_scope_all_adds_works_known_only_from_citations(client, works):
    cited = Work.objects.create(title="A work only cited", year=2019)
    assert cited.pk in api_ids(client, "scope=all")
    assert cited.pk not in api_ids(client, "")
    assert cited.pk not in api_ids(client, "scope=sources")


def test_search_ranks_the_best_match_first(client, works):
    ids = api_ids(client, "q=blinatumomab+curative")
    assert ids[0] == works["case"].pk


def test_merged_works_are_neither_listed_nor_shown(client, works):
    works["lancet"].merged_into = works["chapter"]
    works["lancet"].save()
    assert works["lancet"].pk not in api_ids(client, "scope=all")
    assert client.get(reverse("api:work-detail", args=[works["lancet"].pk])).status_code == 404


def test_detail_has_authors_editors_annotations_and_citations(client, works):
    chapter = works["chapter"]
    chapter.citations.filter(position=1).update(
        cited_work=works["lancet"], match_state=Citation.MatchState.MATCHED
    )
    chapter.citations.filter(position=2).update(cited_work=None, match_state=Citation.MatchState.UNMATCHED)

    response = client.get(reverse("api:work-detail", args=[chapter.pk]))
    assert response.status_code == 200
    body = response.json()
    assert set(body) == DETAIL_FIELDS
    assert body["title"].startswith("Acute Lymphoblastic Leukemia in Infants")
    assert body["work_type"] == "book-chapter"
    assert [a["family"] for a in body["authors"]] == list(chapter.authors.values_list("family", flat=True))
    assert body["editors"]
    assert [e["family"] for e in body["editors"]] == list(chapter.editors.values_list("family", flat=True))
    assert body["isbns"] == chapter.isbns
    assert body["findings"] == ["infant"]
    states = {(a["finding"], a["state"]) for a in body["annotations"]}
    assert states == {("infant", "accepted"), ("relapse", "suggested")}
    suggested = next(a for a in body["annotations"] if a["state"] == "suggested")
    assert suggested["note"] == "Check the second half."
    assert set(suggested) == {
        "id",
        "finding",
        "state",
        "evidence",
        "evidence_field",
        "evidence_start",
        "evidence_end",
        "note",
        "created_at",
    }
    assert len(body["citations"]) == 75
    first, second = body["citations"][:2]
    assert first["position"] == 1
    assert first["raw"].startswith("Howlander N, Noone AM")
    assert first["match_state"] == "matched"
    assert first["cited_work"] == works["lancet"].pk
    assert first["cited_work_url"] == f"http://testserver/api/works/{works['lancet'].pk}/"
    assert second["cited_work"] is None
    assert second["cited_work_url"] is None
    assert body["cited_by_count"] == 0

    lancet = client.get(first["cited_work_url"]).json()
    assert lancet["cited_by_count"] == 1
    assert lancet["annotations"] == []  # its only annotation was rejected
    assert lancet["mesh_terms"] == works["lancet"].mesh_terms


def test_detail_shows_the_evidence_of_an_annotation(client, works):
    body = client.get(reverse("api:work-detail", args=[works["case"].pk])).json()
    hsct = next(a for a in body["annotations"] if a["finding"] == "HSCT")
    assert hsct["evidence"] == "Post-Hematopoietic Stem Cell Transplantation"
    assert hsct["evidence_field"] == "title"
    assert hsct["evidence_start"] is None


def test_detail_shows_a_cited_work_that_is_no_source(client):
    cited = Work.objects.create(title="A work only cited", year=2019)
    assert client.get(reverse("api:work-detail", args=[cited.pk])).json()["title"] == "A work only cited"


@pytest.mark.parametrize("pk", ["999999", "abc", "1.5", "-3", "99999999999999999999999"])
def test_unknown_work_is_a_json_404(client, pk):
    response = client.get(f"{LIST_URL}{pk}/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writes_are_not_allowed(client, admin_user, works, method):
    client.force_login(admin_user)
    for url in (LIST_URL, reverse("api:work-detail", args=[works["case"].pk]), FINDINGS_URL):
        response = getattr(client, method)(url, {"title": "changed"}, content_type="application/json")
        assert response.status_code == 405, url
        assert "GET" in response["Allow"]
    assert Work.objects.get(pk=works["case"].pk).title != "changed"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("year=abc", "year"),
        ("year=99", "year"),
        ("finding=no-such-finding", "finding"),
        ("finding=infant&finding=nope", "finding"),
        ("doi=findings", "doi"),
        ("type=poem", "type"),
        ("scope=everything", "scope"),
        ("q=" + "x" * 501, "q"),
        ("q=a%00b", "q"),
    ],
)
def test_invalid_filters_are_a_400_with_the_form_errors(client, query, field):
    response = client.get(f"{LIST_URL}?{query}")
    assert response.status_code == 400
    errors = response.json()
    assert list(errors) == [field]
    assert errors[field] == WorkFilterForm(QueryDict(query)).errors[field]


def test_list_is_paginated_by_25(client):
    Work.objects.bulk_create(Work(title=f"Work {n:02}", year=2000) for n in range(30))
    first = client.get(LIST_URL, {"scope": "all"}).json()
    assert first["count"] == 30
    assert len(first["results"]) == 25
    assert first["previous"] is None
    second = client.get(first["next"]).json()
    assert [item["title"] for item in second["results"]] == [f"Work {n:02}" for n in range(25, 30)]
    assert second["next"] is None
    assert client.get(LIST_URL, {"scope": "all", "page": 3}).status_code == 404
    assert client.get(LIST_URL, {"scope": "all", "page": "last"}).json()["results"] == second["results"]


def _list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST_URL, {"scope": "all"})
    assert response.status_code == 200
    return len(queries)


def test_list_queries_do_not_grow_with_the_page(client, works, django_assert_max_num_queries):
    client.get(LIST_URL, {"scope": "all"})  # the first request reads the user's permissions, then kept
    with django_assert_max_num_queries(5 + SIGNED_IN):  # vocabulary, count, page, authors, findings
        few = _list_queries(client)
    for n in range(25):
        work = Work.objects.create(title=f"Work {n}", year=2100)  # newest first: they fill page 1
        work.contributors.create(position=1, family=f"Author{n}")
        annotate(work, "MRD")
    assert client.get(LIST_URL, {"scope": "all"}).json()["results"][0]["year"] == 2100  # the page did change
    assert _list_queries(client) == few


def test_detail_queries_do_not_grow_with_the_work(client, works, django_assert_max_num_queries):
    with django_assert_max_num_queries(4 + SIGNED_IN):  # work, contributors, annotations, citations
        client.get(reverse("api:work-detail", args=[works["chapter"].pk]))


def test_findings_list_the_vocabulary_with_work_counts(client, works):
    response = client.get(FINDINGS_URL)
    assert response.status_code == 200
    findings = {finding["label"]: finding for finding in response.json()}  # a plain list: not paginated
    assert set(findings) == set(Finding.objects.values_list("label", flat=True))
    infant = findings["infant"]
    assert set(infant) == {"label", "category", "description", "synonyms", "work_count"}
    assert infant["category"] == "population"
    assert infant["work_count"] == 3
    assert findings["HSCT"]["work_count"] == 1
    assert findings["relapse"]["work_count"] == 0  # suggested and rejected only
    for label in ("infant", "HSCT", "relapse"):
        assert findings[label]["work_count"] == len(api_ids(client, f"scope=all&finding={label}"))


def test_findings_do_not_count_merged_works(client, works):
    works["case"].merged_into = works["chapter"]
    works["case"].save()
    findings = {finding["label"]: finding for finding in client.get(FINDINGS_URL).json()}
    assert findings["infant"]["work_count"] == 2
    assert findings["HSCT"]["work_count"] == 0


def test_schema_is_valid_openapi_and_documents_the_form(client, works):
    response = client.get(SCHEMA_URL, {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    validate_schema(schema)
    assert set(schema["paths"]) == {"/api/works/", "/api/works/{id}/", "/api/findings/"}
    for operations in schema["paths"].values():
        assert set(operations) == {"get"}
    work_list = schema["paths"]["/api/works/"]["get"]
    parameters = {parameter["name"]: parameter for parameter in work_list["parameters"]}
    assert set(parameters) == {*WorkFilterForm().fields, "page"}
    assert set(parameters["finding"]["schema"]["items"]["enum"]) == set(
        Finding.objects.values_list("label", flat=True)
    )
    assert parameters["finding"]["explode"] is True
    assert parameters["year"]["schema"] == {"type": "integer", "minimum": 1000, "maximum": 2999}
    assert set(parameters["scope"]["schema"]["enum"]) == {"sources", "all"}
    assert "" not in parameters["type"]["schema"]["enum"]
    blank_ok = {name for name, parameter in parameters.items() if parameter.get("allowEmptyValue")}
    assert blank_ok == {*WorkFilterForm().fields, "page"}  # blank means no filter, as in a browser's form
    assert set(work_list["responses"]) == {"200", "400", "401", "403", "404"}
    assert set(schema["paths"]["/api/works/{id}/"]["get"]["responses"]) == {"200", "401", "403", "404"}


@pytest.mark.parametrize("name", ["api:docs", "api:redoc"])
def test_documentation_pages_use_local_assets(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    html = response.text
    for cdn in ("cdn", "jsdelivr", "unpkg"):
        assert cdn not in html.lower()
    assets = re.findall(r'(?:src|href)="/static/([^"]+)"', html)
    assert any(asset.endswith(".js") for asset in assets)
    for asset in assets:
        assert finders.find(asset), asset
    # Swagger UI's setup script has a URL of its own (the Content-Security-Policy allows no inline script).
    setup = "".join(client.get(src).text for src in re.findall(r'<script src="(/api/[^"]+)"', html))
    assert reverse("api:schema") in html + setup
