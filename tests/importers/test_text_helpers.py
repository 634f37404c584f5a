"""Shared helpers: DOI normalisation, page ranges, names, link noise."""

import pytest

from references.identifiers import normalize_doi
from references.importers.text import (
    compact_initials,
    expand_pages,
    person_family_first,
    person_inverted,
    person_natural,
    strip_link_noise,
)
from references.people import Name


@pytest.mark.parametrize(
    ("printed", "doi"),
    [
        ("https://doi.org/10.1007/S12098-023-04635-4", "10.1007/s12098-023-04635-4"),
        ("doi: 10.1182/blood-2016-03-704973.", "10.1182/blood-2016-03-704973"),
        ("DOI:10.1016/S1470-2045(12)70580-6.", "10.1016/s1470-2045(12)70580-6"),
        ("http://dx.doi.org/10.1038/leu.2015.246,", "10.1038/leu.2015.246"),
        ("10.1000/xyz)", "10.1000/xyz"),
    ],
)
def test_normalize_doi(printed, doi):
    assert normalize_doi(printed) == doi


@pytest.mark.parametrize(
    ("printed", "pages"),
    [
        ("2246\u201356", "2246-2256"),
        ("e205-17", "e205-e217"),
        ("89-96", "89-96"),
        ("158-167", "158-167"),
        ("1006\u201313", "1006-1013"),
        ("S5\u2013S321", "S5-S321"),
        ("e27057", "e27057"),
        ("659", "659"),
    ],
)
def test_expand_pages(printed, pages):
    assert expand_pages(printed) == pages


def test_names_in_each_printed_order():
    assert person_inverted("Breese, E.H.") == Name("Breese", "E.H.", printed="Breese, E.H.")
    assert person_family_first("Machneva E.B.") == Name("Machneva", "E.B.", printed="Machneva E.B.")
    assert person_family_first("Jiang J.-G.").given == "J.-G."
    assert person_family_first("Irving JAE").given == "J.A.E."
    assert person_natural("Safiye Suna Celen") == Name("Celen", "Safiye Suna", printed="Safiye Suna Celen")
    assert person_natural("E. B. Machneva") == Name("Machneva", "E.B.", printed="E. B. Machneva")
    assert person_natural("Marry van der Linden").family == "van der Linden"


def test_compact_initials_keeps_full_names():
    assert compact_initials("E. H.") == "E.H."
    assert compact_initials("Jasmeet") == "Jasmeet"


@pytest.mark.parametrize(
    "noise",
    [
        " Google Scholar",
        " Article CAS PubMed Google Scholar",
        " Article PubMed CAS Google Scholar",
        " CAS PubMed Google Scholar",
        " Article Google Scholar",
        " Article CAS PubMed PubMed Central Google Scholar",
        " - DOI - PMC - PubMed",
        " - PMC - PubMed",
        " - PubMed",
        " - DOI",
    ],
)
def test_strip_link_noise(noise):
    raw = "Pui CH. Acute leukemia in children. Blood. 2020;1:2\u20133."
    assert strip_link_noise(raw + noise) == raw
