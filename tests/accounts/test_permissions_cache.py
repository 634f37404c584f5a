"""A user's permissions are read once per change to who may do what, and every change counts at once."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.permissions import changed
from tests.helpers import member

pytestmark = pytest.mark.django_db

QUEUES = reverse("curation:queue-list")  # curators only


def permission_queries(client, url: str = QUEUES) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response.status_code, sum('"auth_permission"' in q["sql"] for q in queries.captured_queries)


def test_a_second_request_reads_no_permissions(client, django_user_model):
    client.force_login(member(django_user_model, "curating", "curator"))
    assert permission_queries(client) == (200, 2)  # the user's own and their groups'
    assert permission_queries(client) == (200, 0)


def curators() -> Group:
    return Group.objects.get(name="curator")


def work_queue() -> Permission:
    return Permission.objects.get(codename="work_queue")


CHANGES = {  # how a user is given the permission, and how they lose it
    "joining a group": (
        lambda user: user.groups.add(curators()),
        lambda user: user.groups.remove(curators()),
    ),
    "a permission of one's own": (
        lambda user: user.user_permissions.add(work_queue()),
        lambda user: user.user_permissions.clear(),
    ),
}


@pytest.mark.parametrize("change", CHANGES)
def test_being_given_a_permission_and_losing_it_count_at_once(client, django_user_model, change):
    give, take = CHANGES[change]
    user = member(django_user_model, "reading", "researcher")
    client.force_login(user)
    assert permission_queries(client)[0] == 403
    give(user)
    assert permission_queries(client)[0] == 200
    take(user)
    assert permission_queries(client)[0] == 403


def test_a_group_losing_a_permission_counts_at_once(client, django_user_model):
    client.force_login(member(django_user_model, "curating", "curator"))
    assert permission_queries(client) == (200, 2)
    curators().permissions.remove(work_queue())
    assert permission_queries(client) == (403, 2)


def test_becoming_a_superuser_counts_at_once(client, django_user_model):
    user = member(django_user_model, "reading", "researcher")
    client.force_login(user)
    assert permission_queries(client)[0] == 403
    user.is_superuser = True
    user.save()
    assert permission_queries(client)[0] == 200


def test_permissions_read_before_a_change_commits_are_not_kept(
    client, django_user_model, django_capture_on_commit_callbacks
):
    """A request reading the permissions while the change is still uncommitted sees the old ones: the
    version moves again when the change commits, so what that request kept is read again after."""
    user = member(django_user_model, "reading", "researcher")
    client.force_login(user)
    with django_capture_on_commit_callbacks() as on_commit:
        user.groups.add(curators())
    assert permission_queries(client) == (200, 2)  # kept under the version moved at the change
    for callback in on_commit:  # the change commits
        callback()
    assert permission_queries(client) == (200, 2)
    assert permission_queries(client) == (200, 0)


def test_another_database_on_the_same_cache_does_not_move_the_version(client, django_user_model, monkeypatch):
    """Test databases and a developer's share one Redis: their changes must not make this one read again."""
    client.force_login(member(django_user_model, "curating", "curator"))
    assert permission_queries(client) == (200, 2)
    monkeypatch.setitem(connection.settings_dict, "NAME", "another_library")
    changed()
    monkeypatch.undo()
    assert permission_queries(client) == (200, 0)


@pytest.fixture
def cache_unreachable(settings):
    """The permissions' cache on a port nobody listens on: Redis down."""
    settings.CACHES = {
        **settings.CACHES,
        "permissions": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/1",
        },
    }
    yield
    caches["permissions"].close()


def test_without_the_cache_permissions_come_from_the_database_and_changes_are_saved(
    client, django_user_model, cache_unreachable
):
    user = member(django_user_model, "reading", "researcher")  # a new user: the version cannot move
    client.force_login(user)
    assert permission_queries(client) == (403, 2)
    user.groups.add(curators())
    assert permission_queries(client) == (200, 2)
    assert permission_queries(client) == (200, 2)  # read again: nothing is kept
