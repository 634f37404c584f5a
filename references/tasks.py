from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

# Long enough for every retry of a slow Crossref; an item past it is marked failed, not left pending.
ENRICH_SOFT_LIMIT = 600


@shared_task(
    acks_late=True, ignore_result=True, soft_time_limit=ENRICH_SOFT_LIMIT, time_limit=ENRICH_SOFT_LIMIT + 60
)
def enrich_item(item_id: int) -> None:
    """Enrich one work of a batch from Crossref; a repeated delivery of a finished item does nothing."""
    from .enrichment import enrich, fail_item  # the service module sends this task

    try:
        enrich(item_id)
    except SoftTimeLimitExceeded:
        fail_item(item_id, f"Gave up after {ENRICH_SOFT_LIMIT} s without an answer from Crossref.")
