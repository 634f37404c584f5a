"""Who may do what, checked before any view runs, and where a form may send the user back to.

The library is private: reading it takes the read permission, which the migrations give the three roles
(researcher, curator, admin). `PUBLIC_READ` opens reading to everyone, signed in or not; it never opens a
write, whose views check a permission of their own with `members_with`.
"""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.utils.http import url_has_allowed_host_and_scheme
from rest_framework.permissions import SAFE_METHODS, BasePermission

READ_PERMISSION = "references.view_work"


def members_with(permission: str) -> Callable:
    """Anonymous users go to the login page; signed-in users without the permission get 403."""

    def decorate(view: Callable) -> Callable:
        return login_required(permission_required(permission, raise_exception=True)(view))

    return decorate


def public_reading() -> bool:
    """Read at each request, so a test (or a settings change) takes effect without a restart."""
    return bool(getattr(settings, "PUBLIC_READ", False))


def may_read(user, permission: str = READ_PERMISSION) -> bool:
    return public_reading() or user.has_perm(permission)


def readers_of(permission: str = READ_PERMISSION) -> Callable:
    """A reading view: members with the permission, or everyone when the library is published."""

    def decorate(view: Callable) -> Callable:
        guarded = members_with(permission)(view)

        @wraps(view)
        def read(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if public_reading() and request.method in SAFE_METHODS:  # a POST is never opened
                return view(request, *args, **kwargs)
            return guarded(request, *args, **kwargs)

        return read

    return decorate


library_readers = readers_of(READ_PERMISSION)


class LibraryReaders(BasePermission):
    """The API's default: members read (everyone when published). Other methods are never opened by
    PUBLIC_READ: members get past this check only to the view's 405 (a writing view names its own class)."""

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return may_read(request.user)
        return request.user.has_perm(READ_PERMISSION)


def back_to(request: HttpRequest, fallback: str) -> str:
    """The form's `next` address when it is a page of this site, else the fallback."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback
