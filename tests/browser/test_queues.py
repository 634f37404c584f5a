"""Double curation in Chromium: an admin makes a three-work queue for two curators from the list page; each
works through it by keyboard alone, seeing only their own decisions; the resolver settles the disagreements;
the kappa on the queue's page is the one counted by hand; a researcher sees neither queues nor decisions."""

import pytest
from playwright.sync_api import expect

from curation.models import Annotation, Decision
from tests.browser.conftest import sign_in
from tests.curation.queue_library import grant_queue_permissions, library, people
from tests.helpers import ROOT

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("migrated_data"),
]

SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
WIDE = {"width": 1400, "height": 900}

# The suggestions of each work, in the panel's order (the vocabulary's: category, then label):
#   1 "Blinatumomab for relapsed infant ALL": KMT2A-r, infant, relapse, blinatumomab, HSCT
#   2 "Inotuzumab before transplant":          relapse, inotuzumab ozogamicin, HSCT
#   3 "Venetoclax in KMT2A-r leukemia":        KMT2A-r, infant, chemotherapy, venetoclax
# After each decision the panel comes back focused on the first suggestion left; j moves down.
KEYS = {
    "fay": ["a a r a a n", "j a j a n", "a j j a r n"],
    "sam": ["a r a r a n", "a a a n", "p n a a n"],  # p: back to work 2, n: on to work 3 again
}
ACCEPTED = {  # what those keys accept, per work
    "fay": [
        {"KMT2A-r", "infant", "blinatumomab", "HSCT"},
        {"inotuzumab ozogamicin", "HSCT"},
        {"KMT2A-r", "venetoclax"},
    ],
    "sam": [
        {"KMT2A-r", "relapse", "HSCT"},
        {"relapse", "inotuzumab ozogamicin", "HSCT"},
        {"KMT2A-r", "infant"},
    ],
}
# By hand, over the 3 works x the 7 findings either accepted: both yes 5, fay only 3, sam only 3, both no 10;
# p_o = 15/21, p_e = (8/21)² + (13/21)² = 233/441, kappa = (315 - 233) / (441 - 233) = 82/208 = 0.394.
HAND_KAPPA = "0.394"


