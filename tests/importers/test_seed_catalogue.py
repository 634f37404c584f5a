"""Seed 003: a library catalogue (VuFind) record copied as text."""

import pytest


@pytest.fixture
def record(seed_record):
    return seed_record("003")


def test_page_kind_title_and_doi_from_item_description(record):
    assert record.page_kind == "library-catalogue"
    assert record.title == (
        "Blinatumomab as a Curative Therapy Option for Relapsed/Refractory Infant Acute "
        "Lymphoblastic Leukemia Post-Hematopoietic Stem Cell Transplantation - Case Report"
    )
    assert record.doi == "10.15264/cpho.2024.31.1.10"


def test_title_beats_the_catalogues_format_book(record):
    assert record.work_type == "case-report"


def test_six_main_authors_family_name_last(record):
    assert [a.printed for a in record.authors] == [
        "Suleimen Zhumatayev",
        "Koray Yalcin",
        "Safiye Suna Celen",
        "Vedat Uygun",
        "Gulsun Karasu",
        "Mehmet Akif Yesilipek",
    ]
    assert (record.authors[2].family, record.authors[2].given) == ("Celen", "Safiye Suna")
    assert (record.authors[5].family, record.authors[5].given) == ("Yesilipek", "Mehmet Akif")


def test_publisher_year_issn_and_no_container(record):
    assert record.publisher == "The Korean Society of Pediatric Hematology-Oncology"
    assert record.year == 2024
    assert record.issns == ["2233-5250"]
    assert record.container_title == ""


def test_abstract_is_the_full_summary_not_the_teaser(record):
    assert record.abstract.startswith(
        "Acute lymphoblastic leukemia (ALL) is the most common type of cancer in children,"
    )
    assert record.abstract.endswith(
        "We suggest that blinatumomab could be a promising curative therapy option for patients who cannot "
        "receive further HSCT."
    )
    assert "signific..." not in record.abstract
    assert "Full description" not in record.abstract


def test_no_references(record):
    assert record.references == []
