"""`import_sources` refuses a file of bibliographic records: it exits with an error, names the command that takes
the file, and writes nothing (a work the file's first DOI would have matched keeps its title)."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from references.identifiers import first_doi
from references.models import Citation, Contributor, ImportItem, SourceDocument, Work
from references.pipeline.uploads import RecordPreview

from .test_refusals import COMMANDS, RECORD_FILES


@pytest.mark.django_db
@pytest.mark.parametrize("path", RECORD_FILES, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_import_sources_refuses_a_record_file_and_writes_nothing(path: Path):
    doi = first_doi(path.read_text(encoding="utf-8", errors="replace"))
    good = Work.objects.create(title="A good title", doi=doi or "10.5555/unrelated")
    out = StringIO()
    with pytest.raises(CommandError, match="1 of 1 files failed; nothing of them was written"):
        call_command("import_sources", str(path), stdout=out)
    assert COMMANDS in out.getvalue()
    good.refresh_from_db()
    assert good.title == "A good title"
    assert list(Work.objects.values_list("pk", flat=True)) == [good.pk]
    assert not SourceDocument.objects.exists()
    assert not Citation.objects.exists()
    assert not Contributor.objects.exists()
    item = ImportItem.objects.get()
    assert item.outcome == ImportItem.Outcome.FAILED
    assert item.message.endswith(COMMANDS)


@pytest.mark.django_db
def test_the_web_import_previews_a_record_file_as_records_not_as_a_page(client, importer):
    path = next(path for path in RECORD_FILES if path.suffix == ".ris")
    client.force_login(importer)
    upload = SimpleUploadedFile(path.name, path.read_bytes())
    response = client.post(reverse("references:import"), {"files": [upload]})
    [plan] = response.context["plans"]
    assert isinstance(plan, RecordPreview) and plan.format == "ris" and plan.plan is not None
    assert not Work.objects.exists()
