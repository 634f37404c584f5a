"""A real Celery worker on the real Redis: tasks leave only after the transaction commits."""

import pytest
from django.db import transaction

from references.models import Work
from references.tasks import index_work
from tests.helpers import WORKER_LOG, queue_length, wait_until

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_worker_indexes_a_work_after_the_import_commits(celery_worker, test_queue, seed_paths):
    from references.models import ImportBatch
    from references.services import LocalFile, import_source_file

    batch = ImportBatch.objects.create()
    with transaction.atomic():
        item = import_source_file(batch=batch, source=LocalFile(seed_paths["003"]))
        assert queue_length(test_queue) == 0, "a task was sent before the transaction committed"
    work = Work.objects.get(pk=item.work_id)
    wait_until(lambda: Work.objects.filter(pk=work.pk, search_vector__isnull=False).exists())
    assert list(Work.objects.search("haploidentical")) == [work]


def test_no_task_leaves_when_the_transaction_rolls_back(celery_worker, test_queue):
    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        work = Work.objects.create(title="Never committed")
        index_work.delay_on_commit(work.pk)
        raise Abort
    assert queue_length(test_queue) == 0


def test_task_for_a_deleted_work_finishes_quietly(celery_worker):
    work = Work.objects.create(title="Short-lived")
    work_id = work.pk
    work.delete()
    task_id = index_work.delay(work_id).id
    wait_until(lambda: f"[{task_id}] succeeded" in WORKER_LOG.read_text())
