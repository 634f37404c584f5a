"""A reference list no reader can take (here: CSL-JSON nested 100,000 levels deep) is refused with its reason:
the command exits with an error, the web form shows it, and nothing is written."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from references.models import Citation, ImportBatch, Work

pytestmark = pytest.mark.django_db

DEEP = '[{"type": "article-journal", "title": "x", "note": ' + "[" * 100_000 + "]" * 100_000 + "}]"
REASON = "nested more than 64 levels deep"


@pytest.fixture
def citing():
    return Work.objects.create(title="A review that cites", doi="10.1234/citing")


@pytest.mark.parametrize("format", [[], ["--format", "csljson"]], ids=["detected", "named"])
def test_the_command_refuses_deep_json_with_its_reason(tmp_path, citing, format: list[str]):
    path = tmp_path / "deep.json"
    path.write_text(DEEP, encoding="utf-8")
    with pytest.raises(CommandError, match=REASON):
        call_command("import_references", str(path), "--into", "10.1234/citing", *format)
    assert Citation.objects.count() == ImportBatch.objects.count() == 0


@pytest.mark.parametrize("format", ["", "csljson"], ids=["detected", "named"])
def test_the_web_form_refuses_deep_json_with_its_reason(client, importer, citing, format: str):
    client.force_login(importer)
    url = reverse("references:import-references")
    response = client.post(url, {"into": "10.1234/citing", "text": DEEP, "format": format})
    assert response.status_code == 200
    assert REASON in " ".join(response.context["form"].non_field_errors())
    assert Citation.objects.count() == ImportBatch.objects.count() == 0
