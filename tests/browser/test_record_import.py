"""An admin builds the library from a PubMed search in Chromium: uploads the export, reads the preview, confirms,
watches the worker's progress, settles the possible duplicate in the queue and finds the new works by the
search that found them."""

import re

import pytest
from playwright.sync_api import expect

from config.celery import app as celery_app
from references.matching import title_key, title_similarity
from references.models import DuplicateCandidate, RecordImportJob, Search, SourceDocument
from references.pipeline.dedup import POSSIBLE_TITLE, SURE_TITLE
from tests.browser.conftest import sign_in
from tests.helpers import member
from tests.references.test_seed_import import import_seeds

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

LABEL = "PubMed, infant KMT2A, Dec 2026"
NEW = [
    (
        "39900001",
        "Menin inhibition in infant KMT2A-rearranged acute lymphoblastic leukemia",
        ("Okafor", "Ada"),
    ),
    (
        "39900002",
        "Minimal residual disease after blinatumomab in infants with leukemia",
        ("Lindqvist", "Per"),
    ),
]


def medline_record(pmid: str, title: str, year: int, authors: list[tuple[str, str]]) -> str:
    lines = [f"PMID- {pmid}", "OWN - NLM", "STAT- MEDLINE", f"DP  - {year} Mar", f"TI  - {title}"]
    lines.append(
        "AB  - Infants with KMT2A-rearranged acute lymphoblastic leukemia fare worse than older children."
    )
    for family, given in authors:
        lines += [f"FAU - {family}, {given}", f"AU  - {family} {given[:1]}"]
    lines += ["LA  - eng", "PT  - Journal Article", "TA  - Blood", "JT  - Blood", ""]
    return "\n".join(lines)


def close_title(title: str) -> str:
    """The seed's title as another database might print it: its last words left out."""
    words = title.split()
    for cut in range(1, len(words) - 3):
        shorter = " ".join(words[:-cut])
        if POSSIBLE_TITLE <= title_similarity(title_key(title), title_key(shorter)) < SURE_TITLE:
            return shorter
    raise AssertionError(f"no close variant of {title!r}")


@pytest.fixture
def export(tmp_path, seeds_dir, migrated_data):
    """A library holding the five seed pages, and a PubMed export of two new works and one close to a seed
    page's work (same authors and year, the title printed shorter)."""
    import_seeds(seeds_dir)
    seed = SourceDocument.objects.select_related("work").get(file_name__startswith="000").work
    authors = [(a.family, a.given or "A") for a in seed.authors]
    records = [medline_record(pmid, title, 2025, [name]) for pmid, title, name in NEW]
    records.append(medline_record("39900003", close_title(seed.title), seed.year, authors))
    path = tmp_path / "pubmed-infant-kmt2a.txt"
    path.write_text("\n".join(records))
    return path, seed


def test_admin_imports_a_pubmed_search_and_finds_its_works(
    live_server, page, django_user_model, export, celery_worker, test_queue
):
    path, seed = export
    member(django_user_model, "chief", "admin")
    sign_in(page, live_server, "chief", "chief-password-1", "/import/")

    page.locator("input[type=file]").set_input_files(str(path))
    page.get_by_label("Label:", exact=True).fill(LABEL)
    page.get_by_label("Database:", exact=True).fill("PubMed")
    page.get_by_label("Query as run").fill("infant[tiab] AND KMT2A")
    page.get_by_role("button", name="Preview").click()

    plan = page.locator("section.plan.records")
    expect(plan.locator(".badge")).to_have_text("records: medline")
    expect(plan.locator("dd.records")).to_have_text("3")
    expect(plan.locator("dd.new")).to_have_text("3")
    expect(plan.locator("dd.merged")).to_have_text("0")
    expect(plan.locator("dd.possible")).to_have_text("1")
    expect(plan.locator(".possible-list")).to_contain_text(f"#{seed.pk}")
    expect(plan.locator(".possible-list")).to_contain_text("title")
    assert not Search.objects.exists()

    celery_app.control.cancel_consumer(test_queue, reply=True, timeout=2)  # the job waits, to be watched
    try:
        page.get_by_role("button", name="Import", exact=True).click()
        expect(page.locator("h1")).to_have_text(re.compile(r"Record import #\d+"))
        progress = page.locator("#import-progress")
        expect(progress.locator(".state")).to_have_text("Waiting for a worker")
        expect(progress).to_have_attribute("hx-trigger", "every 1s")
        page.evaluate("window.notReloaded = true")
    finally:
        celery_app.control.add_consumer(test_queue, reply=True, timeout=2)
    expect(progress.locator(".state")).to_have_text(re.compile("Done"), timeout=60_000)
    assert page.evaluate("window.notReloaded") is True  # updated in place by htmx, not by reloading
    expect(progress).not_to_have_attribute("hx-trigger", "every 1s")  # and the polling stopped
    expect(progress.locator(".written")).to_have_text("3 written")
    expect(progress.locator("progress")).to_have_attribute("value", "3")
    assert RecordImportJob.objects.get().state == RecordImportJob.State.DONE
    search = Search.objects.get()
    expect(progress.locator("li.search")).to_contain_text(f"Search “{LABEL}”: 3 records, 3 new works")

    progress.get_by_role("link", name="The duplicates queue").click()
    pair = page.locator("li.pair")
    expect(pair).to_have_count(1)
    expect(pair).to_contain_text(f"found importing “{LABEL}”")
    pair.get_by_role("link", name=re.compile("Compare and merge")).click()
    expect(page.locator("h1")).to_have_text("Are these one publication?")
    page.get_by_role("button", name="Merge", exact=True).click()
    expect(page.locator(".message").first).to_contain_text("Merged")
    assert DuplicateCandidate.objects.get().state == DuplicateCandidate.State.MERGED

    page.goto(live_server.url + "/")
    expect(page.locator("li.work")).to_have_count(7)  # five seed pages, two new works; the third was merged
    page.locator("#facet-search").get_by_role("link", name=LABEL).click()
    expect(page).to_have_url(re.compile(rf"search={search.pk}"))
    expect(page.locator("li.work")).to_have_count(3)
    titles = page.locator("li.work .work-title")
    for _, title, _ in NEW:
        expect(titles.filter(has_text=title)).to_have_count(1)
    expect(titles.filter(has_text=seed.title)).to_have_count(1)  # found again, merged with the close record
