from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings

# Long enough for every retry of a slow Crossref and a slow NCBI; an item past it is marked failed, not left
# pending.
ENRICH_SOFT_LIMIT = 600
ENRICH_TIME_LIMIT = ENRICH_SOFT_LIMIT + 60


@shared_task(
    acks_late=True, ignore_result=True, soft_time_limit=ENRICH_SOFT_LIMIT, time_limit=ENRICH_TIME_LIMIT
)
def enrich_item(item_id: int) -> None:
    """Enrich one work of a batch from Crossref (and PubMed when NCBI_ENRICH is on); a repeated delivery of a
    finished item does nothing."""
    from .enrichment_item import enrich, fail_item  # imports the pipeline, which sends this task

    try:
        enrich(item_id)
    except SoftTimeLimitExceeded:
        fail_item(item_id, f"Gave up after {ENRICH_SOFT_LIMIT} s without an answer from {_sources()}.")


def _sources() -> str:
    return "Crossref or PubMed" if settings.NCBI_ENRICH else "Crossref"


# A large export (tens of thousands of records) takes minutes; the default 60 s limit is for small tasks.
RECORD_IMPORT_LIMIT = 30 * 60


@shared_task(
    acks_late=True,
    ignore_result=True,
    soft_time_limit=RECORD_IMPORT_LIMIT,
    time_limit=RECORD_IMPORT_LIMIT + 60,
)
def import_record_files(job_id: int) -> None:
    """Import a confirmed upload's record files in one transaction; a repeated delivery imports nothing twice."""
    from .pipeline.uploads import run_record_import  # the service module sends this task

    run_record_import(job_id)
