"""A real Celery worker on the real Redis: tasks leave only after the transaction commits."""

import pytest
from django.db import transaction

from references.enrichment import start_enrichment
from references.models import EnrichmentBatch, EnrichmentItem, Work
from references.tasks import enrich_item
from tests.helpers import WORKER_LOG, queue_length, wait_until

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_an_imported_work_is_searchable_once_the_import_commits(celery_worker, test_queue, seed_paths):
    from references.models import ImportBatch
    from references.services import LocalFile, import_source_file

    batch = ImportBatch.objects.create()
    with transaction.atomic():
        item = import_source_file(batch=batch, source=LocalFile(seed_paths["003"]))
        assert queue_length(test_queue) == 0, "a task was sent before the transaction committed"
    work = Work.objects.get(pk=item.work_id)
    assert list(Work.objects.search("haploidentical")) == [work]


def test_no_task_leaves_when_the_transaction_rolls_back(celery_worker, test_queue):
    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        work = Work.objects.create(title="Never committed")
        assert start_enrichment(works=[work], origin=EnrichmentBatch.Origin.COMMAND) is not None
        raise Abort
    assert queue_length(test_queue) == 0


def test_task_for_a_deleted_work_finishes_quietly(celery_worker):
    work = Work.objects.create(title="Short-lived")
    batch = EnrichmentBatch.objects.create(origin=EnrichmentBatch.Origin.COMMAND)
    item_id = EnrichmentItem.objects.create(batch=batch, work=work).pk
    work.delete()  # takes its item along
    task_id = enrich_item.delay(item_id).id
    wait_until(lambda: f"[{task_id}] succeeded" in WORKER_LOG.read_text())
    assert not EnrichmentItem.objects.filter(pk=item_id).exists()
