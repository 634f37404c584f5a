from django.urls import path

from . import queue_views, views, vocabulary_views, work_views

app_name = "curation"

urlpatterns = [
    path("works/<int:pk>/", work_views.work_detail, name="work-detail"),
    path(
        "works/<int:pk>/suggestions/accept/",
        views.suggestion_decide,
        {"decision": "accept"},
        name="suggestion-accept",
    ),
    path(
        "works/<int:pk>/suggestions/reject/",
        views.suggestion_decide,
        {"decision": "reject"},
        name="suggestion-reject",
    ),
    path("works/<int:pk>/tags/", views.tag_create, name="tag-create"),
    path("annotations/<int:pk>/", views.annotation_change, name="annotation-change"),
    path("bulk-tag/", views.bulk_tag, name="bulk-tag"),
    path("vocabulary/", vocabulary_views.vocabulary, name="vocabulary"),
    path("vocabulary/new/", vocabulary_views.finding_create, name="finding-create"),
    path("vocabulary/<int:pk>/edit/", vocabulary_views.finding_edit, name="finding-edit"),
    path("vocabulary/<int:pk>/delete/", vocabulary_views.finding_delete, name="finding-delete"),
    path("curate/", queue_views.queue_list, name="queue-list"),
    path("curate/new/", queue_views.queue_create, name="queue-create"),
    path("curate/<int:pk>/", queue_views.queue_detail, name="queue-detail"),
    path("curate/<int:pk>/next/", queue_views.queue_next, name="queue-next"),
    path("curate/<int:pk>/agreement.csv", queue_views.agreement_csv, name="queue-agreement-csv"),
    path("curate/items/<int:pk>/", queue_views.queue_item, name="queue-item"),
    path("curate/items/<int:pk>/decide/", queue_views.item_decide, name="queue-decide"),
    path("curate/items/<int:pk>/done/", queue_views.item_done, name="queue-done"),
    path("curate/items/<int:pk>/resolve/", queue_views.item_resolve, name="queue-resolve"),
]
