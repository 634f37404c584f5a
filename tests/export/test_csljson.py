"""CSL-JSON export: items valid against the CSL schema, with every field of the record."""

import json
from dataclasses import replace
from pathlib import Path

import jsonschema
import pytest

from references.export.csljson import CSL_TYPES, csl_item
from references.export.records import ExportRecord
from references.people import Name
from tests.export.test_bibtex import FULL, TRICKY


@pytest.fixture(scope="module")
def validator():
    schema = json.loads((Path(__file__).parent / "schema" / "csl-data.json").read_text())
    return jsonschema.Draft7Validator(schema)


def test_every_item_validates(validator):
    items = [csl_item(record, abstract=True) for record in TRICKY]
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(items)]
    assert errors == []


def test_schema_rejects_what_the_writer_must_not_produce(validator):
    # the schema is strict enough for the test above to mean something
    item = csl_item(FULL)
    assert not validator.is_valid([{**item, "type": "journal-article"}])
    assert not validator.is_valid([{**item, "author": [{"name": "Pieters"}]}])


def test_item_has_every_field():
    assert csl_item(FULL, abstract=True) == {
        "id": "pieters2007treatment",
        "citation-key": "pieters2007treatment",
        "type": "article-journal",
        "title": "A treatment protocol for infants younger than 1 year with acute lymphoblastic leukaemia "
        "(Interfant-99): an observational, multicentre, randomised trial",
        "author": [
            {"family": "Pieters", "given": "Rob"},
            {"family": "Möricke", "given": "Anja"},
            {"family": "Pánek", "given": "Łukasz"},
            {"family": "Gül", "given": "Ayşe"},
            {"family": "van der Linden", "given": "Marieke H."},
            {"literal": "Interfant-99 Study Group"},
        ],
        "container-title": "The Lancet",
        "issued": {"date-parts": [[2007]]},
        "volume": "370",
        "issue": "9583",
        "page": "240-250",
        "publisher": "Elsevier",
        "DOI": "10.1016/S0140-6736(07)61126-X",
        "PMID": "17658395",
        "URL": "https://pubmed.ncbi.nlm.nih.gov/17658395/",
        "ISSN": "0140-6736, 1474-547X",
        "keyword": "Leukemia, Lymphoid, Infant, KMT2A",
        "abstract": "Background & aims: 50% of infants <1 year ~ relapse; costs $5 #1 a_b {braced} x^2 \\ end.",
    }


@pytest.mark.parametrize(
    ("work_type", "csl_type"),
    [
        ("journal-article", "article-journal"),
        ("review", "article-journal"),
        ("case-report", "article-journal"),
        ("book-chapter", "chapter"),
        ("book", "book"),
        ("report", "report"),
        ("conference-abstract", "paper-conference"),
        ("web-page", "webpage"),
        ("other", "document"),
    ],
)
def test_types(work_type, csl_type):
    assert CSL_TYPES[work_type] == csl_type
    assert csl_item(replace(FULL, work_type=work_type))["type"] == csl_type


def test_organisations_are_literal_names_and_editors_are_kept():
    item = csl_item(TRICKY[1])
    assert item["author"] == [
        {"literal": "WHO"},
        {"literal": "Children's Oncology Group"},
        {"family": "Smith and Jones", "given": "X."},
    ]
    assert csl_item(TRICKY[2])["editor"] == [
        {"family": "Pui", "given": "Ching-Hon"},
        {"family": "Brüggemann", "given": "Monika"},
    ]


def test_empty_fields_are_left_out_and_abstract_only_when_asked():
    record = ExportRecord(key="k", work_type="other", title="T", authors=(Name("Doe"),), abstract="A")
    assert csl_item(record) == {
        "id": "k",
        "citation-key": "k",
        "type": "document",
        "title": "T",
        "author": [{"family": "Doe"}],
    }
    assert csl_item(record, abstract=True)["abstract"] == "A"


def test_items_serialise_to_json_and_back():
    items = [csl_item(record, abstract=True) for record in TRICKY]
    assert json.loads(json.dumps(items, ensure_ascii=False)) == items
