"""The Crossref client, through real habanero, against the local Crossref server."""

import uuid

import pytest

from references.crossref.client import SINGLE, CrossrefError, NotFound
from references.enrichment_item import crossref_client

MAILTO = "curators@example.org"
PLOS = "10.1371/journal.pone.0033693"
SICI = "10.1002/1096-9861(20010212)430:3<283::aid-cne1031>3.0.co;2-v"


@pytest.fixture
def crossref(settings, crossref_server):
    """Settings pointing at the local server, with Redis keys (throttle, cache) of this test's own."""
    settings.CROSSREF_BASE_URL = crossref_server.url
    settings.CROSSREF_MAILTO = MAILTO
    settings.CROSSREF_REDIS_PREFIX = f"test-client-{uuid.uuid4().hex}"
    return crossref_server


def test_a_recorded_work_is_read_with_the_mailto_in_the_user_agent(crossref):
    message = crossref_client().work(PLOS)
    assert message["DOI"] == PLOS
    assert message["title"][0].startswith("Methylphenidate Exposure")
    assert f"mailto:{MAILTO}" in crossref.requests[0].user_agent


def test_a_doi_with_reserved_characters_is_percent_encoded(crossref):
    message = crossref_client().work(SICI)
    assert message["DOI"].lower() == SICI
    raw_path = crossref.requests[0].raw_path
    assert "%3C" in raw_path and "%3B" in raw_path and "%2F" in raw_path


@pytest.mark.parametrize("doi", ["10.5555/a#b", "10.5555/what?x=1", "10.5555/semi;colon<less>"])
def test_dois_that_would_break_the_path_are_fetched(crossref, doi):
    crossref.add_work(doi)
    assert crossref_client().work(doi)["DOI"] == doi
    assert crossref.hits(doi) == 1


def test_an_alias_doi_follows_the_301(crossref):
    message = crossref_client().work("10.26434/chemrxiv.5406907")
    assert message["DOI"] == "10.26434/chemrxiv.5406907.v5"
    assert [r.status for r in crossref.requests] == [301, 200]


def test_an_unknown_doi_is_not_found_at_once(crossref):
    with pytest.raises(NotFound, match="no record"):
        crossref_client().work("10.1371/notarealdoi")
    assert len(crossref.requests) == 1


def test_a_429_waits_for_retry_after_then_succeeds(crossref):
    crossref.inject("429", retry_after=1)
    assert crossref_client().work(PLOS)["DOI"] == PLOS
    first, second = crossref.requests
    assert first.status == 429 and second.status == 200
    assert second.started - first.ended >= 0.95


@pytest.mark.parametrize("fault", ["500", "503", "504", "truncated", "slow"])
def test_transient_failures_are_retried(crossref, settings, fault):
    settings.CROSSREF_TIMEOUT = 0.5
    crossref.slow_seconds = 2
    crossref.inject(fault)
    assert crossref_client().work(PLOS)["DOI"] == PLOS
    assert len(crossref.requests) == 2


def test_tries_are_bounded_and_the_reason_is_kept(crossref, settings):
    crossref.inject("503", times=10)
    with pytest.raises(CrossrefError, match=r"server error \(503\)"):
        crossref_client().work(PLOS)
    assert len(crossref.requests) == settings.CROSSREF_MAX_TRIES


def test_every_attempt_is_reported_with_its_failure(crossref):
    attempts = []
    crossref.inject("500", times=2)
    crossref_client(on_attempt=attempts.append).work(PLOS)
    assert [a.failed for a in attempts] == [True, True, False]


def test_a_fresh_answer_is_cached(crossref):
    crossref_client().work(PLOS)
    crossref_client().work(PLOS)
    assert crossref.hits(PLOS) == 1


def test_a_lower_announced_limit_slows_every_process(crossref):
    crossref.announce = {"x-rate-limit-limit": "2", "x-concurrency-limit": "1"}
    crossref.inject("429")
    client = crossref_client()
    client.work(PLOS)
    assert client.throttles[SINGLE].effective().rate <= 2
    assert crossref_client().throttles[SINGLE].effective().concurrency == 1


def test_search_returns_scored_candidates(crossref):
    crossref.search = lambda query, rows: [{"DOI": "10.5555/x", "score": 42.0, "title": [query]}][:rows]
    items = crossref_client().search("Pieters R. Interfant-99. Lancet 2007", rows=5)
    assert items == [{"DOI": "10.5555/x", "score": 42.0, "title": ["Pieters R. Interfant-99. Lancet 2007"]}]
    assert crossref.requests[0].query["query.bibliographic"] == ["Pieters R. Interfant-99. Lancet 2007"]
