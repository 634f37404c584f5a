import time

from django.core.management.base import BaseCommand
from django.db import transaction

from references.models import IndexedWork
from references.search import indexing


class Command(BaseCommand):
    help = "Rebuild the search and facet index of every work (after a bulk load by hand, or to repair it)."

    def handle(self, *args, **options) -> None:
        started = time.monotonic()
        with transaction.atomic():
            indexing.rebuild()
        elapsed = time.monotonic() - started
        self.stdout.write(f"Indexed {IndexedWork.objects.count():,} works in {elapsed:.1f} s.")
