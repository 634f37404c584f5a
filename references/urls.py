from django.urls import path

from . import duplicate_views, search_views, views

app_name = "references"

urlpatterns = [
    path("", views.work_list, name="work-list"),
    path("import/", views.import_upload, name="import"),
    path("import/confirm/", views.import_confirm, name="import-confirm"),
    path("import/<int:pk>/", views.import_batch, name="import-batch"),
    path("import/jobs/<int:pk>/", views.import_job, name="import-job"),
    path("import/references/", views.import_references, name="import-references"),
    path("import/references/confirm/", views.import_references_confirm, name="import-references-confirm"),
    path("works/<int:pk>/merge/", views.work_merge, name="work-merge"),
    path("merges/<int:pk>/undo/", views.merge_undo, name="merge-undo"),
    path("enrichment/", views.enrichment_list, name="enrichment-list"),
    path("enrichment/start/", views.enrichment_start, name="enrichment-start"),
    path("enrichment/<int:pk>/", views.enrichment_batch, name="enrichment-batch"),
    path("enrichment/<int:pk>/resume/", views.enrichment_resume, name="enrichment-resume"),
    path("enrichment/<int:pk>/retry/", views.enrichment_retry, name="enrichment-retry"),
    path("export.bib", views.export, {"format": "bib"}, name="export-bib"),
    path("export.ris", views.export, {"format": "ris"}, name="export-ris"),
    path("export.json", views.export, {"format": "json"}, name="export-csljson"),
    path("duplicates/", duplicate_views.duplicate_list, name="duplicates"),
    path("duplicates/<int:pk>/", duplicate_views.duplicate_pair, name="duplicate-pair"),
    path("duplicates/<int:pk>/merge/", duplicate_views.duplicate_merge, name="duplicate-merge"),
    path("duplicates/<int:pk>/distinct/", duplicate_views.duplicate_distinct, name="duplicate-distinct"),
    path("searches/", search_views.search_list, name="search-list"),
    path("searches/prisma.svg", search_views.prisma_svg, name="prisma-svg"),
    path("review/", views.review_queue, name="review-queue"),
    path("review/<int:pk>/accept/", views.review_decide, {"decision": "accept"}, name="review-accept"),
    path("review/<int:pk>/reject/", views.review_decide, {"decision": "reject"}, name="review-reject"),
]
