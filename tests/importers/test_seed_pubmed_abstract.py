"""Seed 004: PubMed's abstract view copied as text."""

import pytest


@pytest.fixture
def record(seed_record):
    return seed_record("004")


def test_page_kind_title_doi_and_review_type(record):
    assert record.page_kind == "pubmed-abstract"
    assert record.title == "Relapsed childhood acute lymphoblastic leukaemia"
    assert record.doi == "10.1016/s1470-2045(12)70580-6"
    assert record.work_type == "review"


def test_no_authors_printed(record):
    assert record.authors == []
    assert record.authors_truncated is False


def test_journal_year_volume_issue_and_expanded_pages(record):
    assert record.container_title == "Lancet Oncol"
    assert record.year == 2013
    assert (record.volume, record.issue, record.pages) == ("14", "6", "e205-e217")


def test_abstract(record):
    assert record.abstract.startswith("With steadily improved cure rates")
    assert record.abstract.endswith(
        "should improve the success of haemopoietic stem-cell transplantation for high-risk patients."
    )
    assert "\n" not in record.abstract


def test_mesh_terms_in_printed_order_without_major_topic_star(record):
    terms = record.mesh_terms
    assert len(terms) == 28
    assert terms[0] == "Adolescent"
    assert terms[-1] == "Young Adult"
    assert "Antineoplastic Agents / therapeutic use" in terms
    assert "Hematopoietic Stem Cell Transplantation" in terms
    assert "Immunotherapy / methods" in terms
    assert "Precursor Cell Lymphoblastic Leukemia-Lymphoma / therapy" in terms
    assert not [t for t in terms if "*" in t]


def test_substances_are_not_mesh_terms(record):
    assert "Antineoplastic Agents" not in record.mesh_terms


def test_no_keywords_and_no_references(record):
    assert record.keywords == []
    assert record.references == []
