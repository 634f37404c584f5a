from django.apps import AppConfig
from django.db import transaction
from django.db.models.signals import post_delete, post_migrate


class ReferencesConfig(AppConfig):
    name = "references"
    verbose_name = "References"

    def ready(self) -> None:
        post_migrate.connect(fill_empty_index, sender=self)
        post_delete.connect(forget_counts, sender=self.get_model("Work"))
        from .duplicates import reopen_pair
        from .merging import merge_undone

        merge_undone.connect(reopen_pair, dispatch_uid="references-reopen-duplicate-pair")


def fill_empty_index(**kwargs) -> None:
    """Index the works once after the migration that made the index, with the schema as it is now."""
    from .models import IndexedWork, Work
    from .search import indexing

    if not IndexedWork.objects.exists() and Work.objects.active().exists():
        indexing.rebuild()


def forget_counts(**kwargs) -> None:
    """A deleted work takes its index row with it (cascade), so the counts made with that row are stale."""
    from .search import indexing

    transaction.on_commit(indexing.next_generation)
