"""A preview's uploads are held in the database and claimed by exactly one confirmation."""

import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse

from references.models import ImportBatch, StagedImport, Work
from references.staging import claimed, stage


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_confirmations_of_one_preview_import_once(importer, seed_paths):
    client = Client()
    client.force_login(importer)
    upload = SimpleUploadedFile("page.txt", seed_paths["002"].read_bytes())
    preview = client.post(reverse("references:import"), {"files": [upload]})
    token = preview.context["confirm"].initial["token"]
    start, answers = threading.Barrier(2), []

    def confirm() -> None:
        racer = Client()
        racer.force_login(importer)
        start.wait()
        answers.append(racer.post(reverse("references:import-confirm"), {"token": token}).status_code)
        connection.close()

    racers = [threading.Thread(target=confirm) for _ in range(2)]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join()
    assert answers == [302, 302]
    assert ImportBatch.objects.count() == 1
    assert Work.objects.filter(source_documents__isnull=False).count() == 1
    assert not StagedImport.objects.exists()


@pytest.mark.django_db
def test_a_claim_undone_by_a_failed_import_can_be_confirmed_again(importer):
    token = stage(importer.pk, [("a.txt", b"text")], {"into": 1})
    with pytest.raises(RuntimeError), claimed(importer.pk, token) as staged:
        assert staged.files[0].read() == b"text" and staged.details == {"into": 1}
        raise RuntimeError("the import failed")
    with claimed(importer.pk, token) as staged:
        assert staged is not None
    with claimed(importer.pk, token) as staged:
        assert staged is None


@pytest.mark.django_db
def test_another_user_cannot_claim_a_preview(importer, admin_user):
    token = stage(importer.pk, [("a.txt", b"text")])
    with claimed(admin_user.pk, token) as staged:
        assert staged is None
    assert StagedImport.objects.filter(token=token).exists()


@pytest.mark.django_db
def test_uploads_are_staged_in_the_database_not_the_cache(client, importer, seed_paths):
    client.force_login(importer)
    upload = SimpleUploadedFile("page.txt", seed_paths["002"].read_bytes())
    client.post(reverse("references:import"), {"files": [upload]})
    staged = StagedImport.objects.get()
    assert bytes(staged.files.get().data) == seed_paths["002"].read_bytes()


@pytest.mark.django_db
def test_files_over_the_request_total_are_refused_before_staging(client, importer, settings):
    settings.IMPORT_MAX_REQUEST_BYTES = 1000
    client.force_login(importer)
    uploads = [SimpleUploadedFile(f"p{n}.txt", b"x" * 600) for n in range(2)]
    response = client.post(reverse("references:import"), {"files": uploads})
    assert "more than 1000 bytes together" in response.text.replace("\xa0", " ")
    assert not StagedImport.objects.exists()


@pytest.mark.django_db
def test_too_many_files_get_a_page_that_says_so(client, importer, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 2
    client.force_login(importer)
    uploads = [SimpleUploadedFile(f"p{n}.txt", b"x") for n in range(3)]
    response = client.post(reverse("references:import"), {"files": uploads})
    assert response.status_code == 413
    assert "at most 2 files" in response.text
    assert not StagedImport.objects.exists()


@pytest.mark.django_db
def test_a_pasted_list_over_the_request_limit_gets_a_sentence_not_a_bare_400(importer, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    client = Client(enforce_csrf_checks=True)
    client.force_login(importer)
    response = client.post(reverse("references:import-references"), {"into": "1", "text": "x" * 20_000})
    assert response.status_code == 413
    assert "upload the file instead" in response.text
