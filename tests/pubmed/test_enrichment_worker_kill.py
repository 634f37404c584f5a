"""A worker killed mid-batch loses nothing of PubMed's half: a real worker running sixteen tasks at a time through
NCBI's shared limit, fetching works in groups, is killed with SIGKILL, another finishes the batch; each work is
fetched from PubMed once (only the groups in flight at the kill twice) and the local E-utilities server counts no
request over the limit, with and without an API key."""

import os
import signal
import uuid

import pytest

from config.celery import app as celery_app
from references.enrichment import start_enrichment
from references.models import EnrichmentBatch, Work
from tests.conftest import running_worker, worker_env
from tests.fakecrossref import FakeCrossref
from tests.fakencbi import FakeNCBI
from tests.helpers import ROOT, held_by_the_dead, send_again_the_lost, wait_until

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

WORKS = 60
IN_FLIGHT = 16  # the killed worker's threads
GROUP = 5  # PMIDs to an efetch: small, so that the kill comes while groups are still being fetched
CLAIMS = 4  # groups fetched at once (NCBI_CONCURRENCY), besides the groups of the works being enriched


@pytest.fixture(scope="module")
def queue():
    name, previous = f"pubmed-kill-{uuid.uuid4().hex[:12]}", celery_app.conf.task_default_queue
    celery_app.conf.task_default_queue = name
    yield name
    celery_app.conf.task_default_queue = previous
    with celery_app.connection_for_write() as connection:
        connection.default_channel.client.delete(name)


@pytest.mark.parametrize(("api_key", "rate"), [("", 3), ("test-ncbi-key", 10)], ids=["no-key", "key"])
def test_a_killed_worker_loses_nothing_and_fetches_each_work_once(
    queue, django_db_blocker, settings, api_key, rate
):
    settings.NCBI_ENRICH = True
    # The batch's PubMed groups are planned here, by start_enrichment, where the workers find them.
    settings.NCBI_REDIS_PREFIX = f"test-pubmed-kill-{uuid.uuid4().hex}"
    settings.NCBI_GROUP_SIZE = GROUP
    with FakeCrossref(rate_limit=10) as crossref, FakeNCBI(rate=3, key_rate=10, latency=(0.02, 0.08)) as ncbi:
        pmids = ncbi.add_records(WORKS, first_pmid=92_000_001 + 1000 * rate)
        for pmid in pmids:
            crossref.add_work(f"10.5555/pubmed.{pmid}", publisher="Killed Press")
        works = [Work.objects.create(pmid=pmid, title="") for pmid in pmids]
        with django_db_blocker.unblock():
            env = worker_env(
                CROSSREF_BASE_URL=crossref.url,
                CROSSREF_REDIS_PREFIX=f"test-pubmed-kill-{uuid.uuid4().hex}",
                NCBI_ENRICH="true",
                NCBI_BASE_URL=ncbi.url,
                NCBI_EMAIL="curators@example.org",
                NCBI_API_KEY=api_key,
                NCBI_RATE=str(rate),
                NCBI_REDIS_PREFIX=settings.NCBI_REDIS_PREFIX,
                NCBI_GROUP_SIZE=str(GROUP),
                NCBI_CONCURRENCY=str(CLAIMS),
                # The killed worker's throttle leases lapse after the timeout and 5 s, not 35 s.
                NCBI_TIMEOUT="5",
                CROSSREF_TIMEOUT="5",
                # A message a killed worker held comes back after seconds instead of an hour.
                CELERY_VISIBILITY_TIMEOUT="3",
                CELERY_UNACKED_RESTORE_INTERVAL="1",
                CELERY_UNACKED_RESTORE_THROTTLE="1",
            )
        batch = start_enrichment(works=works, origin=EnrichmentBatch.Origin.COMMAND)
        threads = ["--pool=threads", f"--concurrency={IN_FLIGHT}"]
        log = ROOT / "test-pubmed-kill-1.log"
        with running_worker(queue, env, log_path=log, pool=threads) as first:
            wait_until(lambda: batch.items.filter(state="done").count() >= 5, timeout=60)
            os.kill(
                first.pid, signal.SIGKILL
            )  # no warm shutdown: its messages are neither acked nor requeued
            first.wait(timeout=10)
        assert batch.items.filter(state="pending").exists(), "the batch ended before the kill"
        assert held_by_the_dead(queue), "the killed worker held no message: nothing was tested"
        send_again_the_lost(batch, queue)
        with running_worker(queue, env, log_path=ROOT / "test-pubmed-kill-2.log"):
            wait_until(lambda: not batch.items.filter(state="pending").exists(), timeout=240)

        states = list(batch.items.values_list("state", flat=True))
        assert states == ["done"] * WORKS, list(batch.items.exclude(state="done").values("outcome"))
        filled = Work.objects.filter(pk__in=[w.pk for w in works]).exclude(abstract="")
        assert filled.filter(publisher="Killed Press", enrichment_state="enriched").count() == WORKS
        fetches = [ncbi.fetched(pmid) for pmid in pmids]
        assert min(fetches) == 1 and max(fetches) <= 2, fetches
        answered = [r for r in ncbi.requests if r.tool == "efetch" and r.status == 200]
        groups = [r for r in answered if len(r.ids) == GROUP]
        alone = [r for r in answered if len(r.ids) == 1]
        assert len(groups) + len(alone) == len(answered), [len(r.ids) for r in answered]
        # Groups fetched twice: at most those claimed at the kill (claims beyond the groups of the works being
        # enriched are capped at CLAIMS; those works belong to at most IN_FLIGHT / GROUP + 1 groups).
        assert len(groups) <= WORKS // GROUP + CLAIMS + IN_FLIGHT // GROUP + 1, fetches
        # A work the killed worker had filled but not marked done, whose group's records were used up, is
        # fetched again on its own when its task comes back.
        assert len(alone) <= IN_FLIGHT, fetches
        times = sorted((round(r.started, 3), r.tool, len(r.ids), r.status) for r in ncbi.requests)
        assert ncbi.violations == 0, times
        assert {r.param("api_key") for r in ncbi.requests} == {api_key}
