"""Exports of the library: the five seeds with all their references, checked by the real BibTeX tools and
read back; stable keys; the same selection as the list page; the command."""

import io
import json
from pathlib import Path

import bibtexparser
import jsonschema
import pytest
from django.core.management import call_command
from django.urls import reverse

from curation.models import Annotation, Finding
from references.exports import assign_citation_keys
from references.forms import WorkFilterForm
from references.models import Contributor, Work
from references.search import indexing
from tests.export.tools import build_pdf, run_bibtex, validate_with_biber
from tests.helpers import signed_in
from tests.references.test_seed_import import import_seeds

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client, django_user_model):
    """Reading the library takes a role: these tests read as a researcher."""
    return signed_in(client, django_user_model)


BIB_URL = reverse("references:export-bib")


@pytest.fixture
def library(seeds_dir) -> list[Work]:
    """The five seeds and every work they cite, with one accepted and one rejected finding."""
    import_seeds(seeds_dir)
    case_report = Work.objects.get(doi="10.15264/cpho.2024.31.1.10")
    Annotation.objects.create(
        work=case_report, finding=Finding.objects.get(label="blinatumomab"), state="accepted"
    )
    Annotation.objects.create(work=case_report, finding=Finding.objects.get(label="CAR-T"), state="rejected")
    return list(Work.objects.active())


def download(client, params: dict | None = None, url: str = BIB_URL) -> str:
    response = client.get(url, params or {})
    assert response.status_code == 200, response.content[:300]
    assert response.streaming
    return b"".join(response.streaming_content).decode()


def parsed_entries(text: str) -> dict[str, dict[str, str]]:
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks
    return {entry.key: {field.key: field.value for field in entry.fields} for entry in library.entries}


def unbraced(value: str) -> str:
    return value.replace("{", "").replace("}", "")


def test_the_whole_library_passes_biber_and_bibtex(client, library, tmp_path):
    text = download(client, {"scope": "all"})
    bib = tmp_path / "library.bib"
    bib.write_text(text, encoding="utf-8")
    keys = list(parsed_entries(text))
    assert len(keys) == len(library) > 90
    assert validate_with_biber(bib) == []
    assert run_bibtex(bib, keys) == []
    assert build_pdf(bib).stat().st_size > 0


def test_ascii_export_passes_the_tools_too(client, library, tmp_path):
    text = download(client, {"scope": "all", "ascii": "1"})
    assert text.isascii()
    bib = tmp_path / "ascii.bib"
    bib.write_text(text, encoding="ascii")
    assert validate_with_biber(bib) == []
    assert run_bibtex(bib, list(parsed_entries(text))) == []


def test_every_field_reads_back_as_stored(client, library):
    entries = parsed_entries(download(client, {"scope": "all"}))
    for work in Work.objects.active().exclude(citation_key=""):
        entry = entries[work.citation_key]
        assert unbraced(entry["title"]) == work.title.replace("&", "\\&").replace("%", "\\%").replace(
            "_", "\\_"
        )
        if work.year:
            assert entry["year"] == str(work.year)
        if work.doi:
            assert entry["doi"] == work.doi
        if work.volume:  # a work its entry type cannot hold (no author, say) keeps its volume in the note
            assert entry.get("volume") == work.volume or f"vol. {work.volume}" in entry["note"]
        if work.pages and "pages" in entry:
            assert entry["pages"].replace("--", "-") == work.pages
        families = list(work.authors.values_list("family", flat=True))
        if families:
            assert [name.split(",")[0] for name in unbraced(entry["author"]).split(" and ")] == families


def test_keywords_are_the_accepted_findings(client, library):
    case_report = Work.objects.get(doi="10.15264/cpho.2024.31.1.10")
    entries = parsed_entries(download(client, {"work": case_report.pk}))
    case_report.refresh_from_db()
    entry = entries[case_report.citation_key]
    assert entry["keywords"] == "blinatumomab"


def test_keys_are_readable_unique_and_stable(client, library):
    first = download(client, {"scope": "all"})
    keys = list(parsed_entries(first))
    assert len(keys) == len(library)  # one entry per work: no two share a key
    pieters = Work.objects.get(title__istartswith="A treatment protocol for infants younger than 1 year")
    assert pieters.citation_key == "pieters2007treatment"
    twin = Work.objects.create(title="Treatment of infant leukaemia", year=2007)
    Contributor.objects.create(work=twin, position=1, family="Pieters", given="R")
    second = download(client, {"scope": "all"})
    assert parsed_entries(second).keys() - {"pieters2007treatmenta"} == set(keys)
    twin.refresh_from_db()
    assert twin.citation_key == "pieters2007treatmenta"


def test_a_key_survives_an_edit_of_its_title(client, library):
    assign_citation_keys(Work.objects.all())
    work = Work.objects.exclude(citation_key="").first()
    key = work.citation_key
    Work.objects.filter(pk=work.pk).update(title="Quite another title")
    assert key in parsed_entries(download(client, {"work": work.pk}))


def test_the_export_selects_what_the_list_shows(client, library):
    indexing.rebuild()
    params = {"q": "blinatumomab", "scope": "all"}
    listed = set(WorkFilterForm(params).selection().values_list("work_id", flat=True))  # the list page's rows
    exported = parsed_entries(download(client, params))
    assert (
        listed and set(Work.objects.filter(citation_key__in=exported).values_list("pk", flat=True)) == listed
    )


def test_findings_filter_the_export(client, library):
    exported = parsed_entries(download(client, {"finding": "blinatumomab", "scope": "all"}))
    assert list(exported) == [Work.objects.get(doi="10.15264/cpho.2024.31.1.10").citation_key]


def test_a_bad_filter_is_a_clear_400(client, library):
    response = client.get(BIB_URL, {"year": "nineteen", "finding": "no-such-finding"})
    assert response.status_code == 400
    assert "year:" in response.text and "finding:" in response.text


def test_ris_and_csl_json_export_the_same_selection(client, library):
    params = {"scope": "all"}
    ris = download(client, params, reverse("references:export-ris"))
    items = json.loads(download(client, params, reverse("references:export-csljson")))
    assert ris.count("ER  - ") == len(items) == len(library)
    assert {item["id"] for item in items} == set(Work.objects.active().values_list("citation_key", flat=True))
    schema = json.loads((Path(__file__).parents[1] / "export" / "schema" / "csl-data.json").read_text())
    jsonschema.validate(items, schema)


def test_the_command_writes_the_same_selection(tmp_path, library):
    output = tmp_path / "blinatumomab.bib"
    messages = io.StringIO()
    call_command("export_bibtex", "--finding", "blinatumomab", "-o", str(output), stderr=messages)
    assert messages.getvalue().strip() == f"Wrote 1 entry to {output}."
    assert list(parsed_entries(output.read_text())) == [
        Work.objects.get(doi="10.15264/cpho.2024.31.1.10").citation_key
    ]


def test_the_export_buttons_carry_the_lists_query(client, library):
    indexing.rebuild()
    page = client.get(reverse("references:work-list"), {"q": "infant", "scope": "all", "page": "1"})
    assert f'href="{BIB_URL}?q=infant&amp;scope=all"' in page.text
    work = library[0]
    assert f'href="{BIB_URL}?work={work.pk}"' in client.get(work.get_absolute_url()).text
