import importlib
import os

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.helpers import member

# Playwright's sync API runs an event loop in this thread; Django's ORM calls in the same tests are still sync.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# The names of the form fields a screen reader cannot name: no <label>, no aria-label, and no aria-labelledby
# pointing at an element with text.
UNLABELLED = """() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
    .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')
        && !(e.getAttribute('aria-labelledby') || '').split(' ')
            .some(id => (document.getElementById(id)?.textContent || '').trim()))
    .map(e => e.name)"""


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def sign_in(page, live_server, username: str, password: str, next_path: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/?next={next_path}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


@pytest.fixture
def migrated_data(transactional_db):
    """The vocabulary and the roles that migrations create: a transactional test's flush removes them, so
    they are put back from the same sources the migrations use."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission

    importlib.import_module("curation.migrations.0002_seed_vocabulary").seed_vocabulary(apps, None)
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0)
    for name, codes in importlib.import_module("curation.migrations.0004_roles").ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        for code in codes:
            app_label, codename = code.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
    for grant in ["curation.migrations.0008_enrichment_readers", "accounts.migrations.0002_library_readers"]:
        readers = importlib.import_module(grant)
        app_label, codename = readers.PERMISSION
        for name in readers.READERS:
            Group.objects.get(name=name).permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


@pytest.fixture
def signed_in_reader(page, live_server, migrated_data, django_user_model):
    """A researcher signed in on the test's page: the library is private, so reading it takes a role."""
    member(django_user_model, "reading-researcher", "researcher")
    sign_in(page, live_server, "reading-researcher", "reading-researcher-password-1", "/")
    expect(page.get_by_role("button", name="Sign out reading-researcher")).to_be_visible()
    return page
