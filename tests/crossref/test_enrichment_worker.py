"""Enrichment on real Celery workers and the real Redis, against the local Crossref server."""

import io
import os
import signal
import uuid

import pytest
from django.core.management import call_command
from django.db import transaction

from config.celery import app as celery_app
from references.enrichment import start_enrichment
from references.models import EnrichmentBatch, EnrichmentState, ImportBatch, Work
from references.pipeline.pages import LocalFile, import_source_file, import_sources
from tests.conftest import running_worker, worker_env
from tests.fakecrossref import FakeCrossref
from tests.helpers import ROOT, held_by_the_dead, queue_length, send_again_the_lost, wait_until

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

CASE_REPORT_DOI = "10.15264/cpho.2024.31.1.10"


@pytest.fixture(scope="module")
def queue():
    """Tasks of this module go to a queue of their own, away from the session's worker."""
    name, previous = f"enrich-{uuid.uuid4().hex[:12]}", celery_app.conf.task_default_queue
    celery_app.conf.task_default_queue = name
    yield name
    celery_app.conf.task_default_queue = previous
    with celery_app.connection_for_write() as connection:
        connection.default_channel.client.delete(name)


@pytest.fixture(scope="module")
def server():
    with FakeCrossref(rate_limit=10, concurrency_limit=3, latency=(0.05, 0.15)) as crossref:
        yield crossref


@pytest.fixture
def env(server, django_db_blocker):
    with django_db_blocker.unblock():
        return worker_env(
            CROSSREF_BASE_URL=server.url,
            CROSSREF_MAILTO="curators@example.org",
            CROSSREF_REDIS_PREFIX=f"test-worker-{uuid.uuid4().hex}",
            # A message a killed worker held comes back after seconds instead of an hour.
            CELERY_VISIBILITY_TIMEOUT="3",
            CELERY_UNACKED_RESTORE_INTERVAL="1",
            CELERY_UNACKED_RESTORE_THROTTLE="1",
        )


@pytest.fixture
def worker(queue, env):
    with running_worker(queue, env, log_path=ROOT / "test-enrichment-worker.log") as process:
        yield process


def test_an_import_queues_enrichment_only_once_it_commits(settings, server, queue, worker, seed_paths):
    settings.ENRICH_AFTER_IMPORT = True
    server.add_work(CASE_REPORT_DOI, title="Blinatumomab case", volume="31", issue="1", page="10-15")
    with transaction.atomic():
        import_sources([LocalFile(seed_paths["003"])], user=None, origin=ImportBatch.Origin.COMMAND)
        assert queue_length(queue) == 0, "enrichment was queued before the import committed"
        assert EnrichmentBatch.objects.get().origin == EnrichmentBatch.Origin.IMPORT
    work = Work.objects.get(doi=CASE_REPORT_DOI)
    wait_until(lambda: Work.objects.filter(pk=work.pk, enrichment_state=EnrichmentState.ENRICHED).exists())
    work.refresh_from_db()
    assert (work.volume, work.issue, work.pages) == ("31", "1", "10-15")
    assert work.field_origins.get(field="volume").source == "crossref"
    assert server.hits(CASE_REPORT_DOI) == 1


def test_a_rolled_back_import_queues_nothing(settings, queue, seed_paths):
    settings.ENRICH_AFTER_IMPORT = True

    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        import_source_file(batch=ImportBatch.objects.create(), source=LocalFile(seed_paths["003"]))
        start_enrichment(works=Work.objects.all(), origin=EnrichmentBatch.Origin.IMPORT)
        raise Abort
    assert queue_length(queue) == 0
    assert not EnrichmentBatch.objects.exists()


def test_a_killed_worker_loses_nothing_and_enriches_each_work_once(server, queue, env):
    dois = server.add_works(30, prefix=f"10.5555/kill-{uuid.uuid4().hex[:6]}.")
    works = [Work.objects.create(doi=doi, title=f"Work {i}") for i, doi in enumerate(dois)]
    server.clear()
    batch = start_enrichment(works=works, origin=EnrichmentBatch.Origin.COMMAND)
    log = ROOT / "test-enrichment-worker.log"
    # A worker killed between acknowledging one message and taking the next holds none (a busy machine
    # widens that gap): kill another, further on, until one dies holding a message.
    for kills in range(1, 4):
        with running_worker(queue, env, log_path=log) as first:
            wait_until(lambda n=kills: batch.items.filter(state="done").count() >= 5 * n, timeout=60)
            os.kill(first.pid, signal.SIGKILL)  # no warm shutdown: its message is neither acked nor requeued
            first.wait(timeout=10)
        if held_by_the_dead(queue):
            break
    assert batch.items.filter(state="pending").exists()
    assert held_by_the_dead(queue), "no killed worker held a message: nothing was tested"
    send_again_the_lost(batch, queue)
    with running_worker(queue, env, log_path=ROOT / "test-enrichment-worker-2.log"):
        wait_until(lambda: not batch.items.filter(state="pending").exists(), timeout=120)
    assert batch.items.filter(state="done").count() == 30
    assert Work.objects.filter(pk__in=[w.pk for w in works], enrichment_state="enriched").count() == 30
    # The one in flight at the kill may be fetched twice (or come from the cache); none more often.
    assert sum(server.hits(doi) for doi in dois) <= 31
    assert all(server.hits(doi) >= 1 for doi in dois)
    assert server.violations == 0


def test_enrich_wait_shows_progress_until_the_batch_ends(server, worker):
    dois = server.add_works(5, prefix=f"10.5555/wait-{uuid.uuid4().hex[:6]}.")
    works = [Work.objects.create(doi=doi, title=f"Work {i}") for i, doi in enumerate(dois)]
    out = io.StringIO()
    call_command("enrich", "--work", str(works[0].pk), "--work", str(works[1].pk), "--wait", stdout=out)
    assert "[##############################] 100%  done 2  failed 0  remaining 0" in out.getvalue()
    assert Work.objects.filter(enrichment_state="enriched").count() == 2
