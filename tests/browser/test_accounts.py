"""A member's API tokens in Chromium: made, shown once, used by a script, revoked; no CSP violation.
And a stranger meets the sign-in page, not the library."""

import pytest
from django.test import Client
from playwright.sync_api import expect

from accounts.models import ApiToken
from tests.browser import test_csp

violations = test_csp.violations  # the fixture that collects CSP violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("migrated_data"),
]


def test_a_stranger_is_sent_to_sign_in(live_server, page):
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    expect(page.get_by_role("link", name="Forgot your password?")).to_be_visible()
    assert page.request.get(live_server.url + "/api/works/").status == 401


def test_a_member_makes_uses_and_revokes_a_token(live_server, signed_in_reader, page, violations):
    page.get_by_role("link", name="API tokens").click()
    page.get_by_label("Name").fill("R analysis")
    page.get_by_role("button", name="Make token").click()
    token = page.get_by_test_id("new-token").inner_text()
    assert token.startswith("acur_")
    expect(page.get_by_role("cell", name="R analysis", exact=True)).to_be_visible()

    script = Client()  # a script has no session of the browser's: only the token
    assert script.get("/api/works/", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200

    page.goto(live_server.url + "/accounts/tokens/")
    assert token not in page.content()
    expect(page.get_by_role("row", name="R analysis")).not_to_contain_text("never")
    page.get_by_role("button", name="Revoke R analysis").click()
    expect(page.get_by_role("status")).to_contain_text("revoked")
    assert not ApiToken.objects.exists()
    assert script.get("/api/findings/", HTTP_AUTHORIZATION=f"Token {token}").status_code == 401
    assert test_csp.settled(page, violations) == []
