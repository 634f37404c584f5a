"""Personal API tokens: made on the account page (shown once), stored hashed, read the API as their owner,
and stop working when revoked or when the owner has no role any more."""

import logging

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from accounts.models import ApiToken, digest
from references.models import Work
from tests.helpers import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def researcher(django_user_model):
    return member(django_user_model, "rita", "researcher")


@pytest.fixture
def work():
    return Work.objects.create(title="Blinatumomab in infant ALL", year=2023)


def api(token: str, scheme: str = "Token", path: str = "/api/works/?scope=all"):
    return Client().get(path, HTTP_AUTHORIZATION=f"{scheme} {token}")


def made_on_the_page(user, name: str = "R script") -> tuple[Client, str]:
    client = Client()
    client.force_login(user)
    response = client.post("/accounts/tokens/", {"name": name})
    assert response.status_code == 200
    assert response["Cache-Control"].count("no-store")
    return client, response.context["new_token"]


def test_a_token_made_on_the_page_is_shown_once_and_stored_hashed(researcher):
    client, token = made_on_the_page(researcher)
    stored = ApiToken.objects.get(user=researcher)
    assert stored.name == "R script" and stored.digest == digest(token) and token not in stored.digest
    assert len(token) > 40
    page = client.get("/accounts/tokens/")
    assert page.status_code == 200
    assert "R script" in page.content.decode() and token not in page.content.decode()


@pytest.mark.parametrize("scheme", ["Token", "Bearer", "bearer"])
def test_a_token_reads_the_api_as_its_owner(researcher, work, scheme):
    _, token = ApiToken.objects.issue(researcher, "python")
    response = api(token, scheme)
    assert response.status_code == 200
    assert [w["id"] for w in response.json()["results"]] == [work.pk]
    assert api(token, scheme, f"/api/works/{work.pk}/").json()["title"] == work.title
    assert ApiToken.objects.get().last_used_at is not None


def test_a_token_cannot_write(researcher, work):
    _, token = ApiToken.objects.issue(researcher, "python")
    response = Client().post("/api/works/", {}, HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code in (403, 405)


def test_without_credentials_the_api_asks_for_a_token(work):
    response = Client().get("/api/works/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


@pytest.mark.parametrize("header", ["Token", "Token a b", "Token not-a-token", "Bearer acur_x"])
def test_a_malformed_or_unknown_token_is_refused(header):
    response = Client().get("/api/works/", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401


def test_a_revoked_token_is_refused(researcher, work):
    client, token = made_on_the_page(researcher)
    assert api(token).status_code == 200
    stored = ApiToken.objects.get()
    response = client.post(f"/accounts/tokens/{stored.pk}/revoke/")
    assert response.status_code == 302
    assert not ApiToken.objects.exists()
    assert api(token).status_code == 401


def test_nobody_revokes_another_members_token(django_user_model, researcher):
    stored, token = ApiToken.objects.issue(researcher, "mine")
    other = member(django_user_model, "oscar", "curator")
    client = Client()
    client.force_login(other)
    assert client.post(f"/accounts/tokens/{stored.pk}/revoke/").status_code == 404
    assert api(token).status_code == 200


def test_the_token_of_a_member_removed_from_every_group_reads_nothing(researcher, work):
    _, token = ApiToken.objects.issue(researcher, "python")
    assert api(token).status_code == 200
    researcher.groups.clear()
    assert api(token).status_code == 403
    assert api(token, path="/api/findings/").status_code == 403


def test_the_token_of_a_deactivated_user_is_refused(researcher):
    _, token = ApiToken.objects.issue(researcher, "python")
    researcher.is_active = False
    researcher.save()
    assert api(token).status_code == 401


def test_a_user_in_no_group_may_not_make_tokens(django_user_model):
    client = Client()
    client.force_login(django_user_model.objects.create_user("drifter"))
    assert client.post("/accounts/tokens/", {"name": "x"}).status_code == 403
    assert not ApiToken.objects.exists()


def test_tokens_never_reach_the_logs(researcher, caplog):
    _, token = ApiToken.objects.issue(researcher, "python")
    other, revoked = ApiToken.objects.issue(researcher, "old")
    other.delete()
    with caplog.at_level(logging.DEBUG):
        api(token)
        api(revoked)
        api(token, path="/api/works/not-a-number/")
        researcher.groups.clear()
        api(token)
    assert caplog.records  # the refusals were logged...
    assert token not in caplog.text and revoked not in caplog.text  # ...without the tokens


def test_the_schema_declares_the_token_scheme(researcher):
    _, token = ApiToken.objects.issue(researcher, "python")
    response = api(token, path="/api/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    scheme = schema["components"]["securitySchemes"]["personalToken"]
    assert scheme["type"] == "http" and scheme["scheme"] == "bearer"
    assert {"personalToken": []} in schema["paths"]["/api/works/"]["get"]["security"]


def test_group_membership_is_read_at_each_request(django_user_model):
    user = django_user_model.objects.create_user("late")
    _, token = ApiToken.objects.issue(user, "python")
    assert api(token).status_code == 403
    user.groups.add(Group.objects.get(name="curator"))
    assert api(token).status_code == 200
