"""Uploaded files held in the cache between the preview and the admin's confirmation."""

import secrets

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile


def _key(user_id: int, token: str) -> str:
    return f"import-staged:{user_id}:{token}"


def stage_files(user_id: int, files: list[tuple[str, bytes]]) -> str:
    token = secrets.token_urlsafe(24)
    cache.set(_key(user_id, token), files, timeout=settings.IMPORT_STAGING_SECONDS)
    return token


def take_staged_files(user_id: int, token: str) -> list[ContentFile] | None:
    """The staged files, once: a second confirmation of the same preview finds nothing."""
    files = cache.get(_key(user_id, token))
    cache.delete(_key(user_id, token))
    if files is None:
        return None
    return [ContentFile(data, name=name) for name, data in files]
