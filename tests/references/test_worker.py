"""A real Celery worker on the real Redis: tasks leave only after the transaction commits."""

import pytest
from django.db import transaction

from config.celery import app as celery_app
from references.enrichment import start_enrichment
from references.models import EnrichmentBatch, EnrichmentItem, ImportBatch, Work
from references.pipeline.pages import LocalFile, import_sources
from references.tasks import enrich_item
from tests.helpers import WORKER_LOG, queue_length, wait_until

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def idle_queue(test_queue):
    """The tests' queue with no worker taking from it (the session's worker may be running: it is told to
    stop consuming), so what was sent stays there to be counted; emptied afterwards."""
    celery_app.control.cancel_consumer(test_queue, reply=True, timeout=2)
    yield test_queue
    with celery_app.connection_for_write() as connection:
        connection.default_channel.client.delete(test_queue)
    celery_app.control.add_consumer(test_queue, reply=True, timeout=2)


def test_an_import_sends_enrichment_only_once_it_commits(idle_queue, seed_paths, settings):
    settings.ENRICH_AFTER_IMPORT = True
    with transaction.atomic():
        batch = import_sources([LocalFile(seed_paths["003"])], user=None, origin=ImportBatch.Origin.COMMAND)
        assert queue_length(idle_queue) == 0, "a task was sent before the transaction committed"
    assert queue_length(idle_queue) == EnrichmentItem.objects.count() > 0
    work = batch.items.get().work
    assert list(Work.objects.search("haploidentical")) == [work]


def test_no_task_leaves_when_the_transaction_rolls_back(idle_queue):
    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        work = Work.objects.create(title="Never committed")
        assert start_enrichment(works=[work], origin=EnrichmentBatch.Origin.COMMAND) is not None
        raise Abort
    assert queue_length(idle_queue) == 0
    with transaction.atomic():  # the same, committed, is seen: the count above could have failed
        work = Work.objects.create(title="Committed")
        start_enrichment(works=[work], origin=EnrichmentBatch.Origin.COMMAND)
    assert queue_length(idle_queue) == 1


def test_task_for_a_deleted_work_finishes_quietly(celery_worker):
    work = Work.objects.create(title="Short-lived")
    batch = EnrichmentBatch.objects.create(origin=EnrichmentBatch.Origin.COMMAND)
    item_id = EnrichmentItem.objects.create(batch=batch, work=work).pk
    work.delete()  # takes its item along
    task_id = enrich_item.delay(item_id).id
    wait_until(lambda: f"[{task_id}] succeeded" in WORKER_LOG.read_text())
    assert not EnrichmentItem.objects.filter(pk=item_id).exists()
