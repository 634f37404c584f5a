"""Schemathesis against the live schema: no request the schema allows gets a 500 or a response it doesn't describe.

The WSGI application runs in the test's thread, on the test's database connection and transaction.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode

from accounts.models import ApiToken
from config.wsgi import application
from curation.models import Annotation, Finding
from references.models import Work
from references.search import indexing
from tests.helpers import member
from tests.references.test_seed_import import import_seeds

pytestmark = pytest.mark.django_db

OPERATIONS = {"/api/works/", "/api/works/{id}/", "/api/findings/"}


@pytest.fixture
def api_data(seeds_dir) -> list[Work]:
    """The seed works, searchable, with accepted and suggested findings, one merged and one only cited."""
    import_seeds(seeds_dir)
    indexing.rebuild()
    works = list(Work.objects.order_by("pk"))
    labels = ["infant", "HSCT", "KMT2A-r", "infant", "relapse"]
    for work, label, suggested in zip(works, labels, labels[1:] + labels[:1], strict=False):
        Annotation.objects.create(
            work=work,
            finding=Finding.objects.get(label=label),
            evidence="From the abstract.",
            evidence_start=0,
            evidence_end=18,
        )
        Annotation.objects.create(
            work=work, finding=Finding.objects.get(label=suggested), state=Annotation.State.SUGGESTED
        )
    Work.objects.create(title="A work only cited", year=2001)
    Work.objects.create(title="A duplicate", merged_into=works[0])
    return list(Work.objects.active())


@pytest.fixture
def in_process_requests():
    """Keep the test's connection open across requests, as Django's test client does for each request.

    Otherwise the handler's close_old_connections() would close it mid-transaction at every request.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(api_data, in_process_requests, django_user_model):
    """The schema, read as a researcher's script reads the API: with a personal token (schemathesis also
    checks that a request without it is refused)."""
    _, token = ApiToken.objects.issue(member(django_user_model, "script", "researcher"), "schemathesis")
    authorization = {"Authorization": f"Bearer {token}"}
    loaded = schemathesis.openapi.from_wsgi("/api/schema/", application, headers=authorization)
    loaded.config.update(headers=authorization)
    assert set(loaded.raw_schema["paths"]) == OPERATIONS
    return loaded


def sent_as_generated(case) -> bool:
    """Whether the query string carries the case's values: an object or a list for a single-valued parameter
    is sent as nothing, or repeated (Django takes the last value), and an invalid case may arrive valid.
    """
    scalar = (str, int, float, bool)
    return all(
        isinstance(value, scalar) or (name == "finding" and all(isinstance(item, scalar) for item in value))
        for name, value in (case.query or {}).items()
    )


@pytest.mark.parametrize(
    ("path", "mode"),
    [
        ("/api/works/", GenerationMode.POSITIVE),
        ("/api/works/", GenerationMode.NEGATIVE),
        ("/api/works/{id}/", GenerationMode.POSITIVE),
        ("/api/findings/", GenerationMode.POSITIVE),
    ],
)
def test_generated_requests_conform_to_the_schema(api_schema, path, mode):
    """Positive data must be accepted; negative data (a bad year, an unknown finding...) must be refused.

    Only the list has parameters worth breaking: the others have none, or an id whose every value is a 404.

    schemathesis.pytest.from_fixture would do this per operation, but it fails on pytest 9 (it sets
    `request.node._nodeid`), hence Hypothesis driven by hand.
    """

    @given(case=api_schema[path]["GET"].as_strategy(generation_mode=mode).filter(sent_as_generated))
    @settings(
        max_examples=30,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    def check(case) -> None:
        case.call_and_validate()

    check()


def test_every_work_and_every_finding_filter_conforms_to_the_schema(api_schema, api_data):
    """Generated ids rarely hit a work; these requests show every real record and filter."""
    token = api_schema.config.headers_for()  # the generated cases carry it; cases made by hand are given it
    detail = api_schema["/api/works/{id}/"]["GET"]
    for work in api_data:
        response = detail.Case(path_parameters={"id": work.pk}).call_and_validate(headers=token)
        assert response.status_code == 200
    work_list = api_schema["/api/works/"]["GET"]
    for label in Finding.objects.values_list("label", flat=True):
        response = work_list.Case(query={"finding": [label], "scope": "all"}).call_and_validate(headers=token)
        assert response.status_code == 200
