"""PubMed's half of a batch fetches works in groups: one efetch for a group's PMIDs, one esearch and efetch for
its DOIs, several groups at once within NCBI's limit; a group NCBI fails fails each of its works with the
reason; a claim a dead process held lapses and its group is fetched by another. Called as the task calls it."""

import time
import uuid
from dataclasses import replace

import pytest

from references.enrichment import resume_batch, start_enrichment
from references.models import EnrichmentBatch, Work
from references.pubmed.client import PubMedError
from references.pubmed.enrichment import batch_records, group_store, pubmed_client
from references.pubmed.groups import DOI, PMID, BatchRecords, GroupStore, grouped, key_for, split_key
from references.refparse.formats.pubmed_xml import parse_pubmed_xml
from tests.fakencbi import FakeNCBI
from tests.helpers import run_pending

pytestmark = pytest.mark.django_db


def test_a_batch_fetches_its_works_a_group_at_a_time(settings, ncbi, crossref):
    settings.NCBI_GROUP_SIZE = 5
    pmids = ncbi.add_records(18, first_pmid=93_000_001)
    for pmid in pmids:
        crossref.add_work(f"10.5555/pubmed.{pmid}", publisher="Grouped Press")
    by_pmid = [Work.objects.create(pmid=pmid, title="") for pmid in pmids[:12]]
    by_doi = [Work.objects.create(doi=f"10.5555/pubmed.{pmid}", title=f"W {pmid}") for pmid in pmids[12:]]
    batch = run_pending(start_enrichment(works=by_pmid + by_doi, origin=EnrichmentBatch.Origin.COMMAND))

    assert batch.state == EnrichmentBatch.State.FINISHED
    assert set(batch.items.values_list("state", flat=True)) == {"done"}
    efetches = [r for r in ncbi.requests if r.tool == "efetch"]
    assert sorted(len(r.ids) for r in efetches) == [1, 2, 5, 5, 5], "12 PMIDs in 3 groups, 6 DOIs in 2"
    assert sum(1 for r in ncbi.requests if r.tool == "esearch") == 2
    assert [ncbi.fetched(pmid) for pmid in pmids] == [1] * 18
    filled = Work.objects.filter(pk__in=[w.pk for w in by_pmid + by_doi]).exclude(abstract="")
    assert filled.filter(publisher="Grouped Press").count() == 18
    assert ncbi.violations == 0
    assert group_store(batch.pk).count() == 0, "the finished batch's groups are gone from Redis"


def test_a_group_ncbi_fails_fails_each_of_its_works_with_the_reason(settings, ncbi, crossref):
    pmids = ncbi.add_records(3, first_pmid=93_100_001)
    works = [Work.objects.create(pmid=pmid, title="T") for pmid in pmids]
    ncbi.inject("500", times=settings.NCBI_MAX_TRIES)
    batch = run_pending(start_enrichment(works=works, origin=EnrichmentBatch.Origin.COMMAND))
    outcomes = list(batch.items.values_list("state", "outcome"))
    assert [state for state, _ in outcomes] == ["failed"] * 3
    assert all("PubMed failed: NCBI had a server error (500)." in outcome for _, outcome in outcomes)
    assert len(ncbi.requests) == settings.NCBI_MAX_TRIES, "the group's retries, not each work's"
    assert not Work.objects.exclude(abstract="").exists()


def test_an_error_inside_a_200_answer_fails_the_groups_works_with_its_text(settings, ncbi, crossref):
    pmids = ncbi.add_records(2, first_pmid=93_200_001)
    works = [Work.objects.create(pmid=pmid, title="T") for pmid in pmids]
    ncbi.inject("error", tool="efetch", message="Some IDs have invalid value")
    batch = run_pending(start_enrichment(works=works, origin=EnrichmentBatch.Origin.COMMAND))
    outcomes = list(batch.items.values_list("outcome", flat=True))
    assert all("NCBI reported an error: Some IDs have invalid value" in outcome for outcome in outcomes)
    assert len(ncbi.requests) == 1


