"""A user's permissions are read once per change to who may do what, and every change counts at once."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

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


def test_joining_and_leaving_a_group_count_at_once(client, django_user_model):
    user = member(django_user_model, "reading", "researcher")
    client.force_login(user)
    assert permission_queries(client)[0] == 403
    user.groups.add(Group.objects.get(name="curator"))
    assert permission_queries(client)[0] == 200
    user.groups.remove(Group.objects.get(name="curator"))
    assert permission_queries(client)[0] == 403


def test_a_group_losing_a_permission_counts_at_once(client, django_user_model):
    client.force_login(member(django_user_model, "curating", "curator"))
    assert permission_queries(client) == (200, 2)
    Group.objects.get(name="curator").permissions.remove(Permission.objects.get(codename="work_queue"))
    assert permission_queries(client) == (403, 2)


def test_a_permission_of_ones_own_and_the_superuser_flag_count_at_once(client, django_user_model):
    user = member(django_user_model, "reading", "researcher")
    client.force_login(user)
    assert permission_queries(client)[0] == 403
    user.user_permissions.add(Permission.objects.get(codename="work_queue"))
    assert permission_queries(client)[0] == 200
    user.user_permissions.clear()
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
        user.groups.add(Group.objects.get(name="curator"))
    assert permission_queries(client) == (200, 2)  # kept under the version moved at the change
    for callback in on_commit:  # the change commits
        callback()
    assert permission_queries(client) == (200, 2)
    assert permission_queries(client) == (200, 0)
