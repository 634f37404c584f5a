from django.urls import path

from . import views, vocabulary_views

app_name = "curation"

urlpatterns = [
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
]
