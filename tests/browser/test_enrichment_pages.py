"""Enrichment in Chromium: the batch page's progress updates in place; a curator reviews a DOI in one click."""

import pytest
from django.contrib.auth.models import Permission
from playwright.sync_api import expect

from references.models import EnrichmentBatch, MatchCandidate, Work
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_progress_bar_moves_without_a_reload(live_server, page, admin_user):
    works = [Work.objects.create(title=f"Work {i}", doi=f"10.5555/p.{i}") for i in range(4)]
    batch = EnrichmentBatch.objects.create(origin="web")
    for work in works:
        batch.items.create(work=work)
    sign_in(page, live_server, "chief", "chief-password-1", batch.get_absolute_url())
    expect(page.locator("#enrichment-progress .remaining")).to_have_text("4 remaining")
    page.evaluate("window.notReloaded = true")
    batch.items.filter(work__in=works[:3]).update(state="done")
    batch.items.filter(work=works[3]).update(state="failed", outcome="Crossref has no record of this DOI.")
    EnrichmentBatch.objects.filter(pk=batch.pk).update(state="finished")
    expect(page.locator("#enrichment-progress .done")).to_have_text("3 done")
    expect(page.locator("#enrichment-progress .failed")).to_have_text("1 failed")
    expect(page.locator("#enrichment-progress progress")).to_have_attribute("value", "4")
    assert page.evaluate("window.notReloaded") is True


def test_a_curator_accepts_a_doi_in_one_click(live_server, page, django_user_model):
    curator = django_user_model.objects.create_user("curator", password="curator-password-1")
    curator.user_permissions.add(Permission.objects.get(codename="change_matchcandidate"))
    work = Work.objects.create(title="CERMINE", year=2013, enrichment_state="review")
    record = {"DOI": "10.1007/s10032-015-0249-8", "title": ["CERMINE: automatic extraction"], "volume": "18"}
    MatchCandidate.objects.create(
        work=work,
        query="Tkaczyk D. CERMINE. 2013.",
        doi=record["DOI"],
        record=record,
        score=0.7,
        reason="year differs",
    )
    sign_in(page, live_server, "curator", "curator-password-1", "/review/")
    page.evaluate("window.notReloaded = true")
    page.get_by_role("button", name="Accept 10.1007/s10032-015-0249-8").click()
    expect(page.locator(".candidate .decided")).to_have_text("Accepted by curator.")
    assert page.evaluate("window.notReloaded") is True
    work.refresh_from_db()
    assert work.doi == "10.1007/s10032-015-0249-8"
