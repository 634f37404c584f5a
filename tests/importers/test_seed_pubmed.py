"""Seed 002: a PubMed article page copied as text."""

import pytest

from references.people import Name


@pytest.fixture
def record(seed_record):
    return seed_record("002")


def test_page_kind_title_doi_and_review_type(record):
    assert record.page_kind == "pubmed"
    assert record.title == "Relapsed Acute Lymphoblastic Leukemia"
    assert record.doi == "10.1007/s12098-023-04635-4"
    assert record.work_type == "review"


def test_only_first_author_printed_so_list_is_truncated(record):
    assert record.authors == [Name(family="Sidhu", given="Jasmeet", printed="Jasmeet Sidhu")]
    assert record.authors_truncated is True


def test_journal_year_volume_issue_pages(record):
    assert record.container_title == "Indian J Pediatr"
    assert record.year == 2024
    assert (record.volume, record.issue, record.pages) == ("91", "2", "158-167")


def test_keywords(record):
    assert record.keywords == ["Chemotherapy", "Childhood ALL", "Relapse", "Transplant"]


def test_abstract_without_keywords_disclaimer_or_figures(record):
    assert record.abstract.startswith(
        "Outcomes for children with acute lymphoblastic leukemia (ALL) have improved worldwide to >85%."
    )
    assert record.abstract.endswith("especially in patients with poor response disease.")
    for noise in ("Keywords:", "Disclaimer", "Fig. 1", "Conflict of interest"):
        assert noise not in record.abstract


def test_five_references_numbered_by_position(record):
    assert len(record.references) == 5
    assert [r.label for r in record.references] == ["1", "2", "3", "4", "5"]


def test_first_reference(record):
    assert record.references[0].raw == (
        "Irving JAE, Enshaei A, Parker CA, et al. Integration of genetic and clinical risk factors improves "
        "prognostication in relapsed childhood B-cell precursor acute lymphoblastic leukemia. Blood. "
        "2016;128:911\u2013922. doi: 10.1182/blood-2016-03-704973."
    )
    assert record.references[0].doi == "10.1182/blood-2016-03-704973"


def test_second_reference_has_no_doi(record):
    second = record.references[1]
    assert second.raw.endswith("J Clin Oncol. 2019;37:3493\u2013506.")
    assert second.doi == ""


def test_middle_reference_doi(record):
    assert record.references[2].doi == "10.1158/0008-5472.bcd-19-0041"


def test_last_reference(record):
    assert record.references[-1].raw.endswith("Blood. 2020;135:921\u2013933. doi: 10.1182/blood.2019002499.")
    assert record.references[-1].doi == "10.1182/blood.2019002499"
