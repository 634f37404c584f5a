"""Failed sign-ins, counted per user name and address in the cache: past the limit, that pair may not try
again until the window has passed. A successful sign-in clears the count."""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def _key(request: HttpRequest, username: str) -> str:
    who = f"{username.strip().casefold()}\n{request.META.get('REMOTE_ADDR', '')}"
    return "login-failures:" + hashlib.sha256(who.encode()).hexdigest()


def locked_out(request: HttpRequest, username: str) -> bool:
    return cache.get(_key(request, username), 0) >= settings.LOGIN_FAILURE_LIMIT


def record_failure(request: HttpRequest, username: str) -> None:
    key = _key(request, username)
    cache.add(key, 0, timeout=settings.LOGIN_FAILURE_WINDOW_SECONDS)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=settings.LOGIN_FAILURE_WINDOW_SECONDS)


def clear_failures(request: HttpRequest, username: str) -> None:
    cache.delete(_key(request, username))
