from celery import shared_task

from .models import Work


@shared_task(acks_late=True, ignore_result=True)
def index_work(work_id: int) -> None:
    """Refresh a work's full-text vector; a work deleted meanwhile is quietly skipped."""
    Work.objects.filter(pk=work_id).update_search_vectors()