def shoot(target, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target.screenshot(
        path=SCREENSHOTS / f"{name}.png", **({"full_page": True} if hasattr(target, "goto") else {})
    )


VIOLATIONS: list[str] = []  # Content-Security-Policy violations on the pages of the test running


@pytest.fixture(autouse=True)
def no_violations_yet():
    VIOLATIONS.clear()


REPORT_VIOLATIONS = """document.addEventListener("securitypolicyviolation", (event) =>
  window.reportViolation(`${event.violatedDirective} blocked ${event.blockedURI || "inline"} on ${location.pathname}`));"""


def watched(page):
    """The page, reporting CSP violations (events and console) to VIOLATIONS."""
    page.expose_function("reportViolation", lambda text: VIOLATIONS.append(text))
    page.add_init_script(REPORT_VIOLATIONS)
    page.on("console", lambda m: "Content Security Policy" in m.text and VIOLATIONS.append(m.text))
    return page


def as_member(browser, live_server, name: str, next_path: str = "/"):
    page = watched(browser.new_context(viewport=WIDE).new_page())
    page.set_default_timeout(15_000)
    sign_in(page, live_server, name, f"{name}-password-1", next_path)
    expect(page.get_by_role("button", name=f"Sign out {name}")).to_be_visible()
    return page


def press(page, key: str) -> None:
    """A key that submits a form or follows a link: wait for the page it opens."""
    with page.expect_navigation():
        page.keyboard.press(key)


def curate_by_keyboard(page, live_server, name: str) -> None:
    page.goto(f"{live_server.url}/curate/")
    page.get_by_role("link", name="Continue").click()
    for position, keys in enumerate(KEYS[name], 1):
        expect(page.locator(".queue-bar")).to_contain_text(f"work {position}")
        if position == 1:
            # Only their own decisions: nothing yet, though the other curator may have finished this work.
            expect(page.locator(".decided")).to_contain_text("Nothing decided yet")
            page.keyboard.press("?")
            expect(page.locator("#keys-help")).to_have_attribute("open", "")
            expect(page.locator("#keys-button")).to_have_attribute("aria-expanded", "true")
            page.keyboard.press("?")
            expect(page.locator("#keys-button")).to_have_attribute("aria-expanded", "false")
        for key in keys.split():
            if key == "j":
                page.keyboard.press("j")
                continue
            focused = page.evaluate("document.activeElement.dataset.finding")
            if key in "ar":  # decided in place: the panel is swapped, the live region says what changed
                page.keyboard.press(key)
                verdict = "Accepted" if key == "a" else "Rejected"
                expect(page.locator(f'.decision[data-finding="{focused}"]')).to_contain_text(verdict)
                expect(page.locator("#queue-status")).to_have_text(f"{focused}: {verdict.lower()}.")
                if page.locator(".offer").count():  # focus goes on to the first suggestion left
                    expect(page.locator(".offer").first).to_be_focused()
                continue
            press(page, key)
            if key == "p":
                expect(page.locator(".queue-bar")).to_contain_text(f"work {position - 1}")
    expect(page.get_by_role("status")).to_contain_text("finished every work")


def test_two_curators_a_resolver_and_the_agreement(browser, live_server, django_user_model):
    grant_queue_permissions()
    works = library()
    team = people(django_user_model)

    admin = as_member(browser, live_server, "ada")
    admin.goto(f"{live_server.url}/?sort=newest")
    admin.get_by_role("link", name="Make a curation queue of these").click()
    admin.get_by_label("Name").fill("Relapse, double")
    admin.get_by_label("Two curators decide independently, a resolver settles").check()
    admin.get_by_label("fay").check()
    admin.get_by_label("sam").check()
    admin.get_by_role("button", name="Make the queue").click()
    expect(admin.get_by_role("status")).to_contain_text("made with 3 works")
    queue_url = admin.url

    fay = as_member(browser, live_server, "fay")
    fay.goto(f"{live_server.url}/curate/")
    expect(fay.locator(".queues")).to_contain_text("0 of 3 done")
    shoot(fay, "queue-list")
    fay.get_by_role("link", name="Continue").click()
    # The reading view on a wide screen: the text and the panel side by side, the panel kept in view.
    text, panel = fay.locator("article.reading").bounding_box(), fay.locator(".curating-panel").bounding_box()
    assert panel["x"] >= text["x"] + text["width"] - 1 and abs(panel["y"] - text["y"]) < 80
    assert fay.locator(".curating-panel").evaluate("e => getComputedStyle(e).position") == "sticky"
    expect(fay.locator("a.mention.category-transplant").first).to_be_visible()
    expect(fay.locator(".legend")).to_contain_text("Transplant")
    shoot(fay, "queue-reading-view-side-by-side")
    curate_by_keyboard(fay, live_server, "fay")

    sam = as_member(browser, live_server, "sam")
    curate_by_keyboard(sam, live_server, "sam")

    for name, accepted in ACCEPTED.items():
        user = team["first" if name == "fay" else "second"]
        for work, labels in zip(works, accepted, strict=True):
            mine = set(
                user_decisions(user, work).filter(verdict="accept").values_list("finding__label", flat=True)
            )
            assert mine == labels, (name, work.title)

    admin.goto(queue_url)
    expect(admin.locator(".overall-kappa")).to_have_text(HAND_KAPPA)
    shoot(admin.locator(".agreement"), "queue-agreement-table")
    shoot(admin, "queue-page")
    for _ in range(3):
        admin.goto(queue_url)
        admin.locator(".to-resolve a").first.click()
        for fieldset in admin.locator(".disagreed fieldset").all():
            fieldset.get_by_role("radio").first.check()  # accept, with the evidence of whoever accepted
        if _ == 0:
            expect(admin.locator(".side-by-side")).to_contain_text("received blinatumomab")
            shoot(admin, "queue-resolver-page")
        admin.get_by_role("button", name="Resolve").click()
        expect(admin.get_by_role("status")).to_contain_text("Resolved")
    admin.goto(queue_url)
    expect(admin.locator(".to-resolve")).to_contain_text("None waiting")
    for work, first, second in zip(works, ACCEPTED["fay"], ACCEPTED["sam"], strict=True):
        tags = set(work.annotations.filter(state="accepted").values_list("finding__label", flat=True))
        assert tags == first | second, work.title
    assert Annotation.objects.filter(state="rejected").count() == 0

    researcher = as_member(browser, live_server, "rita")
    expect(researcher.get_by_role("navigation").get_by_role("link", name="Curate")).to_have_count(0)
    for path in ("/curate/", queue_url.removeprefix(live_server.url)):
        answer = researcher.goto(f"{live_server.url}{path}")
        assert answer.status == 403, path
    assert "blinatumomab" not in researcher.content()
    assert not VIOLATIONS, VIOLATIONS


def user_decisions(user, work):
    return Decision.objects.filter(curator=user, item__work=work)


def test_by_mouse_without_javascript_and_on_a_phone(browser, live_server, django_user_model):
    from curation import queues

    grant_queue_permissions()
    library()
    team = people(django_user_model)
    queue = queues.queue_create(
        name="Single",
        selection="",
        mode="single",
        curators=[team["first"]],
        resolver=None,
        user=team["admin"],
    )
    phone = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844}).new_page()
    sign_in(phone, live_server, "fay", "fay-password-1", f"/curate/{queue.pk}/next/")
    expect(phone.locator(".queue-bar")).to_contain_text("work 1")
    # On a phone the panel follows the text.
    text, panel = (
        phone.locator("article.reading").bounding_box(),
        phone.locator(".curating-panel").bounding_box(),
    )
    assert panel["y"] >= text["y"] + text["height"] - 1
    shoot(phone, "queue-reading-view-phone")
    expect(phone.locator("#keys-button")).to_be_hidden()  # the keys need the script; the buttons do not
    phone.get_by_role("button", name="Accept HSCT").click()
    expect(phone.get_by_role("status")).to_contain_text("HSCT: accepted")
    assert set(queue.items.get(position=1).work.annotations.values_list("finding__label", flat=True)) == {
        "HSCT"
    }
    # A mention followed offers its finding with its sentence.
    phone.locator(".abstract a.mention", has_text="blinatumomab").click()
    expect(phone.get_by_label("Evidence")).to_have_value(
        "After a second HSCT she received blinatumomab and remains in remission."
    )
    phone.get_by_role("button", name="Add").click()
    expect(phone.get_by_role("status")).to_contain_text("blinatumomab: accepted")
    phone.get_by_role("button", name="Done, next").click()
    expect(phone.locator(".queue-bar")).to_contain_text("work 2")
    expect(phone.locator(".queue-bar")).to_contain_text("1 of 3 done")
    phone.get_by_role("link", name="Previous").click()
    expect(phone.locator(".queue-bar")).to_contain_text("you are done with this work")
