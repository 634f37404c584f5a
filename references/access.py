"""Who may do what, checked before any view runs, and where a form may send the user back to."""

from collections.abc import Callable

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def members_with(permission: str) -> Callable:
    """Anonymous users go to the login page; signed-in users without the permission get 403."""

    def decorate(view: Callable) -> Callable:
        return login_required(permission_required(permission, raise_exception=True)(view))

    return decorate


def back_to(request: HttpRequest, fallback: str) -> str:
    """The form's `next` address when it is a page of this site, else the fallback."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback
