"""The one-line NLM (Vancouver) rendering used as `raw` for structured entries."""

from dataclasses import replace

import pytest

from references.people import Name
from references.refparse.formats import render_reference
from references.refparse.records import ParsedReference
from references.worktypes import BOOK_CHAPTER, CONFERENCE_ABSTRACT, OTHER, WEB_PAGE
from tests.refparse.expected import PIETERS_2007

PIETERS = replace(
    PIETERS_2007,
    raw="",
    authors=[Name("Pieters", "Rob"), Name("Schrappe", "M."), Name("De Lorenzo", "Paola")],
    pmid="17658395",
)


def variant(**changes) -> ParsedReference:
    return replace(PIETERS, **changes)


def test_renders_a_journal_article_as_nlm_prints_it():
    assert render_reference(PIETERS) == (
        "Pieters R, Schrappe M, De Lorenzo P. A treatment protocol for infants younger than 1 year with acute "
        "lymphoblastic leukaemia (Interfant-99): an observational study and a multicentre randomised trial. "
        "Lancet. 2007;370(9583):240-250. doi:10.1016/s0140-6736(07)61126-x"
    )


def test_lists_six_authors_then_et_al():
    names = [
        Name(family, given)
        for family, given in zip("ABCDEFG", ["Jean-Pierre", "", "E.H.", "x", "Y", "Z", "Q"], strict=True)
    ]
    rendered = render_reference(variant(authors=names))
    assert rendered.startswith("A JP, B, C EH, D X, E Y, F Z, et al. A treatment protocol")
    assert render_reference(variant(authors=names[:2], et_al=True)).startswith("A JP, B, et al. A treatment")


@pytest.mark.parametrize(
    ("changes", "source"),
    [
        ({"issue": ""}, "Lancet. 2007;370:240-250."),
        ({"volume": "", "issue": ""}, "Lancet. 2007:240-250."),
        ({"page_first": "", "page_last": "", "elocator": "e27057"}, "Lancet. 2007;370(9583):e27057."),
        ({"page_last": ""}, "Lancet. 2007;370(9583):240."),
        ({"year": None}, "Lancet. 370(9583):240-250."),
    ],
)
def test_journal_source_with_parts_missing(changes, source):
    assert f" {source} doi:" in render_reference(variant(**changes))


def test_identifier_falls_back_from_doi_to_pmid_pmcid_and_url():
    assert render_reference(variant(doi="")).endswith("240-250. PMID: 17658395.")
    assert render_reference(variant(doi="", pmid="", pmcid="PMC4454636")).endswith(" PMCID: PMC4454636.")
    url = "https://www.interfant.org/"
    assert render_reference(variant(doi="", pmid="", url=url)).endswith(f" Available from: {url}")


def test_renders_a_chapter_and_a_conference_abstract():
    chapter = ParsedReference(
        raw="",
        authors=[Name("Breese", "E.H.")],
        editors=[Name("Litzow", "M.R.")],
        title="Acute Lymphoblastic Leukemia in Infants",
        container_title="Clinical Management of Acute Lymphoblastic Leukemia",
        year=2022,
        publisher="Springer",
        location="Cham",
        page_first="115",
        page_last="137",
        work_type=BOOK_CHAPTER,
    )
    assert render_reference(chapter) == (
        "Breese EH. Acute Lymphoblastic Leukemia in Infants. In: Litzow MR, editor. Clinical Management of "
        "Acute Lymphoblastic Leukemia. Cham: Springer; 2022. p. 115-137."
    )
    abstract = ParsedReference(
        raw="", title="Blinatumomab in infants?", year=2019, work_type=CONFERENCE_ABSTRACT
    )
    assert render_reference(abstract) == "Blinatumomab in infants? 2019."


def test_renders_web_pages_and_other_works():
    url = "https://www.interfant.org/"
    page = ParsedReference(raw="", title="Interfant-21", container_title="Interfant", year=2021, url=url)
    page.work_type = WEB_PAGE
    assert render_reference(page) == f"Interfant-21. Interfant. 2021. Available from: {url}"
    other = ParsedReference(
        raw="", title="Thesis on MLL", publisher="Erasmus University", year=2009, work_type=OTHER
    )
    assert render_reference(other) == "Thesis on MLL. Erasmus University; 2009."


def test_an_empty_reference_renders_empty():
    assert render_reference(ParsedReference(raw="")) == ""
