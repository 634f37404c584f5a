"""A curator's morning in Chromium, a researcher's visit, and the keyboard and labels on every page."""

import re

import pytest
from playwright.sync_api import expect

from curation.models import Annotation
from references.models import Work
from references.search import indexing
from tests.browser.conftest import UNLABELLED, sign_in
from tests.helpers import ROOT, member
from tests.references.test_seed_import import import_seeds

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("migrated_data"),
]

SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CASE_REPORT = "10.15264/cpho.2024.31.1.10"
KMT2A_SENTENCE = (
    "The patient was a 4-month-old male diagnosed with high-risk infant B-cell ALL with KMT2A/AFF1."
)

SELECT_SENTENCE = """([selector, sentence]) => {
  const container = document.querySelector(selector);
  const start = container.textContent.indexOf(sentence);
  const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  let position = 0;
  while (walker.nextNode()) {
    const node = walker.currentNode, length = node.textContent.length;
    if (start >= position && start < position + length) range.setStart(node, start - position);
    const end = start + sentence.length;
    if (end > position && end <= position + length) range.setEnd(node, end - position);
    position += length;
  }
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  document.dispatchEvent(new MouseEvent("mouseup", {bubbles: true}));
}"""


@pytest.fixture
def library(seeds_dir):
    import_seeds(seeds_dir)
    indexing.rebuild()


def shoot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


def test_a_curator_finds_reads_and_tags_the_case_report(live_server, page, library, django_user_model):
    member(django_user_model, "curator", "curator")
    sign_in(page, live_server, "curator", "curator-password-1", "/")
    page.get_by_label("Search", exact=True).fill("blinatumomab")
    page.get_by_label("Search", exact=True).press("Enter")
    expect(page.locator("#facet-finding")).to_have_count(0)  # nothing tagged yet
    shoot(page, "list-search-blinatumomab")
    assert page.evaluate(UNLABELLED) == []  # a curator's list has a checkbox a work, named by its title
    expect(
        page.get_by_role("checkbox", name=re.compile("^Blinatumomab as a Curative Therapy"))
    ).to_have_count(1)
    page.get_by_role("link", name=re.compile("^Blinatumomab as a Curative Therapy")).click()
    expect(page.locator("[data-evidence-field=abstract] mark.mention").first).to_be_visible()
    shoot(page, "work-page-before-tagging")

    suggested = page.locator(".suggestion").evaluate_all("items => items.map(i => i.dataset.finding)")
    assert {"blinatumomab", "HSCT", "infant"} <= set(suggested)
    for label in suggested:
        if label != "KMT2A-r":
            page.get_by_role("button", name=f"Accept {label}", exact=True).click()
            expect(page.locator(".annotations .finding-label", has_text=label).first).to_be_visible()

    page.evaluate(SELECT_SENTENCE, ["[data-evidence-field=abstract]", KMT2A_SENTENCE])
    expect(page.get_by_label("Evidence")).to_have_value(KMT2A_SENTENCE)
    page.get_by_label("Finding", exact=True).fill("KMT2A-r")
    page.get_by_role("button", name="Save tag").click()
    expect(page.locator("#tag-panel .message")).to_have_text("Tagged KMT2A-r with the quoted evidence.")
    expect(page.locator(".annotation .evidence", has_text="KMT2A/AFF1")).to_be_visible()
    shoot(page, "work-page-tagged")

    work = Work.objects.get(doi=CASE_REPORT)
    annotation = Annotation.objects.get(work=work, finding__label="KMT2A-r")
    assert work.abstract[annotation.evidence_start : annotation.evidence_end] == KMT2A_SENTENCE
    page.goto(f"{live_server.url}/?q=blinatumomab")
    expect(page.locator('#facet-finding .facet-count[data-value="KMT2A-r"]')).to_have_text("1")
    shoot(page, "list-with-facets")


def test_a_researcher_sees_no_tagging_controls_and_a_forged_post_is_refused(
    live_server, page, library, django_user_model
):
    member(django_user_model, "researcher", "researcher")
    work = Work.objects.get(doi=CASE_REPORT)
    sign_in(page, live_server, "researcher", "researcher-password-1", work.get_absolute_url())
    expect(page.locator("h1")).to_contain_text("Blinatumomab")
    expect(page.locator("#tag-form")).to_have_count(0)
    expect(page.get_by_role("button", name=re.compile("^(Accept|Reject|Remove) "))).to_have_count(0)
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    response = page.request.post(
        f"{live_server.url}/works/{work.pk}/tags/",
        form={"finding": "KMT2A-r", "field": "abstract", "quote": KMT2A_SENTENCE},
        headers={"X-CSRFToken": token, "Referer": live_server.url + "/"},
    )
    assert response.status == 403
    assert not Annotation.objects.exists()
    shoot(page, "work-page-researcher")


def test_the_keyboard_reaches_search_and_every_field_has_a_label(
    live_server, signed_in_reader, page, library
):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")  # the brand link, then the navigation, then the search field
    for _ in range(10):
        if page.evaluate("document.activeElement.id") == "id_q":
            break
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_q"
    page.keyboard.type("infant")
    page.keyboard.press("Enter")
    expect(page.locator("#result-count")).not_to_have_text("0")
    for path in ["/", Work.objects.get(doi=CASE_REPORT).get_absolute_url()]:
        page.goto(live_server.url + path)
        assert page.evaluate(UNLABELLED) == [], path
