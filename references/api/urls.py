from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from . import views

app_name = "api"

urlpatterns = [
    path("works/", views.WorkList.as_view(), name="work-list"),
    # Any segment reaches the view, so an id that is not a work's gets the API's JSON 404.
    re_path(r"^works/(?P<pk>[^/]+)/$", views.WorkDetail.as_view(), name="work-detail"),
    path("findings/", views.FindingList.as_view(), name="finding-list"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
]
