"""The work list, the work page and the admin-only import with its preview."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from references.models import ImportBatch, SourceDocument, Work
from references.search import indexing
from tests.helpers import signed_in
from tests.references.test_seed_import import import_seeds

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client, django_user_model):
    """Reading the library takes a role: these tests read as a researcher."""
    return signed_in(client, django_user_model)


IMPORT_URL = reverse("references:import")


def upload(path) -> SimpleUploadedFile:
    return SimpleUploadedFile(path.name, path.read_bytes(), content_type="text/plain")


def test_work_list_shows_every_imported_work(client, seeds_dir, django_assert_max_num_queries):
    import_seeds(seeds_dir)
    with django_assert_max_num_queries(6 + 4):  # and the session, user and permissions of the reader
        response = client.get(reverse("references:work-list"))
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 5
    assert "Relapsed childhood acute lymphoblastic leukaemia" in response.text


def test_work_list_searches_the_full_text(client, seeds_dir):
    import_seeds(seeds_dir)
    indexing.rebuild()
    response = client.get(reverse("references:work-list"), {"q": "blinatumomab"})
    titles = [work.title for work in response.context["page"]]
    assert titles[0].startswith("Blinatumomab as a Curative Therapy Option")
    assert "Relapsed Acute Lymphoblastic Leukemia" not in titles


def test_work_page_shows_metadata_abstract_and_numbered_references(client, seeds_dir):
    import_seeds(seeds_dir)
    work = Work.objects.get(doi="10.21682/2311-1267-2025-12-4-89-96")
    response = client.get(work.get_absolute_url())
    assert response.status_code == 200
    html = response.text
    assert "Russian Journal of Pediatric Hematology and Oncology" in html
    assert '<span class="author">Machneva E.B.</span>, <span class="author">Sergeenko K.A.</span>' in html
    assert '<li value="14" id="ref-14">' in html
    assert "the search for new curative options" in html


def test_work_page_escapes_markup_in_the_abstract(client):
    work = Work.objects.create(title="<b>Bold</b> title", abstract="Risky <script>alert(1)</script> text")
    html = client.get(work.get_absolute_url()).text
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;Bold&lt;/b&gt; title" in html


def test_unknown_work_is_404(client):
    assert client.get(reverse("curation:work-detail", args=[999999])).status_code == 404


def test_import_sends_anonymous_users_to_the_login_page():
    response = Client().get(IMPORT_URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_import_is_forbidden_to_users_without_the_permission(client, reader, seed_paths):
    client.force_login(reader)
    assert client.get(IMPORT_URL).status_code == 403
    assert client.post(IMPORT_URL, {"files": upload(seed_paths["004"])}).status_code == 403
    assert client.post(reverse("references:import-confirm"), {"token": "x"}).status_code == 403
    assert Work.objects.count() == 0


def test_preview_shows_what_was_found_and_writes_nothing(client, importer, seed_paths):
    client.force_login(importer)
    response = client.post(IMPORT_URL, {"files": [upload(seed_paths["002"]), upload(seed_paths["004"])]})
    assert response.status_code == 200
    assert "Relapsed Acute Lymphoblastic Leukemia" in response.text
    assert "Lancet Oncol" in response.text
    assert [plan.outcome for plan in response.context["plans"]] == ["created", "created"]
    assert Work.objects.count() == ImportBatch.objects.count() == 0


def test_confirming_the_preview_imports_the_files_once(client, importer, seed_paths):
    client.force_login(importer)
    preview = client.post(IMPORT_URL, {"files": [upload(seed_paths["000"]), upload(seed_paths["001"])]})
    token = preview.context["confirm"].initial["token"]
    response = client.post(reverse("references:import-confirm"), {"token": token})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response.url == batch.get_absolute_url()
    assert (batch.origin, batch.created_by) == ("web", importer)
    assert batch.outcome_counts()["created"] == 2
    assert Work.objects.sources().count() == 2
    page = client.get(batch.get_absolute_url())
    assert "2 created" in page.text
    again = client.post(reverse("references:import-confirm"), {"token": token}, follow=True)
    assert "expired or was already imported" in again.text
    assert SourceDocument.objects.count() == 2


def test_preview_reports_errors_and_offers_nothing_to_import(client, importer):
    client.force_login(importer)
    empty = SimpleUploadedFile("empty.txt", b"", content_type="text/plain")
    response = client.post(IMPORT_URL, {"files": [empty]})
    assert response.status_code == 200
    assert "The submitted file is empty." in response.text
    binary = SimpleUploadedFile("scan.pdf", b"%PDF-1.7\n\x00\x01", content_type="application/pdf")
    response = client.post(IMPORT_URL, {"files": [binary]})
    assert response.context["confirm"] is None
    assert "This is a PDF file" in response.text
    assert "Nothing to import" in response.text
    assert Work.objects.count() == ImportBatch.objects.count() == 0


def test_a_token_from_another_user_imports_nothing(client, importer, admin_user, seed_paths):
    client.force_login(importer)
    token = client.post(IMPORT_URL, {"files": upload(seed_paths["004"])}).context["confirm"].initial["token"]
    client.force_login(admin_user)
    client.post(reverse("references:import-confirm"), {"token": token})
    assert Work.objects.count() == 0


@pytest.mark.parametrize("name", ["Pieters", "Morris", "Möricke"])
def test_search_finds_authors_by_family_name(client, name):
    from references.models import Contributor

    work = Work.objects.create(title="Outcome of infant leukaemia")
    SourceDocument.objects.create(work=work, file_name="x.txt", sha256="1" * 64, size=1, raw_text="x")
    Contributor.objects.create(work=work, position=1, family=name, given="R")
    indexing.rebuild()
    response = client.get(reverse("references:work-list"), {"q": name})
    assert [w.pk for w in response.context["page"]] == [work.pk]


def test_search_takes_prefixes_and_phrases(client):
    work = Work.objects.create(title="Relapsed infant leukaemia after transplantation")
    SourceDocument.objects.create(work=work, file_name="x.txt", sha256="2" * 64, size=1, raw_text="x")
    indexing.rebuild()
    for query in ["relaps*", '"infant leukaemia"', "transplant* -myeloma"]:
        assert client.get(reverse("references:work-list"), {"q": query}).context["page"].paginator.count == 1
    assert (
        client.get(reverse("references:work-list"), {"q": '"leukaemia infant"'})
        .context["page"]
        .paginator.count
        == 0
    )


def test_a_work_without_a_title_is_listed_by_what_names_it(client):
    from references.search import indexing

    named = Work.objects.create(title="", doi="10.1234/untitled")
    untitled = Work.objects.create(title="  ")
    indexing.refresh([named.pk, untitled.pk])
    html = client.get(reverse("references:work-list") + "?scope=all").text
    assert "[No title] doi:10.1234/untitled" in html and f"[No title] work #{untitled.pk}" in html
