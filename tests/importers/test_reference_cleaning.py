"""Reference raw strings carry no link words, no numbering, no stray whitespace."""

import pytest

SEEDS = ["000", "001", "002"]  # the seeds with reference lists (003 and 004 print none)


@pytest.mark.parametrize("prefix", SEEDS)
def test_raw_strings_are_clean(seed_record, prefix):
    references = seed_record(prefix).references
    assert references
    for reference in references:
        raw = reference.raw
        assert "Google Scholar" not in raw
        assert "PubMed" not in raw
        assert "- DOI" not in raw
        assert not raw.endswith(("Article", "Article ", "CAS", "PMC"))
        assert "  " not in raw
        assert "\n" not in raw
        assert "\u00a0" not in raw
        assert raw == raw.strip()
        assert not raw.startswith(f"{reference.label}.")


def test_reference_dois_are_normalised(seed_record):
    with_doi = [
        reference for prefix in SEEDS for reference in seed_record(prefix).references if reference.doi
    ]
    assert with_doi
    for reference in with_doi:
        assert reference.doi == reference.doi.lower()
        assert not reference.doi.endswith((".", ",", ";"))
        assert not reference.doi.startswith(("http", "doi:"))
