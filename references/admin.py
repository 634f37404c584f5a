from django.contrib import admin

from .models import Citation, Contributor, ImportBatch, ImportItem, SourceDocument, Work


class ContributorInline(admin.TabularInline):
    model = Contributor
    extra = 0


@admin.register(Work)
class WorkAdmin(admin.ModelAdmin):
    list_display = ["title", "work_type", "container_title", "year", "doi", "enrichment_state"]
    list_filter = ["work_type", "enrichment_state", "year"]
    search_fields = ["title", "doi", "pmid", "container_title"]
    inlines = [ContributorInline]


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
