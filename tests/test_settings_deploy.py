"""Safe defaults: production refuses to start unsafe and passes `check --deploy`; development needs nothing;
the Docker image is production and docker-compose's environment starts. Each case is a fresh process, as a
deployment would be."""

import http.client
import os
import re
import secrets
import socket
import subprocess
import sys
import time

import pytest
import yaml
from django.urls import reverse

from tests.conftest import _database_url
from tests.helpers import ROOT

# Variables whose defaults are under test: a developer's own values must not leak into these processes, nor
# the browser tests' DJANGO_ALLOW_ASYNC_UNSAFE (set for the whole session, and an error to check --deploy).
UNDER_TEST = re.compile(
    r"DJANGO_ENV|DEBUG|SECRET_KEY|ALLOWED_HOSTS|SECURE_.*|(SESSION|CSRF)_COOKIE_SECURE|DJANGO_ALLOW_ASYNC_UNSAFE"
)
SHOW = "from django.conf import settings as s; print(s.DEBUG, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE)"


def environment(**variables: str) -> dict[str, str]:
    kept = {name: value for name, value in os.environ.items() if not UNDER_TEST.fullmatch(name)}
    return {**kept, "DJANGO_SETTINGS_MODULE": "config.settings", **variables}


def run(command: list[str], **variables: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        command, cwd=ROOT, env=environment(**variables), capture_output=True, text=True, timeout=120
    )


def settings_with(**variables: str) -> subprocess.CompletedProcess:
    return run([sys.executable, "-c", f"import django; django.setup(); {SHOW}"], **variables)


def production(**variables: str) -> dict[str, str]:
    return {
        "DJANGO_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "curation.example.org",
        **variables,
    }


@pytest.mark.django_db
def test_production_passes_check_deploy_with_its_defaults():
    # The database is the test one: drf-spectacular's check builds the API schema, which reads it.
    command = [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"]
    result = run(command, **production(DATABASE_URL=_database_url()))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_with_debug_on_refuses_to_start():
    result = settings_with(**production(DEBUG="true"))
    assert result.returncode != 0
    assert "DEBUG is on with DJANGO_ENV=production: set DEBUG=false" in result.stderr


def test_production_without_a_secret_key_refuses_to_start():
    result = settings_with(DJANGO_ENV="production", ALLOWED_HOSTS="curation.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY is not set: set SECRET_KEY to a long random string" in result.stderr


def test_debug_off_outside_production_needs_a_secret_key_too():
    result = settings_with(DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_an_unknown_environment_name_fails_loudly():
    result = settings_with(DJANGO_ENV="prod")
    assert result.returncode != 0
    assert "DJANGO_ENV is 'prod': set DJANGO_ENV to one of development, production." in result.stderr


def test_development_starts_with_no_environment_at_all():
    result = settings_with()
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "False", "False"]


def test_each_production_safeguard_can_be_turned_off_from_the_environment():
    result = settings_with(**production(SECURE_SSL_REDIRECT="false", SESSION_COOKIE_SECURE="false"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "False", "False"]


def gunicorn(port: int) -> list[str]:
    """The Docker image's command, on a local port with one worker."""
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "-w",
        "1",
    ]


def test_gunicorn_refuses_to_serve_with_debug_on():
    refused = run(gunicorn(0), DEBUG="true", SECRET_KEY=secrets.token_urlsafe(50))  # development, DEBUG on
    assert refused.returncode != 0
    assert "DEBUG is on: set DEBUG=false (and SECRET_KEY) to serve with gunicorn" in refused.stderr


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def first_answer(port: int, host: str) -> http.client.HTTPResponse:
    deadline = time.monotonic() + 60
    while True:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/", headers={"Host": host})
            return connection.getresponse()
        except ConnectionRefusedError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_gunicorn_serves_production_and_sends_plain_http_to_https():
    port = free_port()
    server = subprocess.Popen(gunicorn(port), cwd=ROOT, env=environment(**production()))
    try:
        answer = first_answer(port, "curation.example.org")
        assert answer.status == 301
        assert answer.headers["Location"] == "https://curation.example.org/"
    finally:
        server.terminate()
        server.wait(timeout=30)


def image_environment() -> dict[str, str]:
    """The variables the Dockerfile's ENV lines set."""
    lines = (ROOT / "Dockerfile").read_text().splitlines()
    pairs = [word for line in lines if line.startswith("ENV ") for word in line.split()[1:]]
    return dict(pair.split("=", 1) for pair in pairs)


def test_a_plain_docker_run_refuses_to_start_without_a_secret_key():
    image = image_environment()
    assert image["DJANGO_ENV"] == "production"
    result = settings_with(**image)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr
    assert settings_with(**image, SECRET_KEY=secrets.token_urlsafe(50)).returncode == 0


def compose_environment(service: str, **given: str) -> dict[str, str]:
    """A docker-compose service's environment, with ${NAME:-default} and ${NAME:?message} filled in."""
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    variables = compose["services"][service]["environment"]

    def fill(match: re.Match) -> str:
        name, default = match["name"], match["default"] or ""
        return given.get(name, "" if match["required"] else default)

    pattern = re.compile(r"\$\{(?P<name>\w+)(?::-(?P<default>[^}]*)|(?P<required>:\?[^}]*))?\}")
    return {name: pattern.sub(fill, str(value)) for name, value in variables.items()}


@pytest.mark.parametrize("service", ["web", "worker"])
def test_docker_compose_starts_production_served_over_plain_http(service):
    environment = compose_environment(service, SECRET_KEY=secrets.token_urlsafe(50))
    assert environment["DJANGO_ENV"] == "production"
    result = settings_with(**environment)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "False", "False"]  # no debug, no redirect to HTTPS


@pytest.mark.django_db
def test_pages_carry_a_policy_that_allows_no_inline_script(client):
    policy = client.get(reverse("references:work-list"))["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert "unsafe" not in policy
