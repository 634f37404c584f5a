"""Account basics: private reading with PUBLIC_READ to open it, sign-in throttling, sign-out ending the
session, password change and reset."""

import os
import re
import subprocess
import sys
import uuid

import pytest
from django.core import mail
from django.test import Client, override_settings

from references.models import Work
from tests.helpers import ROOT, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def work():
    return Work.objects.create(title="Venetoclax in relapsed ALL", year=2024)


def test_a_stranger_reads_nothing_of_a_private_library(work):
    client = Client()
    for path in ["/", f"/works/{work.pk}/", "/export.bib?scope=all", "/searches/", "/vocabulary/"]:
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), path
    for path in ["/api/works/", "/api/findings/", f"/api/works/{work.pk}/", "/api/schema/"]:
        assert client.get(path).status_code == 401, path


@override_settings(PUBLIC_READ=True)
def test_a_published_library_is_read_by_strangers_who_still_cannot_write(work):
    client = Client()
    assert work.title in client.get(f"/works/{work.pk}/").content.decode()
    assert work.title in client.get("/export.bib?scope=all").getvalue().decode()
    assert client.get("/api/works/?scope=all").json()["count"] == 1
    response = client.post(f"/works/{work.pk}/merge/", {"target": work.pk})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.post("/", {}).status_code == 302  # even a reading view is not opened for a POST


def failing_login(client: Client, username: str):
    return client.post("/accounts/login/", {"username": username, "password": "wrong-password"})


@override_settings(LOGIN_FAILURE_LIMIT=3)
def test_failed_sign_ins_are_throttled_per_name_and_address(django_user_model):
    name = f"victim-{uuid.uuid4().hex[:8]}"
    member(django_user_model, name, "researcher")
    client = Client()
    assert [failing_login(client, name).status_code for _ in range(3)] == [200, 200, 200]
    refused = client.post("/accounts/login/", {"username": name, "password": f"{name}-password-1"})
    assert refused.status_code == 429 and "_auth_user_id" not in client.session
    assert "Too many failed sign-ins" in refused.content.decode()
    elsewhere = Client(REMOTE_ADDR="10.9.9.9")  # the same name from another address is not locked out
    assert (
        elsewhere.post("/accounts/login/", {"username": name, "password": f"{name}-password-1"}).status_code
        == 302
    )


@override_settings(LOGIN_FAILURE_LIMIT=3)
def test_a_successful_sign_in_clears_the_count(django_user_model):
    name = f"forgetful-{uuid.uuid4().hex[:8]}"
    member(django_user_model, name, "researcher")
    client = Client()
    for _ in range(2):
        failing_login(client, name)
    assert (
        client.post("/accounts/login/", {"username": name, "password": f"{name}-password-1"}).status_code
        == 302
    )
    client.post("/accounts/logout/")
    assert [failing_login(client, name).status_code for _ in range(3)] == [200, 200, 200]


def test_signing_out_ends_the_session(django_user_model, work):
    member(django_user_model, "sam", "researcher")
    client = Client()
    assert (
        client.post("/accounts/login/", {"username": "sam", "password": "sam-password-1"}).status_code == 302
    )
    session_key = client.cookies["sessionid"].value
    assert client.get("/").status_code == 200
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert client.get("/").status_code == 302
    stale = Client()
    stale.cookies["sessionid"] = session_key  # the old cookie, replayed
    assert stale.get("/").status_code == 302


def test_a_member_changes_their_password(django_user_model):
    user = member(django_user_model, "pat", "curator")
    client = Client()
    client.force_login(user)
    response = client.post(
        "/accounts/password_change/",
        {
            "old_password": "pat-password-1",
            "new_password1": "a-new-long-phrase-7",
            "new_password2": "a-new-long-phrase-7",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/accounts/password_change/done/"
    user.refresh_from_db()
    assert user.check_password("a-new-long-phrase-7")


@override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
def test_a_member_resets_a_forgotten_password_by_email(django_user_model):
    user = member(django_user_model, "quinn", "researcher")
    user.email = "quinn@example.org"
    user.save()
    client = Client()
    assert client.post("/accounts/password_reset/", {"email": "quinn@example.org"}).status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["quinn@example.org"]
    link = re.search(r"https?://[^/\s]+(/accounts/reset/\S+)", mail.outbox[0].body)[1]
    form = client.get(link, follow=True)
    assert form.context["validlink"]
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "fresh-long-phrase-9", "new_password2": "fresh-long-phrase-9"},
    )
    assert done.status_code == 302 and done["Location"] == "/accounts/reset/done/"
    user.refresh_from_db()
    assert user.check_password("fresh-long-phrase-9")


@pytest.mark.parametrize(
    ("variables", "backend"),
    [
        ({"DJANGO_ENV": "development"}, "console"),
        ({"DJANGO_ENV": "production", "SECRET_KEY": "x" * 60, "DEBUG": "false"}, "smtp"),
    ],
)
def test_reset_mail_goes_to_the_console_in_development_and_smtp_in_production(variables, backend):
    """A fresh process, as a deployment reads its settings (the test runner replaces the mail backend)."""
    show = "from django.conf import settings as s; print(s.EMAIL_BACKEND, s.PUBLIC_READ)"
    kept = {
        k: v
        for k, v in os.environ.items()
        if not re.fullmatch(r"DJANGO_ENV|DEBUG|SECRET_KEY|EMAIL_.*|PUBLIC_READ", k)
    }
    env = {**kept, "DJANGO_SETTINGS_MODULE": "config.settings", **variables}
    shown = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {show}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout.split()
    assert shown == [f"django.core.mail.backends.{backend}.EmailBackend", "False"]
