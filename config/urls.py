from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("api/", include("references.api.urls")),
    path("", include("curation.urls")),
    path("", include("references.urls")),
]
