from django.apps import AppConfig


class CurationConfig(AppConfig):
    name = "curation"
    verbose_name = "Curation"

    def ready(self) -> None:
        from references.merging import merge_undone, works_merged

        from .merging import move_annotations, return_annotations

        works_merged.connect(move_annotations, dispatch_uid="curation-move-annotations")
        merge_undone.connect(return_annotations, dispatch_uid="curation-return-annotations")
