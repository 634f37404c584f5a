from django.urls import path

from . import views

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
]
