"""The PubMed client against the local E-utilities server: batches, identity, limits, retries, <ERROR>."""

import time

import pytest

from references.pubmed.client import EFETCH_BATCH, PubMedError, read_record
from references.pubmed.enrichment import pubmed_client
from tests.pubmed.conftest import EMAIL

PMID = "30108519"  # pubmed6.xml
DOI = "10.3389/fphys.2018.01034"


def test_a_record_is_fetched_with_tool_and_email(ncbi):
    record = read_record(pubmed_client().fetch_raw([PMID])[PMID])
    assert record.doi == DOI and record.pmcid == "PMC6079548"
    assert record.abstract.startswith("Maximal Lactate Steady State")
    assert record.keywords[:1] == ["Owles' point"]
    (request,) = ncbi.requests
    assert request.tool == "efetch" and request.method == "POST"
    assert request.param("email") == EMAIL and request.param("tool") and not request.param("api_key")


def test_the_api_key_goes_with_every_request_when_set(ncbi, settings):
    settings.NCBI_API_KEY = "secret-key"
    pubmed_client().fetch_raw_by_doi([DOI])
    assert [r.tool for r in ncbi.requests] == ["esearch", "efetch"]
    assert {r.param("api_key") for r in ncbi.requests} == {"secret-key"}


def test_pmids_are_fetched_200_to_a_request(ncbi):
    pmids = ncbi.add_records(450)
    found = pubmed_client().fetch_raw(pmids)
    assert set(found) == set(pmids)
    assert [len(r.ids) for r in ncbi.requests] == [EFETCH_BATCH, EFETCH_BATCH, 50]


def test_dois_find_their_records_and_unknown_ones_are_left_out(ncbi):
    ncbi.add_record("90000001", doi="10.5555/leukemia.1")
    found = pubmed_client().fetch_raw_by_doi(["10.5555/LEUKEMIA.1", DOI, "10.5555/not-in-pubmed"])
    assert {doi: read_record(raw).pmid for doi, raw in found.items()} == {
        "10.5555/leukemia.1": "90000001",
        DOI: PMID,
    }
    search = ncbi.requests[0]
    assert '"10.5555/leukemia.1"[doi]' in search.param("term")


def test_an_answer_with_no_record_is_no_raw_record(ncbi):
    """As a group of PMIDs PubMed knows none of is fetched."""
    assert pubmed_client().fetch_raw(["1", "2"]) == {}
    assert len(ncbi.requests) == 1


@pytest.mark.parametrize("fault", ["500", "502", "503", "truncated"])
def test_server_errors_and_truncated_answers_are_retried(ncbi, fault):
    ncbi.inject(fault)
    assert PMID in pubmed_client().fetch_raw([PMID])
    assert [r.status for r in ncbi.requests] == [int(fault) if fault.isdigit() else 200, 200]


def test_a_timeout_is_retried(ncbi, settings):
    settings.NCBI_TIMEOUT = 0.3
    ncbi.slow_seconds = 1
    ncbi.inject("slow")
    assert PMID in pubmed_client().fetch_raw([PMID])
    assert len(ncbi.requests) == 2


def test_failures_past_the_limit_give_the_reason(ncbi):
    ncbi.inject("503", times=3)
    with pytest.raises(PubMedError, match=r"server error \(503\)") as raised:
        pubmed_client().fetch_raw([PMID])
    assert raised.value.retryable and len(ncbi.requests) == 3


def test_an_error_inside_a_200_answer_fails_at_once_with_its_text(ncbi):
    ncbi.inject("error", tool="efetch", message="Unable to obtain query #1")
    with pytest.raises(PubMedError, match="Unable to obtain query #1") as raised:
        pubmed_client().fetch_raw([PMID])
    assert not raised.value.retryable and len(ncbi.requests) == 1


def test_a_429_pauses_every_client_then_succeeds(ncbi):
    ncbi.inject("429")
    other = pubmed_client()
    started = time.monotonic()
    assert PMID in pubmed_client().fetch_raw([PMID])
    assert time.monotonic() - started >= 0.9
    assert other.throttle.redis.get(other.throttle.keys[3]) is not None, "the pause is shared through Redis"
    assert [r.status for r in ncbi.requests] == [429, 200]


@pytest.mark.parametrize(("api_key", "rate"), [("", 3), ("secret-key", 10)])
def test_the_shared_throttle_keeps_under_ncbis_limit(ncbi, settings, api_key, rate):
    settings.NCBI_API_KEY, settings.NCBI_RATE = api_key, rate
    pmids = ncbi.add_records(2 * rate + 1)
    client = pubmed_client()
    started = time.monotonic()
    for pmid in pmids:
        client.fetch_raw([pmid])
    assert ncbi.violations == 0
    assert time.monotonic() - started >= 2.0  # 2 * rate + 1 requests cannot fit in two seconds


def test_a_recorded_epost_error_is_read_as_an_error(ncbi):
    client = pubmed_client()
    with pytest.raises(PubMedError, match="Empty ID list; Nothing to store"):
        client._request("epost", {"db": "pubmed"})


def test_a_search_with_no_hits_is_not_an_error(ncbi):
    assert pubmed_client().pmids_for_dois(["10.5555/nothing"]) == []
