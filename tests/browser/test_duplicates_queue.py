"""The duplicates queue in Chromium, by keyboard alone: "n" on the list decides the pair holding the focus in
place (htmx), "m" on a pair's page merges it; the Content-Security-Policy blocks nothing."""

import pytest
from playwright.sync_api import expect

from references.models import DuplicateCandidate
from tests.browser.conftest import sign_in
from tests.helpers import member
from tests.references.test_duplicates_queue import RECORD_A, RECORD_B, import_file

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("migrated_data"),
]


def test_a_curator_decides_pairs_with_the_keyboard(live_server, page, django_user_model, tmp_path):
    import_file(tmp_path, "a.ris", RECORD_A)
    import_file(tmp_path, "b.ris", RECORD_B)
    other = {
        "AU": ["Biondi, A."],
        "PY": "2010",
        "TI": "Minimal residual disease in childhood acute lymphoblastic leukemia{}",
    }
    import_file(tmp_path, "c.ris", {**other, "TI": other["TI"].format(" treated on protocol AIEOP-BFM")})
    import_file(
        tmp_path, "d.ris", {**other, "TI": other["TI"].format(" treated on the protocol AIEOP BFM 2000")}
    )
    distinct, merged = DuplicateCandidate.objects.order_by("pk")
    member(django_user_model, "carla", "curator")
    blocked: list[str] = []
    page.on(
        "console", lambda message: "Content Security Policy" in message.text and blocked.append(message.text)
    )
    sign_in(page, live_server, "carla", "carla-password-1", "/duplicates/")
    expect(page.get_by_role("link", name="Duplicates (2)")).to_be_visible()
    page.locator(f"#pair-{distinct.pk} a.compare").focus()
    page.keyboard.press("n")
    expect(page.locator("#duplicate-note")).to_contain_text("will not be proposed again")
    expect(page.locator("#duplicate-note")).to_be_focused()
    expect(page.locator(f"#pair-{distinct.pk}")).to_have_count(0)
    assert page.url.endswith("/duplicates/")  # updated in place
    page.keyboard.press("j")
    expect(page.locator(f"#pair-{merged.pk} a.compare")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Are these one publication?")).to_be_visible()
    page.keyboard.press("m")
    expect(page.get_by_role("status").first).to_contain_text("Merged #")
    distinct.refresh_from_db()
    merged.refresh_from_db()
    assert (distinct.state, merged.state) == ("distinct", "merged")
    assert blocked == []
