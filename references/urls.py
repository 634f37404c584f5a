from django.urls import path

from . import views

app_name = "references"

urlpatterns = [
    path("", views.work_list, name="work-list"),
    path("works/<int:pk>/", views.work_detail, name="work-detail"),
    path("import/", views.import_upload, name="import"),
    path("import/confirm/", views.import_confirm, name="import-confirm"),
    path("import/<int:pk>/", views.import_batch, name="import-batch"),
]
