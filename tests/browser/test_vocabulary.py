"""An admin adds a finding in Chromium and the work page highlights its synonym at once."""

import pytest
from playwright.sync_api import expect

from references.models import Work
from tests.browser.conftest import UNLABELLED, sign_in
from tests.browser.test_curation import shoot
from tests.helpers import member

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("migrated_data"),
]


def test_an_admin_adds_a_finding_that_is_then_suggested(live_server, page, django_user_model):
    work = Work.objects.create(
        title="A kinase-activated subtype in an infant",
        abstract="The blasts were BCR-ABL1-like. She relapsed.",
    )
    member(django_user_model, "keeper", "admin")
    sign_in(page, live_server, "keeper", "keeper-password-1", work.get_absolute_url())
    expect(page.locator('mark.mention[data-finding="relapse"]')).to_have_count(1)
    expect(page.locator('mark.mention[data-finding="Ph-like ALL"]')).to_have_count(0)

    page.get_by_role("link", name="Vocabulary", exact=True).click()
    page.get_by_role("link", name="Add a finding").click()
    assert page.evaluate(UNLABELLED) == []
    page.get_by_label("Label").fill("Ph-like ALL")
    page.get_by_label("Category").select_option("genetics")
    page.get_by_label("Description").fill("Philadelphia-like <ALL>, a kinase-activated subtype.")
    page.get_by_label("Synonyms").fill("Philadelphia-like\n\nBCR-ABL1-like\n")
    page.get_by_role("button", name="Add finding").click()
    expect(page.locator(".message[role=status]")).to_have_text("Added Ph-like ALL.")
    row = page.locator('tr[data-finding="Ph-like ALL"]')
    expect(row.locator(".synonyms")).to_have_text("Philadelphia-like, BCR-ABL1-like")
    expect(row).to_contain_text("Philadelphia-like <ALL>, a kinase-activated subtype.")
    shoot(page, "vocabulary-added")

    page.get_by_role("link", name="Add a finding").click()
    page.get_by_label("Label").fill("ph-like all")
    page.get_by_label("Category").select_option("genetics")
    page.get_by_role("button", name="Add finding").click()
    expect(page.locator("#finding-form")).to_contain_text("The vocabulary already has “Ph-like ALL”")
    shoot(page, "vocabulary-form-refused")

    page.goto(live_server.url + work.get_absolute_url())
    expect(page.locator('mark.mention[data-finding="Ph-like ALL"]')).to_have_text("BCR-ABL1-like")
    expect(page.locator('.suggestion[data-finding="Ph-like ALL"]')).to_contain_text("“BCR-ABL1-like”")
