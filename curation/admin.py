from django.contrib import admin

from .models import Annotation, Finding


@admin.register(Finding)
class FindingAdmin(admin.ModelAdmin):
    list_display = ["label", "category", "description"]
    list_filter = ["category"]
    search_fields = ["label", "synonyms"]


@admin.register(Annotation)
class AnnotationAdmin(admin.ModelAdmin):
    list_display = ["work", "finding", "state", "created_by", "created_at"]
    list_filter = ["state", "finding"]
    raw_id_fields = ["work"]
