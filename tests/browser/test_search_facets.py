"""In a browser: a search's results come first and its facets follow in place; without JavaScript the
page still shows both."""

import re

import pytest
from playwright.sync_api import expect

from references.models import SourceDocument, Work
from references.search import indexing
from tests.browser.conftest import sign_in
from tests.helpers import member

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def library(migrated_data):
    for n in range(6):
        work = Work.objects.create(
            title=f"Blinatumomab after relapse {n}", year=2015 + n % 2, container_title=f"Journal {n % 3}"
        )
        SourceDocument.objects.create(
            work=work, file_name=f"{n}.txt", sha256=f"{n:064d}", size=1, raw_text="x"
        )
    indexing.rebuild()


def test_the_facets_follow_the_results_in_place(live_server, page, library, django_user_model):
    member(django_user_model, "reader", "researcher")
    sign_in(page, live_server, "reader", "reader-password-1", "/")
    page.goto(f"{live_server.url}/?q=blinatumomab")
    expect(page.locator("#result-count")).to_have_text("6")
    expect(page.locator('#facet-journal .facet-count[data-value="Journal 0"]')).to_have_text("2")
    expect(page.get_by_text("Counting the facets")).to_have_count(0)
    assert "counts=now" not in page.url


def test_without_javascript_the_page_shows_results_and_facets(
    live_server, browser, library, django_user_model
):
    member(django_user_model, "reader", "researcher")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        sign_in(page, live_server, "reader", "reader-password-1", "/")
        page.goto(f"{live_server.url}/?q=blinatumomab")
        expect(page).to_have_url(re.compile(r"q=blinatumomab&counts=now$"))
        expect(page.locator("#result-count")).to_have_text("6")
        expect(page.locator('#facet-year .facet-count[data-value="2015"]')).to_have_text("3")
    finally:
        context.close()
