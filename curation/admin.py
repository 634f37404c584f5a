from django.contrib import admin

from references.search import indexing

from .forms import AnnotationAdminForm, FindingForm
from .models import Annotation, Decision, Finding, Queue


@admin.register(Finding)
class FindingAdmin(admin.ModelAdmin):
    form = FindingForm  # the vocabulary page's rules: labels unique ignoring case, renames remembered
    readonly_fields = ["former_labels"]
    list_display = ["label", "category", "description"]
    list_filter = ["category"]
    search_fields = ["label", "synonyms"]


@admin.register(Annotation)
class AnnotationAdmin(admin.ModelAdmin):
    form = AnnotationAdminForm
    readonly_fields = ["version"]
    list_display = ["work", "finding", "state", "created_by", "created_at"]
    list_filter = ["state", "finding"]
    raw_id_fields = ["work"]

    def save_model(self, request, obj, form, change):
        """The work an annotation is moved away from loses its tag too (its new work is reindexed on save)."""
        previous = Annotation.objects.filter(pk=obj.pk).values_list("work_id", flat=True).first()
        super().save_model(request, obj, form, change)
        if previous and previous != obj.work_id:
            indexing.refresh([previous], text=False)


@admin.register(Queue)
class QueueAdmin(admin.ModelAdmin):
    """For looking and renaming; queues are made from the list page (their works are picked there). Its
    curators are shown, not edited: the mode fixes how many there are, and their decisions stay theirs.
    Who made it is a record, not a setting."""

    list_display = ["name", "mode", "size", "resolver", "created_at"]
    readonly_fields = ["selection", "mode", "size", "curators", "created_by"]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["item", "curator", "finding", "verdict", "decided_at"]
    list_filter = ["verdict", "finding"]
    raw_id_fields = ["item"]
