"""Each user's permissions read from the database once per change to who may do what, not on every request.

Django's own backend reads them with two joins on every request (the user object is new each time): on the
30,000-work demo library they cost a work page more than reading the work. Here the set is kept in the
cache beside a version that any change to users' groups, groups' permissions or users' own permissions
moves on, in this process or any other sharing the cache; a set kept under an older version is read again.
The version moves when the change is made and again when it commits, so a request that read the
permissions while the change was uncommitted cannot keep them. Changes made outside Django (SQL by hand)
are seen once the set expires, after PERMISSIONS_CACHE_SECONDS. Without the cache (Redis down), each
request reads the permissions from the database, as Django's own backend does, and changes are still saved.
"""

from __future__ import annotations

import logging
import uuid

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.cache import caches
from django.db import connection, transaction
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

WATCHED = {  # the rows that decide who may do what
    "auth.user_groups",
    "auth.user_user_permissions",
    "auth.group_permissions",
    "auth.group",
    "auth.permission",
}


def _cache():
    return caches["permissions"]


def _database() -> str:
    # Databases on one Redis (tests', a developer's) reuse primary keys and must not move each other's version.
    return connection.settings_dict["NAME"]


def _version_key() -> str:
    return f"permissions:version:{_database()}"


def _key(user) -> str:
    return f"permissions:{_database()}:{user.pk}:{user.is_superuser}"


def changed() -> None:
    """Forget every user's kept permissions, now and once the change commits."""
    key = _version_key()
    _move(key)
    transaction.on_commit(lambda: _move(key))


def _move(key: str) -> None:
    try:
        _cache().set(key, uuid.uuid4().hex, timeout=None)
    except RedisError:  # the change is saved all the same; sets kept from before expire on their own
        logger.warning("Permissions changed while the cache was unreachable", exc_info=True)


class CachedPermissionsBackend(ModelBackend):
    """Django's ModelBackend, its users' permission sets kept in the cache (module docstring)."""

    def get_all_permissions(self, user_obj, obj=None) -> set[str]:
        readable = obj is None and user_obj.is_active and not user_obj.is_anonymous
        if readable and not hasattr(user_obj, "_perm_cache"):
            user_obj._perm_cache = self._kept(user_obj)
        return super().get_all_permissions(user_obj, obj)

    def _kept(self, user) -> set[str]:
        key, version_key = _key(user), _version_key()
        try:
            kept = _cache().get_many([version_key, key])
            version = kept.get(version_key) or _cache().get_or_set(
                version_key, uuid.uuid4().hex, timeout=None
            )
        except RedisError:
            logger.warning("Permissions read from the database: the cache is unreachable", exc_info=True)
            return self._read(user)
        if key in kept and kept[key][0] == version:
            return set(kept[key][1])
        permissions = self._read(user)
        try:
            _cache().set(key, (version, sorted(permissions)), timeout=settings.PERMISSIONS_CACHE_SECONDS)
        except RedisError:
            logger.warning("Permissions not kept: the cache is unreachable", exc_info=True)
        return permissions

    def _read(self, user) -> set[str]:
        return {*self.get_user_permissions(user), *self.get_group_permissions(user)}


def watch(sender, **kwargs) -> None:
    """The receiver of saves, deletions and many-to-many changes (apps.py). Only those of WATCHED rows
    count, and a user's own save only when the user is new: the superuser flag is part of the key, and the
    active flag is read on each request. Models are compared by label, so migrations' models count too."""
    label = sender._meta.label_lower
    if not kwargs.get("action", "post_").startswith("post_"):  # a many-to-many change is sent twice
        return
    if label in WATCHED or (label == "auth.user" and kwargs.get("created")):
        changed()
