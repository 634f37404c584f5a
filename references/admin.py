from django.contrib import admin

from .models import (
    Citation,
    Contributor,
    EnrichmentBatch,
    EnrichmentItem,
    FieldOrigin,
    ImportBatch,
    ImportItem,
    MatchCandidate,
    SourceDocument,
    Work,
)
from .origins import record_origins
from .search import indexing


class ContributorInline(admin.TabularInline):
    model = Contributor
    extra = 0


@admin.register(Work)
class WorkAdmin(admin.ModelAdmin):
    list_display = ["title", "work_type", "container_title", "year", "doi", "enrichment_state"]
    list_filter = ["work_type", "enrichment_state", "year"]
    search_fields = ["title", "doi", "pmid", "container_title"]
    inlines = [ContributorInline]

    def save_model(self, request, obj, form, change):
        """What a person edits here is a curator's value: imports and Crossref leave it alone from now on."""
        super().save_model(request, obj, form, change)
        if change and form.changed_data:
            record_origins(obj, form.changed_data, FieldOrigin.Source.CURATOR, request.user.get_username())

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        indexing.refresh([form.instance.pk])

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if change and formset.model is Contributor and formset.has_changed():
            record_origins(
                form.instance, ["authors"], FieldOrigin.Source.CURATOR, request.user.get_username()
            )


@admin.register(Citation)
class CitationAdmin(admin.ModelAdmin):
    list_display = ["citing_work", "position", "raw", "doi", "match_state"]
    list_filter = ["match_state"]
    search_fields = ["raw", "doi"]
    raw_id_fields = ["citing_work", "cited_work"]


class ImportItemInline(admin.TabularInline):
    model = ImportItem
    extra = 0
    readonly_fields = ["file_name", "sha256", "size", "outcome", "message", "work", "reference_count"]
    can_delete = False


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ["id", "kind", "origin", "created_by", "started_at", "finished_at"]
    list_filter = ["kind", "origin"]
    inlines = [ImportItemInline]


@admin.register(SourceDocument)
class SourceDocumentAdmin(admin.ModelAdmin):
    list_display = ["file_name", "work", "page_kind", "file_format", "encoding", "imported_at"]
    list_filter = ["page_kind", "file_format"]
    readonly_fields = ["sha256", "raw_text"]
    raw_id_fields = ["work", "batch"]


class EnrichmentItemInline(admin.TabularInline):
    model = EnrichmentItem
    extra = 0
    readonly_fields = ["work", "state", "outcome", "finished_at"]
    can_delete = False


@admin.register(EnrichmentBatch)
class EnrichmentBatchAdmin(admin.ModelAdmin):
    list_display = ["id", "origin", "state", "created_by", "created_at", "finished_at"]
    list_filter = ["state", "origin"]
    inlines = [EnrichmentItemInline]


@admin.register(MatchCandidate)
class MatchCandidateAdmin(admin.ModelAdmin):
    list_display = ["work", "doi", "score", "state", "decided_by"]
    list_filter = ["state"]
    raw_id_fields = ["work"]


@admin.register(FieldOrigin)
class FieldOriginAdmin(admin.ModelAdmin):
    list_display = ["work", "field", "source", "detail", "recorded_at"]
    list_filter = ["source", "field"]
    raw_id_fields = ["work"]
