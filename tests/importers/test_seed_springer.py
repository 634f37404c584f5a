"""Seed 000: a Springer Link chapter page copied as text."""

import pytest

from references.people import Name


@pytest.fixture
def record(seed_record):
    return seed_record("000")


def test_page_kind_title_doi_and_type(record):
    assert record.page_kind == "springer-chapter"
    assert record.title == (
        "Acute Lymphoblastic Leukemia in Infants: A Distinctive, High-Risk Subtype of Childhood Acute "
        "Lymphoblastic Leukemia"
    )
    assert record.doi == "10.1007/978-3-030-85147-7_6"
    assert record.work_type == "book-chapter"


def test_authors_come_from_cite_this_chapter(record):
    assert record.authors == [
        Name(family="Breese", given="E.H.", printed="Breese, E.H."),
        Name(family="Kotecha", given="R.S.", printed="Kotecha, R.S."),
        Name(family="Guest", given="E.M.", printed="Guest, E.M."),
    ]
    assert record.authors_truncated is False


def test_editors_book_year_publisher_and_isbns(record):
    assert [(e.family, e.given) for e in record.editors] == [("Litzow", "M.R."), ("Raetz", "E.A.")]
    assert record.container_title == "Clinical Management of Acute Lymphoblastic Leukemia"
    assert record.year == 2022
    assert record.publisher == "Springer, Cham"
    assert record.isbns == ["978-3-030-85146-0", "978-3-030-85147-7"]
    assert record.issns == []


def test_chapter_has_no_volume_issue_or_pages(record):
    assert (record.volume, record.issue, record.pages) == ("", "", "")


def test_abstract_is_exactly_the_one_paragraph(record):
    assert record.abstract.startswith(
        "Acute lymphoblastic leukemia (ALL) in infants younger than 1 year of age is an aggressive"
    )
    assert record.abstract.endswith("offer insight into the novel treatment approaches in development.")
    assert "\n" not in record.abstract
    for chrome in ("preview", "USD", "Price excludes VAT", "Access this chapter"):
        assert chrome not in record.abstract


def test_seventy_five_references_labelled_in_order(record):
    assert len(record.references) == 75
    assert [r.label for r in record.references] == [str(n) for n in range(1, 76)]
    assert [r.position for r in record.references] == list(range(1, 76))


def test_first_reference_has_no_link_words(record):
    assert record.references[0].raw == (
        "Howlander N, Noone AM, Krapcho M, Miller D, Brest A, Yu M, et al., editors. SEER Cancer Statistics "
        "Review, 1975\u20132016. Bethesda: National Cancer Institute. https://seer.cancer.gov/csr/1975_2016 "
        "based on November 2018 SEER data submission, posted to the SEER web site, April 2019."
    )
    assert record.references[0].doi == ""


def test_middle_reference_loses_article_pubmed_central_links(record):
    reference = record.references[21]
    assert reference.label == "22"
    assert reference.raw == (
        "Andersson AK, Ma J, Wang J, Chen X, Gedman AL, Dang J, et al. The landscape of somatic mutations in "
        "infant MLL-rearranged acute lymphoblastic leukemias. Nat Genet. 2015;47(4):330\u20137."
    )


def test_last_reference(record):
    assert record.references[-1].raw == (
        "Brivio E, Chantrain CF, Gruber TA, Thano A, Rialland F, Contet A, et al. Inotuzumab ozogamicin "
        "in infants and young children with relapsed or refractory acute lymphoblastic leukaemia: a case "
        "series. Br J Haematol. 2021;193(6):1172\u20137."
    )
    assert record.references[-1].label == "75"


def test_no_reference_mentions_google_scholar(record):
    assert not [r for r in record.references if "Google Scholar" in r.raw]
