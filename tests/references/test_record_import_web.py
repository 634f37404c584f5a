"""The admin's import page takes saved pages and exported records together: the preview says which is which
and what importing the records would do; confirmed records are imported by a worker, with progress."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from references.models import (
    DuplicateCandidate,
    ImportBatch,
    RecordImportJob,
    Search,
    SearchHit,
    SourceDocument,
    StagedImport,
    Work,
)
from references.pipeline import uploads as record_uploads
from references.pipeline.uploads import run_record_import
from tests.helpers import member, wait_until

MEDLINE = Path(settings.SHARED_DIR) / "samples" / "medline" / "pubmed_result2.txt"  # 4 records

BROKEN_BIBTEX = b"""@article{good2001, author={Doe, Jane}, title={Infant leukemia outcomes}, journal={Blood}, year={2001}}

@article{broken, author={Roe, R}, title={Unclosed {brace, year=2002

@article{good2003, author={Poe, Ed}, title={Relapse in childhood ALL}, journal={Leukemia}, year={2003}}
"""


def upload(path: Path) -> SimpleUploadedFile:
    return SimpleUploadedFile(path.name, path.read_bytes())


def count(html: str, name: str) -> int:
    """A count of the records preview (<dd class="new">4</dd>)."""
    return int(re.search(rf'<dd class="{name}">(\d+)</dd>', html).group(1))


def token_of(html: str) -> str:
    return re.search(r'name="token" value="([^"]+)"', html).group(1)


@pytest.fixture
def sent(monkeypatch) -> list[int]:
    """The jobs sent to the worker, kept here instead: these tests run the task's body themselves (a worker
    the session started for other tests would otherwise take them too)."""
    jobs: list[int] = []
    monkeypatch.setattr(record_uploads.import_record_files, "delay_on_commit", jobs.append)
    return jobs


@pytest.fixture
def chief(importer, client):
    """May import (the admin group's permission; the groups do not outlive a transactional test's flush)."""
    client.force_login(importer)
    return importer


def close_work() -> Work:
    """A work close to pubmed_result2.txt's third record: same first author and year, title typed otherwise."""
    work = Work(title="Open source clustering software tools", year=2004)
    work.refresh_match_keys("de Hoon")
    work.save()
    return work


def preview(client, *files, **search) -> str:
    response = client.post(reverse("references:import"), {"files": list(files), **search})
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_preview_says_which_file_holds_records_and_which_is_a_page(client, chief, seed_paths):
    html = preview(client, upload(MEDLINE), upload(seed_paths["003"]))
    records, page = html.split(seed_paths["003"].name, 1)
    assert "pubmed_result2.txt" in records and "records: medline" in records
    assert (count(records, "records"), count(records, "new"), count(records, "merged")) == (4, 4, 0)
    assert (count(records, "possible"), count(records, "skipped")) == (0, 0)
    assert "new work" in page  # the seed is read as a page, as before
    assert Work.objects.count() == 0 and Search.objects.count() == 0


@pytest.mark.django_db
def test_preview_names_each_duplicate_of_the_library_with_method_and_score(client, chief):
    known = Work.objects.create(title="A high level interface to SCOP and ASTRAL", pmid="16403221", year=2006)
    html = preview(client, upload(MEDLINE))
    assert (count(html, "records"), count(html, "new"), count(html, "merged")) == (4, 3, 1)
    merged = html.split('class="merged-list"', 1)[1].split("</details>", 1)[0]
    assert f'href="{known.get_absolute_url()}"' in merged
    assert "<td>pmid</td><td>1.00</td>" in merged


@pytest.mark.django_db
def test_preview_lists_only_the_first_duplicates_and_counts_the_rest(client, chief, monkeypatch):
    monkeypatch.setattr(record_uploads, "SHOWN", 2)
    for pmid in ("16403221", "16377612", "14871861"):
        Work.objects.create(title=f"Known {pmid}", pmid=pmid, year=2006)
    html = preview(client, upload(MEDLINE))
    merged = html.split('class="merged-list"', 1)[1].split("</details>", 1)[0]
    assert merged.count("<td>pmid</td>") == 2
    assert "and 1 more." in merged


@pytest.mark.django_db
def test_preview_shows_a_possible_duplicate_for_a_person(client, chief):
    close = close_work()
    html = preview(client, upload(MEDLINE))
    assert count(html, "possible") == 1
    possible = html.split('class="possible-list"', 1)[1].split("</details>", 1)[0]
    assert f'href="{close.get_absolute_url()}"' in possible and "<td>title</td>" in possible


@pytest.mark.django_db
def test_unreadable_records_are_listed_and_must_be_accepted(client, chief, sent):
    html = preview(client, SimpleUploadedFile("library.bib", BROKEN_BIBTEX))
    assert (count(html, "records"), count(html, "new"), count(html, "skipped")) == (3, 2, 1)
    assert "line 3, broken: unbalanced braces" in html
    assert 'name="accept_losses"' in html and "leave out the 1 record listed as unreadable" in html
    token = token_of(html)

    refused = client.post(reverse("references:import-confirm"), {"token": token})
    assert refused.status_code == 200 and "This field is required." in refused.content.decode()
    assert not RecordImportJob.objects.exists()
    assert StagedImport.objects.filter(token=token, claimed_at=None).exists()  # still there to accept

    accepted = client.post(reverse("references:import-confirm"), {"token": token, "accept_losses": "on"})
    job = RecordImportJob.objects.get()
    assert accepted.status_code == 302 and accepted.url == job.get_absolute_url()
    assert sent == [job.pk]
    run_record_import(job.pk)  # what the worker does
    job.refresh_from_db()
    assert job.state == RecordImportJob.State.DONE
    search = Search.objects.get()
    assert (search.records, search.added, search.skipped) == (3, 2, 1)
    assert search.problems == ["line 3, broken: unbalanced braces in entry broken starting at line 3"]


@pytest.mark.django_db
def test_search_details_on_the_form_describe_the_search(client, chief, sent):
    html = preview(
        client,
        upload(MEDLINE),
        label="PubMed, python tools",
        database="PubMed",
        query="python[tiab]",
        run_on="2026-11-30",
        reported="5",
    )
    client.post(reverse("references:import-confirm"), {"token": token_of(html)})
    run_record_import(RecordImportJob.objects.get().pk)
    search = Search.objects.get()
    assert (search.label, search.database, search.query) == ("PubMed, python tools", "PubMed", "python[tiab]")
    assert (str(search.run_on), search.reported, search.file_format) == ("2026-11-30", 5, "medline")


@pytest.mark.django_db
@pytest.mark.parametrize("group", ["researcher", "curator", None])
def test_only_admins_import(client, django_user_model, group):
    user = member(django_user_model, "someone", group) if group else None
    user = user or django_user_model.objects.create_user("outsider", password="outsider-password-1")
    client.force_login(user)
    job = RecordImportJob.objects.create(token="t" * 20)
    assert client.get(reverse("references:import")).status_code == 403
    assert client.post(reverse("references:import"), {"files": [upload(MEDLINE)]}).status_code == 403
    assert client.post(reverse("references:import-confirm"), {"token": "t" * 20}).status_code == 403
    assert client.get(job.get_absolute_url()).status_code == 403


@pytest.mark.django_db
def test_the_admin_group_imports(client, django_user_model):
    client.force_login(member(django_user_model, "boss", "admin"))
    assert count(preview(client, upload(MEDLINE)), "records") == 4


@pytest.mark.django_db
def test_anonymous_visitors_go_to_sign_in(client):
    job = RecordImportJob.objects.create(token="t" * 20)
    response = client.get(job.get_absolute_url())
    assert response.status_code == 302 and "login" in response.url


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_confirmed_records_are_imported_by_the_worker_with_progress(client, chief, seed_paths, celery_worker):
    html = preview(client, upload(MEDLINE), upload(seed_paths["003"]), label="PubMed sample")
    response = client.post(reverse("references:import-confirm"), {"token": token_of(html)})
    job = RecordImportJob.objects.get()
    assert response.url == job.get_absolute_url()
    assert SourceDocument.objects.count() == 1  # the page is imported at once, the records by the worker

    page = client.get(job.get_absolute_url()).content.decode()
    assert 'hx-trigger="every 1s"' in page or "Done" in page

    wait_until(lambda: RecordImportJob.objects.get(pk=job.pk).state == RecordImportJob.State.DONE, timeout=60)
    job.refresh_from_db()
    assert (job.records_total, job.records_read, job.records_written) == (4, 4, 4)
    search = Search.objects.get()
    assert (search.label, search.records, search.added) == ("PubMed sample", 4, 4)
    assert set(Work.objects.filter(search_hits__search=search).values_list("pmid", flat=True)) == {
        "16403221",
        "16377612",
        "14871861",
        "14630660",
    }
    partial = client.get(job.get_absolute_url(), headers={"HX-Request": "true"}).content.decode()
    assert "every 1s" not in partial  # polling stops
    assert '<span class="written">4 written</span>' in partial
    assert f"?search={search.pk}" in partial and search.batch.get_absolute_url() in partial
    assert set(job.batches.values_list("kind", flat=True)) == {
        ImportBatch.Kind.SOURCES,
        ImportBatch.Kind.RECORDS,
    }


class WorkerDied(BaseException):
    """What the import sees of a killed worker: it stops mid-transaction, and no handler of ours runs."""


def fail_while_writing(monkeypatch, error: BaseException) -> None:
    """The first import to write a record stops there."""
    real, failed = record_uploads.Reporter.__call__, []

    def report(self, **values):
        real(self, **values)
        if values.get("records_written") and not failed:
            failed.append(error)
            raise error

    monkeypatch.setattr(record_uploads.Reporter, "__call__", report)


def confirmed_job(client) -> RecordImportJob:
    close_work()  # brings a pair for the duplicates queue
    html = preview(client, upload(MEDLINE))
    client.post(reverse("references:import-confirm"), {"token": token_of(html)})
    return RecordImportJob.objects.get()


def nothing_written() -> bool:
    return (
        Work.objects.count() == 1
        and not Search.objects.exists()
        and not SearchHit.objects.exists()
        and not ImportBatch.objects.exists()
        and not DuplicateCandidate.objects.exists()
    )


@pytest.mark.django_db(transaction=True)
def test_an_import_stopped_by_an_error_writes_nothing_and_can_be_confirmed_again(
    client, chief, sent, monkeypatch
):
    job = confirmed_job(client)
    fail_while_writing(monkeypatch, RuntimeError("database went away"))
    run_record_import(job.pk)
    job.refresh_from_db()
    assert job.state == RecordImportJob.State.FAILED and "database went away" in job.error
    assert nothing_written()
    assert StagedImport.objects.filter(token=job.token, claimed_at=None).exists()

    page = client.get(job.get_absolute_url()).content.decode()
    assert "Start the import again" in page
    again = client.post(reverse("references:import-confirm"), {"token": job.token, "accept_losses": "on"})
    second = RecordImportJob.objects.exclude(pk=job.pk).get()
    assert again.url == second.get_absolute_url() and sent == [job.pk, second.pk]
    run_record_import(second.pk)
    second.refresh_from_db()
    assert second.state == RecordImportJob.State.DONE
    assert Search.objects.get().added == 4 and Work.objects.count() == 5


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_import_leaves_nothing_and_the_redelivered_task_imports_once(
    client, chief, sent, monkeypatch
):
    job = confirmed_job(client)
    fail_while_writing(monkeypatch, WorkerDied())
    with pytest.raises(WorkerDied):
        run_record_import(job.pk)
    job.refresh_from_db()
    # The progress was written outside the import's transaction: the page saw it, and it outlived the rollback.
    assert job.state == RecordImportJob.State.RUNNING and job.records_read == 4 and job.records_written > 0
    assert nothing_written()

    run_record_import(job.pk)  # the broker hands the unacknowledged task to the next worker
    job.refresh_from_db()
    assert job.state == RecordImportJob.State.DONE
    assert (Search.objects.count(), Work.objects.count(), DuplicateCandidate.objects.count()) == (1, 5, 1)
    assert not StagedImport.objects.filter(token=job.token).exists()

    run_record_import(job.pk)  # delivered once more: nothing changes
    assert (Search.objects.count(), Work.objects.count(), SearchHit.objects.count()) == (1, 5, 4)


@pytest.mark.django_db
def test_a_job_whose_upload_is_gone_fails_with_a_sentence(chief):
    job = RecordImportJob.objects.create(token="gone" * 5, created_by=chief)
    run_record_import(job.pk)
    job.refresh_from_db()
    assert job.state == RecordImportJob.State.FAILED and "expired" in job.error


@pytest.mark.django_db
def test_a_delivery_that_finds_the_upload_gone_leaves_a_done_job_done(chief):
    job = RecordImportJob.objects.create(token="done" * 5, created_by=chief, state=RecordImportJob.State.DONE)
    job.state = RecordImportJob.State.RUNNING  # as a concurrent delivery loaded it, before the other finished
    record_uploads._import_staged(job, report=None)
    job.refresh_from_db()
    assert job.state == RecordImportJob.State.DONE and job.error == ""
