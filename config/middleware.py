"""Requests too large to read are answered with a page that says so, not Django's bare 400."""

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFilesSent
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat


class RefuseOversizedPosts:
    """Reads a POST's form data before any view hook does (CSRF's would), and refuses what exceeds the
    limits with a sentence; no view runs, so nothing is written."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST":
            try:
                request.POST  # noqa: B018  (parsing is the point)
            except RequestDataTooBig:
                return self._refuse(request, _too_big())
            except TooManyFilesSent:
                return self._refuse(
                    request, f"Send at most {settings.DATA_UPLOAD_MAX_NUMBER_FILES} files at once."
                )
        return self.get_response(request)

    def _refuse(self, request: HttpRequest, reason: str) -> HttpResponse:
        return render(request, "request_too_large.html", {"reason": reason}, status=413)


def _too_big() -> str:
    limit = filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    return (
        f"The text you sent is larger than {limit}, more than one request may carry. "
        "Save it to a file and upload the file instead, or send it in parts."
    )
