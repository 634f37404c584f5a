"""Every real export in shared/samples imports as a work's reference list: one citation per record read."""

import pytest
from django.conf import settings
from django.core.management import call_command

from references.importers import decode_page
from references.models import ImportItem, Work
from references.refparse import parse_reference_list

pytestmark = pytest.mark.django_db

SAMPLES = settings.SHARED_DIR / "samples"
EXPORTS = sorted(path for path in SAMPLES.glob("*/*") if path.parent.name != "html" and path.is_file())


@pytest.mark.parametrize("path", EXPORTS, ids=lambda path: path.name)
def test_a_sample_export_becomes_a_reference_list_with_every_readable_record(path):
    citing = Work.objects.create(title="A review citing the export", doi="10.1234/citing")
    parsed = parse_reference_list(decode_page(path.read_bytes()).text)
    call_command("import_references", str(path), "--into", str(citing.pk), "--skip-unreadable")
    assert citing.citations.count() == len(parsed.references) > 0
    item = ImportItem.objects.get()
    assert item.reference_count == len(parsed.references)
    assert len(item.problems) >= len(parsed.problems)
