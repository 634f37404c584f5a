from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ReferencesConfig(AppConfig):
    name = "references"
    verbose_name = "References"

    def ready(self) -> None:
        post_migrate.connect(fill_empty_index, sender=self)


def fill_empty_index(**kwargs) -> None:
    """Index the works once after the migration that made the index, with the schema as it is now."""
    from . import indexing
    from .models import IndexedWork, Work

    if not IndexedWork.objects.exists() and Work.objects.active().exists():
        indexing.rebuild()
