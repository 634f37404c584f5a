from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from references.access import library_readers

from . import views

app_name = "api"

urlpatterns = [
    path("works/", views.WorkList.as_view(), name="work-list"),
    # Any segment reaches the view, so an id that is not a work's gets the API's JSON 404.
    re_path(r"^works/(?P<pk>[^/]+)/$", views.WorkDetail.as_view(), name="work-detail"),
    path("findings/", views.FindingList.as_view(), name="finding-list"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's setup script from a URL, not inline, as the site's CSP requires;
    # Redoc injects <style> elements as it renders and searches in a worker it makes from a blob, so its
    # page alone allows both (and still blocks the logo Redoc fetches from its CDN, which it then hides).
    # The documentation pages are pages: anonymous readers of a private library are sent to sign in.
    path(
        "docs/",
        library_readers(
            SpectacularSwaggerSplitView.as_view(url_name="api:schema", template_name="api/swagger_ui.html")
        ),
        name="docs",
    ),
    path(
        "redoc/",
        library_readers(
            csp_update({"style-src": [UNSAFE_INLINE], "worker-src": ["blob:"]})(
                SpectacularRedocView.as_view(url_name="api:schema", template_name="api/redoc.html")
            )
        ),
        name="redoc",
    ),
]
