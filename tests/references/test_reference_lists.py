"""Reference lists imported into a work: previewed, then all or nothing, and idempotent."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from references.models import Citation, ImportBatch, ImportItem, Work

pytestmark = pytest.mark.django_db

TEXT_LIST = """\
1. Pieters R, Schrappe M, De Lorenzo P, et al. A treatment protocol for infants younger than 1 year with acute
   lymphoblastic leukaemia (Interfant-99): an observational study and a multicentre randomised trial. Lancet.
   2007;370(9583):240–50.
2. Mann G, Attarbaschi A, Schrappe M, et al. Improved outcome with hematopoietic stem cell transplantation in a poor prognostic subgroup of infants with mixed-lineage-leukemia (MLL)-rearranged acute lymphoblastic leukemia: results from the Interfant-99 Study. Blood. 2010;116(15):2644–50. doi: 10.1182/blood-2010-03-273532.
"""

BIBTEX_WITH_A_BROKEN_ENTRY = """\
@article{mann2010,
  author = {Mann, Georg and Attarbaschi, Andishe},
  title = {Improved outcome with hematopoietic stem cell transplantation in a poor prognostic subgroup of infants},
  journal = {Blood}, year = {2010}, volume = {116}, number = {15}, pages = {2644--2650},
  doi = {10.1182/blood-2010-03-273532}
}

@article{broken2011,
  author = {Dreyer, Z. E.},
  title = {Analysis of the role of {hematopoietic stem-cell transplantation,
  journal = {J Clin Oncol}, year = {2011}
}
"""


@pytest.fixture
def citing():
    return Work.objects.create(title="A review that cites", doi="10.1234/citing")


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_command_imports_a_text_list_and_again_changes_nothing(tmp_path, citing, capsys):
    path = write(tmp_path, "refs.txt", TEXT_LIST)
    call_command("import_references", str(path), "--into", "10.1234/citing")
    citations = list(citing.citations.order_by("position"))
    assert [c.parsed["year"] for c in citations] == [2007, 2010]
    assert citations[0].cited_work.title_key.startswith("a treatment protocol for infants")
    assert citations[1].cited_work.doi == "10.1182/blood-2010-03-273532"
    rows = list(Citation.objects.values())
    call_command("import_references", str(path), "--into", str(citing.pk))
    assert list(Citation.objects.values()) == rows
    assert ImportBatch.objects.order_by("-pk").first().items.get().outcome == "unchanged"
    assert "unchanged" in capsys.readouterr().out


def test_command_refuses_an_unknown_citing_work(tmp_path):
    with pytest.raises(CommandError, match="No work with id or DOI"):
        call_command("import_references", str(write(tmp_path, "r.txt", TEXT_LIST)), "--into", "10.1/none")


def test_dry_run_writes_nothing(tmp_path, citing):
    call_command(
        "import_references", str(write(tmp_path, "r.txt", TEXT_LIST)), "--into", "10.1234/citing", "--dry-run"
    )
    assert Citation.objects.count() == ImportBatch.objects.count() == 0


def test_preview_names_the_broken_entry_and_writes_nothing_until_confirmed(client, importer, citing):
    client.force_login(importer)
    url = reverse("references:import-references")
    response = client.post(url, {"into": "10.1234/citing", "text": BIBTEX_WITH_A_BROKEN_ENTRY, "format": ""})
    assert response.status_code == 200
    parsed = response.context["parsed"]
    assert parsed.format == "bibtex"
    assert [ref.label for ref in parsed.references] == ["mann2010"]
    assert any("broken2011" in str(problem) and "line 8" in str(problem) for problem in parsed.problems)
    assert "broken2011" in response.text
    assert Citation.objects.count() == 0 and Work.objects.count() == 1
    token = response.context["confirm"].initial["token"]
    confirm = reverse("references:import-references-confirm")
    refused = client.post(confirm, {"token": token}, follow=True)
    assert "1 of 2 entries could not be read" in refused.text and "broken2011" in refused.text
    assert Citation.objects.count() == 0
    client.post(confirm, {"token": token, "accept_losses": "on"})
    assert citing.citations.get().cited_work.doi == "10.1182/blood-2010-03-273532"
    assert "1 entry left out" in ImportItem.objects.get().message


def test_reference_import_is_admin_only(client, reader, citing):
    url = reverse("references:import-references")
    assert client.get(url).status_code == 302
    client.force_login(reader)
    assert client.post(url, {"into": "10.1234/citing", "text": TEXT_LIST}).status_code == 403


def test_an_uploaded_binary_file_is_refused_with_a_clear_error(client, importer, citing):
    client.force_login(importer)
    upload = SimpleUploadedFile("refs.pdf", b"%PDF-1.4\n\x00\x01", content_type="application/pdf")
    response = client.post(reverse("references:import-references"), {"into": str(citing.pk), "file": upload})
    assert "This is a PDF file" in response.text
    assert Citation.objects.count() == 0


def test_a_list_pasted_together_from_utf8_and_latin1_keeps_every_name(tmp_path, citing):
    utf8 = "1. Möricke A, Zimmermann M, Reiter A. Long-term results of five trials. Leukemia. 2010;24(2):265–84.\n"
    latin1 = (
        "2. Mejstríková E, Hrusak O, Borowitz MJ. CD19-negative relapse. Blood Cancer J. 2017;7(12):659.\n"
    )
    path = tmp_path / "mixed.txt"
    path.write_bytes(utf8.encode("utf-8") + latin1.encode("latin-1"))
    call_command("import_references", str(path), "--into", "10.1234/citing")
    families = [c.parsed["authors"][0]["family"] for c in citing.citations.order_by("position")]
    assert families == ["Möricke", "Mejstríková"]