def test_a_kept_record_reads_back_as_fetched(ncbi):
    pmid = ncbi.add_records(1, first_pmid=93_300_001)[0]
    key = key_for(pmid, "")
    store = group_store(1)
    store.plan([key, key_for("1", "")], 200)
    records = batch_records(1)
    answer = pubmed_client()._request("efetch", {"db": "pubmed", "id": pmid, "retmode": "xml"})
    kept, (fetched,) = records.record(key), parse_pubmed_xml(answer.decode()).references
    assert replace(kept, line=None) == replace(fetched, line=None)
    assert records.record(key_for("1", "")) is None, "no record, kept as such"
    assert ncbi.fetched(pmid) == 2, "once for the group, once by the test's own client"
    store.forget()


def test_a_groups_records_go_once_each_of_its_works_has_used_its_own(ncbi):
    keys = [key_for(pmid, "") for pmid in ncbi.add_records(3, first_pmid=93_900_001)]
    store = group_store(6)
    store.plan(keys, 200)
    records = batch_records(6)
    assert all(records.record(key) for key in keys)
    records.used(keys[0])
    records.used(keys[1])
    assert store.redis.hlen(store.records_key) == 3, "kept while a work has not taken its record"
    batch_records(6).used(keys[2])  # as another task's records, which did not read the key's group
    assert store.redis.hlen(store.records_key) == 0
    store.forget()


def test_a_dead_processs_claim_lapses_and_its_group_is_fetched_by_another(settings, ncbi, django_db_blocker):
    pmids = ncbi.add_records(3, first_pmid=93_400_001)
    keys = [key_for(pmid, "") for pmid in pmids]
    store = GroupStore(group_store(1).redis, settings.NCBI_REDIS_PREFIX, 2, lease_seconds=0.5)
    store.plan(keys, 200)
    assert store.claim(0, 0, 1, 1) == [0], "a process claims the group, then dies"
    records = BatchRecords(store, pubmed_client(), in_flight=2, ahead=5)
    started = time.monotonic()
    assert records.record(keys[1]).pmid == pmids[1]
    assert time.monotonic() - started >= 0.4, "it waited for the lease to lapse"
    assert [ncbi.fetched(pmid) for pmid in pmids] == [1, 1, 1]
    store.forget()


def test_several_groups_are_fetched_at_once_within_the_limit(settings):
    settings.NCBI_API_KEY, settings.NCBI_RATE = "test-key", 10
    settings.NCBI_REDIS_PREFIX = f"test-ncbi-{uuid.uuid4().hex}"
    # Server and client share this process's CPU here; the limit itself is tested with real workers (the
    # kill test), so a wider margin keeps thread scheduling from looking like a burst.
    settings.NCBI_RATE_MARGIN = 0.2
    with FakeNCBI(rate=3, key_rate=10, latency=(0.2, 0.4)) as server:
        settings.NCBI_BASE_URL = server.url
        pmids = server.add_records(40, first_pmid=93_500_001)
        store = group_store(3)
        store.plan([key_for(pmid, "") for pmid in pmids], 2)
        records = batch_records(3)
        started = time.monotonic()
        for pmid in pmids:
            assert records.record(key_for(pmid, "")).pmid == pmid
        seconds = time.monotonic() - started
        store.forget()
    assert len(server.requests) == 20 and server.violations == 0
    assert server.max_in_flight >= 5, "one group at a time would take 20 x 0.3 s"
    assert seconds < 4.5


def test_a_failed_group_is_an_error_for_each_key(settings, ncbi):
    pmids = ncbi.add_records(2, first_pmid=93_600_001)
    store = group_store(4)
    store.plan([key_for(pmid, "") for pmid in pmids], 200)
    ncbi.inject("503", times=settings.NCBI_MAX_TRIES)
    records = batch_records(4)
    for pmid in pmids:
        with pytest.raises(PubMedError, match="server error"):
            records.record(key_for(pmid, ""))
    assert len(ncbi.requests) == settings.NCBI_MAX_TRIES
    store.forget()


