"""What an admin uploaded, held in the cache between the preview and the confirmation."""

import secrets

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile


def _key(user_id: int, token: str) -> str:
    return f"import-staged:{user_id}:{token}"


def stage(user_id: int, payload: object) -> str:
    token = secrets.token_urlsafe(24)
    cache.set(_key(user_id, token), payload, timeout=settings.IMPORT_STAGING_SECONDS)
    return token


def take_staged(user_id: int, token: str) -> object | None:
    """The staged payload, once: a second confirmation of the same preview finds nothing."""
    payload = cache.get(_key(user_id, token))
    cache.delete(_key(user_id, token))
    return payload


def stage_files(user_id: int, files: list[tuple[str, bytes]]) -> str:
    return stage(user_id, files)


def take_staged_files(user_id: int, token: str) -> list[ContentFile] | None:
    files = take_staged(user_id, token)
    return None if files is None else [ContentFile(data, name=name) for name, data in files]
