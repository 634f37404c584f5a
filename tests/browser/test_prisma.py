"""The searches page in Chromium: the PRISMA flow diagram renders, downloads, and breaks no CSP rule."""

import importlib
from io import StringIO

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from lxml import etree
from playwright.sync_api import expect

from tests.browser import test_csp
from tests.browser.conftest import sign_in
from tests.helpers import member
from tests.references.test_searches import A1, A2, SAMPLE, medline, ris

violations = test_csp.violations  # the fixture that collects CSP violations
settled = test_csp.settled

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("migrated_data"),
]


@pytest.fixture
def search_readers(migrated_data):
    """The grant the searches migration makes, put back after a transactional test's flush."""
    readers = importlib.import_module("references.migrations.0013_indexed_work_searches")
    app_label, codename = readers.PERMISSION
    permission = Permission.objects.get(content_type__app_label=app_label, codename=codename)
    for name in readers.READERS:
        Group.objects.get(name=name).permissions.add(permission)


@pytest.fixture
def imported(tmp_path):
    pubmed = tmp_path / "pubmed.txt"
    pubmed.write_text(medline(*A1, doi="10.9999/a1") + "\n" + medline(*A2, doi="10.9999/a2"))
    embase = tmp_path / "embase.ris"
    embase.write_text(ris(A1[1], "Smith, John", 2020, doi="10.9999/a1") + ris("A new one", "Doe, Jane", 2024))
    quiet = {"stdout": StringIO()}
    call_command(
        "import_records", str(pubmed), search_label="PubMed <infant> & KMT2A", database="PubMed", **quiet
    )
    call_command("import_records", str(embase), search_label="Embase", database="Embase (Ovid)", **quiet)
    call_command("import_records", str(SAMPLE), search_label="Sample", database="PubMed", **quiet)


def test_the_flow_diagram_renders_downloads_and_breaks_no_rule(
    live_server, page, violations, search_readers, imported, django_user_model, tmp_path
):
    member(django_user_model, "researcher", "researcher")
    sign_in(page, live_server, "researcher", "researcher-password-1", "/searches/")
    expect(page.get_by_role("heading", name="Searches")).to_be_visible()
    expect(page.get_by_role("link", name="PubMed <infant> & KMT2A")).to_be_visible()  # text, not markup
    diagram = page.locator("#prisma-diagram img")
    expect(diagram).to_be_visible()
    page.wait_for_function("() => document.querySelector('#prisma-diagram img').complete")
    assert diagram.evaluate("img => img.naturalWidth") == 860
    box = diagram.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 200
    shot = tmp_path / "prisma.png"
    diagram.screenshot(path=str(shot))
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 8_000
    assert page.locator("#search-overall").inner_text().split()[-8:] == [
        "8",
        "0",
        "1",
        "0",
        "7",
        "7",
        "0",
        "0",
    ]

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the flow diagram (SVG)").click()
    download = download_info.value
    assert download.suggested_filename == "prisma-flow-diagram.svg"
    root = etree.parse(download.path()).getroot()
    assert "Records identified from databases (n = 8)" in [node.text for node in root.iter()]
    assert settled(page, violations) == []