def test_ncbi_down_pauses_pubmeds_half_while_groups_are_in_flight(settings, ncbi, crossref):
    settings.NCBI_GROUP_SIZE, settings.NCBI_CONCURRENCY, settings.NCBI_MAX_TRIES = 2, 3, 2
    settings.NCBI_PAUSE_MIN_REQUESTS = 10
    pmids = ncbi.add_records(12, first_pmid=93_700_001)
    for pmid in pmids:
        crossref.add_work(f"10.5555/pubmed.{pmid}", publisher="Rolling Press")
    works = [Work.objects.create(doi=f"10.5555/pubmed.{pmid}", title=f"W {pmid}") for pmid in pmids]
    ncbi.inject("503", times=10)
    batch = run_pending(start_enrichment(works=works, origin=EnrichmentBatch.Origin.COMMAND))

    assert batch.pubmed_paused_at is not None and batch.state == EnrichmentBatch.State.PAUSED
    # Not counted against the batch: only what the threads had in flight when the pause stopped them.
    assert len(ncbi.requests) <= batch.pubmed_request_count + 2 * settings.NCBI_CONCURRENCY
    failed = batch.items.filter(state="failed")
    waiting = batch.items.filter(state="done", pubmed_pending=True)
    assert failed.count() + waiting.count() == 12 and waiting.exists()
    assert all(
        "NCBI had a server error (503)." in outcome for outcome in failed.values_list("outcome", flat=True)
    )

    resume_batch(batch)
    batch = run_pending(batch)
    assert batch.state == EnrichmentBatch.State.FINISHED
    resumed = batch.items.filter(pk__in=list(waiting.values_list("pk", flat=True)))
    assert all("Filled from PubMed" in outcome for outcome in resumed.values_list("outcome", flat=True))
    assert max(ncbi.fetched(pmid) for pmid in pmids) == 1, "no group fetched twice across the pause"
    assert ncbi.violations == 0


@pytest.mark.parametrize("ncbi_server", [{"latency": (0.1, 0.2)}], indirect=True)
def test_lookups_go_before_the_efetches_that_wait_on_them(settings, ncbi):
    """With the limit taken, an efetch that could go waits while a lookup waits: otherwise a lookup left for
    later makes its group's efetch the batch's last request, one answer later still."""
    settings.NCBI_CONCURRENCY = 3
    pmids = ncbi.add_records(300, first_pmid=93_800_001)
    keys = [key_for("", f"10.5555/pubmed.{pmid}") for pmid in pmids]
    store = group_store(5)
    store.plan(keys, 100)
    records = batch_records(5)
    assert records.record(keys[0]).pmid == pmids[0]
    assert all(records.record(key).pmid == pmid for key, pmid in zip(keys, pmids, strict=True))
    tools = [request.tool for request in sorted(ncbi.requests, key=lambda request: request.started)]
    assert tools == ["esearch"] * 6 + ["efetch"] * 3, "3 groups of 100 DOIs: 2 lookups each, all first"
    assert ncbi.violations == 0
    store.forget()


def test_keys_given_as_an_iterator_are_grouped_by_kind_each_once():
    keys = [key_for("1", ""), key_for("", "10.1/a"), key_for("2", ""), key_for("1", "")]
    assert grouped(iter(keys), 1) == [[keys[0]], [keys[2]], [keys[1]]]


def test_a_key_splits_into_its_kind_and_identifier():
    doi = "10.1002/(SICI)1096-987X(199803)19:4<377::AID-JCC1>3.0.CO;2-P"
    assert split_key(key_for("123", doi)) == (PMID, "123"), "a PMID goes before a DOI"
    assert split_key(key_for("", doi)) == (DOI, doi.lower()), "colons in a DOI stay in it"
