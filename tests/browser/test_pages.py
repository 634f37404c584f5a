"""What a person sees in Chromium: the list, a work page, and the import with its preview."""

import re

import pytest
from playwright.sync_api import expect

from references.models import Work
from tests.references.test_seed_import import import_seeds

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reader_browses_from_the_list_to_a_work_page(live_server, signed_in_reader, page, seeds_dir):
    import_seeds(seeds_dir)
    page.goto(live_server.url + "/")
    expect(page.locator("li.work")).to_have_count(5)
    page.get_by_role("link", name=re.compile("^Acute Lymphoblastic Leukemia in Infants")).click()
    expect(page.locator("h1")).to_have_text(re.compile("A Distinctive, High-Risk Subtype"))
    expect(page.locator("ol.citations > li")).to_have_count(75)
    expect(page.locator("#ref-75")).to_contain_text("Inotuzumab ozogamicin in infants")
    expect(page.locator(".abstract")).not_to_contain_text("USD")


def test_script_in_an_abstract_is_shown_not_run(live_server, signed_in_reader, page):
    work = Work.objects.create(title="Scripted", abstract="Before <script>window.ran = 1</script> after")
    page.goto(live_server.url + work.get_absolute_url())
    expect(page.locator(".abstract p")).to_have_text("Before <script>window.ran = 1</script> after")
    assert page.evaluate("window.ran") is None


def test_admin_previews_then_imports_a_page(live_server, page, importer, seed_paths):
    page.goto(live_server.url + "/import/")
    page.get_by_label("Username").fill("importer")
    page.get_by_label("Password").fill("importer-password-1")
    page.get_by_role("button", name="Sign in").click()
    page.locator("input[type=file]").set_input_files(str(seed_paths["002"]))
    page.get_by_role("button", name="Preview").click()
    expect(page.locator(".plan .title")).to_have_text("Relapsed Acute Lymphoblastic Leukemia")
    expect(page.locator(".plan .badge")).to_have_text("new work")
    assert Work.objects.count() == 0
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.locator("table.items")).to_contain_text("Created")
    page.get_by_role("link", name=re.compile("Relapsed Acute")).click()
    expect(page.locator(".authors")).to_have_text(re.compile(r"Jasmeet Sidhu\s+et al\."))
