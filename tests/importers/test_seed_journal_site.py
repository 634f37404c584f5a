"""Seed 001: a Russian journal's article page (OJS-like layout) copied as text."""

import pytest


@pytest.fixture
def record(seed_record):
    return seed_record("001")


def test_page_kind_title_doi_and_case_report_type(record):
    assert record.page_kind == "journal-site"
    assert record.title == (
        "Problems of therapy and search for curative options in infantile acute B-cell lymphoblastic "
        "leukemia: a clinical case"
    )
    assert record.doi == "10.21682/2311-1267-2025-12-4-89-96"
    assert record.work_type == "case-report"


def test_seven_authors_in_citation_order(record):
    assert [(a.family, a.given) for a in record.authors] == [
        ("Machneva", "E.B."),
        ("Sergeenko", "K.A."),
        ("Batmanova", "N.A."),
        ("Shervashidze", "M.A."),
        ("Valiev", "T.T."),
        ("Kirgizov", "K.I."),
        ("Varfolomeeva", "S.R."),
    ]
    assert record.authors[0].printed == "Machneva E.B."
    assert record.authors_truncated is False


def test_journal_year_volume_issue_pages_and_issns(record):
    assert record.container_title == "Russian Journal of Pediatric Hematology and Oncology"
    assert record.year == 2025
    assert (record.volume, record.issue, record.pages) == ("12", "4", "89-96")
    assert record.issns == ["2311-1267", "2413-5496"]


def test_abstract_is_one_paragraph_without_affiliations(record):
    assert record.abstract.startswith(
        "Infantile acute B-cell lymphoblastic leukemia (B-ALL) is a rare leukemia that develops in children"
    )
    assert record.abstract.endswith("even after a relapse of leukemia.")
    assert "\n" not in record.abstract
    assert "Blokhin" not in record.abstract
    assert "About the Authors" not in record.abstract


def test_fourteen_references_each_with_a_doi(record):
    assert len(record.references) == 14
    assert [r.label for r in record.references] == [str(n) for n in range(1, 15)]
    assert all(r.doi for r in record.references)


def test_first_reference(record):
    first = record.references[0]
    assert first.raw == (
        "Knez V., Liu X., Schowinsky J., Pan Z., Wang D., Lorsbach R., Lu C., Luedke C., Haag M., "
        "Carstens B., Swisshelm K., Yang L.H., Jug R., Wang E., Liang X. Clinicopathologic and genetic "
        "spectrum of infantile B-lymphoblastic leukemia: a multi-institutional study. Leuk Lymphoma. "
        "2019;60(4):1006\u201313. doi: 10.1080/10428194.2018.1508667."
    )
    assert first.doi == "10.1080/10428194.2018.1508667"


def test_reference_doi_with_parentheses_is_lower_cased(record):
    assert record.references[5].doi == "10.1016/s0140-6736(07)61126-x"


def test_last_reference(record):
    last = record.references[-1]
    assert last.raw.startswith("Mejstr\u00edkov\u00e1 E., Hrusak O.,")
    assert last.raw.endswith("Blood Cancer J. 2017;7(12):659. doi: 10.1038/s41408-017-0023-x.")
    assert last.doi == "10.1038/s41408-017-0023-x"
