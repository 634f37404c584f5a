"""The Content-Security-Policy in Chromium: the main pages load and their htmx still works, with nothing
blocked. A violation is caught twice over: the page's `securitypolicyviolation` events and the console."""

import re

import pytest
from playwright.sync_api import expect

from curation.models import Annotation
from references.models import EnrichmentBatch, Work
from references.search import indexing
from tests.browser.conftest import sign_in
from tests.helpers import member
from tests.references.test_seed_import import import_seeds

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("migrated_data"),
]

CASE_REPORT = "10.15264/cpho.2024.31.1.10"
REPORT_VIOLATIONS = """document.addEventListener("securitypolicyviolation", (event) =>
  window.reportViolation(`${event.violatedDirective} blocked ${event.blockedURI || "inline"} on ${location.pathname}`));"""


@pytest.fixture
def violations(page) -> list[str]:
    """Every CSP violation on any page this test's browser opens."""
    found: list[str] = []

    def from_console(message) -> None:
        if "Content Security Policy" in message.text:
            found.append(message.text)

    page.expose_function("reportViolation", lambda text: found.append(text))
    page.add_init_script(REPORT_VIOLATIONS)
    page.on("console", from_console)
    return found


@pytest.fixture
def library(seeds_dir):
    import_seeds(seeds_dir)
    indexing.rebuild()


def visit(page, url: str) -> None:
    response = page.goto(url)
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_load_state("networkidle")


def settled(page, violations: list[str]) -> list[str]:
    """The violations found, once the page has had a moment to report late ones."""
    page.evaluate("() => new Promise((resolve) => setTimeout(resolve, 200))")
    return violations


def test_an_inline_script_is_blocked_and_reported(live_server, page, violations):
    visit(page, live_server.url + "/")
    page.evaluate("""() => { const script = document.createElement("script");
        script.textContent = "window.ran = 1"; document.body.append(script); }""")
    assert page.evaluate("window.ran") is None
    assert any("script-src" in found for found in settled(page, violations))


def test_the_list_and_a_work_page_with_its_htmx_tagging_break_no_rule(
    live_server, page, violations, library, django_user_model
):
    member(django_user_model, "curator", "curator")
    sign_in(page, live_server, "curator", "curator-password-1", "/?q=blinatumomab")
    expect(page.locator("li.work").first).to_be_visible()
    work = Work.objects.get(doi=CASE_REPORT)
    visit(page, live_server.url + work.get_absolute_url())
    page.evaluate("window.notReloaded = true")
    page.get_by_role("button", name="Accept blinatumomab", exact=True).click()
    expect(page.locator(".annotations .finding-label", has_text="blinatumomab").first).to_be_visible()
    assert page.evaluate("window.notReloaded") is True  # swapped in place by htmx
    assert Annotation.objects.filter(work=work, finding__label="blinatumomab").exists()
    assert settled(page, violations) == []


def test_the_import_page_and_its_preview_break_no_rule(live_server, page, violations, importer, seed_paths):
    sign_in(page, live_server, "importer", "importer-password-1", "/import/")
    page.locator("input[type=file]").set_input_files(str(seed_paths["002"]))
    page.get_by_role("button", name="Preview").click()
    expect(page.locator(".plan .badge")).to_have_text("new work")
    assert settled(page, violations) == []


def test_the_enrichment_progress_polls_without_breaking_a_rule(live_server, page, violations, admin_user):
    work = Work.objects.create(title="A work", doi="10.5555/p.1")
    batch = EnrichmentBatch.objects.create(origin="web")
    batch.items.create(work=work)
    sign_in(page, live_server, "chief", "chief-password-1", batch.get_absolute_url())
    expect(page.locator("#enrichment-progress .remaining")).to_have_text("1 remaining")
    batch.items.update(state="done")
    EnrichmentBatch.objects.filter(pk=batch.pk).update(state="finished")
    expect(page.locator("#enrichment-progress .done")).to_have_text("1 done")
    assert settled(page, violations) == []


def test_the_api_documentation_renders_within_its_policy(live_server, signed_in_reader, page, violations):
    visit(page, live_server.url + "/api/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("ALL curation API")
    expect(page.locator(".opblock-summary-path").first).to_be_visible()
    assert settled(page, violations) == []


def test_redoc_renders_and_only_its_cdn_logo_is_blocked(live_server, signed_in_reader, page, violations):
    visit(page, live_server.url + "/api/redoc/")
    expect(page.get_by_role("heading", name=re.compile("ALL curation API"))).to_be_visible()
    page.get_by_placeholder("Search...").fill("findings")
    expect(page.get_by_role("search").get_by_role("menuitem", name="findings_list")).to_be_visible()
    # Redoc always fetches its maker's logo from a CDN and hides it when that fails: the docs stay local.
    assert [found for found in settled(page, violations) if "cdn.redoc.ly" not in found] == []
