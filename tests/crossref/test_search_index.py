"""The local query.bibliographic stand-in: ranking, scores, copies and `without`."""

import pytest

from tests.fakecrossref.bodies import FIXTURES_DIR
from tests.fakecrossref.search import SOURCE_KEY, LocalSearchIndex

CERMINE = "10.1007/s10032-015-0249-8"
CERMINE_STRING = (
    "D. Tkaczyk, P. Szostek, M. Fedoryszak, P. J. Dendek, and Bolikowski,“CERMINE: automatic extraction of "
    "structured metadata from scientific literature,” International Journal on Document Analysis and "
    "Recognition (IJDAR), vol. 18, no. 4, pp. 317–335, 2015."
)
# Real reference strings (the unstructured text of reference[] entries) and their DOIs.
REAL_STRINGS = {
    CERMINE_STRING: CERMINE,
    "Kuh, G., Cruce, T., Shoup, R. and Kinzie, J. (2008) Unmasking the effects of student engagement on "
    "first-year college grades and persistence. The Journal of Higher Education. 79 (5), pp. 540–563.": (
        "10.1353/jhe.0.0019"
    ),
    "Hirsch, J. E. Phys. Rev. Lett. 83, 1834–1837 (1999).": "10.1103/PhysRevLett.83.1834",
    "Day, M., Tsai, R.T., Sung, C., Hsieh, C., Lee, C., Wu, S., Wu, K., Ong, C., Hsu, W.: Reference metadata "
    "extraction using a hierarchical knowledge representation framework. Decis. Support Syst. 43(1), "
    "152–167 (2007)": "10.1016/j.dss.2006.08.006",
}


@pytest.fixture(scope="module")
def index() -> LocalSearchIndex:
    return LocalSearchIndex.from_fixtures(FIXTURES_DIR)


@pytest.mark.parametrize(("reference", "doi"), REAL_STRINGS.items())
def test_the_gold_doi_ranks_first(index, reference, doi):
    found = index.search(reference)

    assert found[0]["DOI"] == doi
    assert len(found) == 5


@pytest.mark.parametrize(("reference", "doi"), REAL_STRINGS.items())
def test_without_removes_the_doi_from_results_and_size(index, reference, doi):
    smaller = index.without({doi.upper()})

    assert doi not in [item["DOI"] for item in smaller.search(reference, rows=20)]
    assert len(smaller) == len(index) - 1
    assert doi not in smaller and doi in index
    assert index.search(reference)[0]["DOI"] == doi  # the full index is untouched


def test_scores_descend_and_look_like_crossrefs(index):
    scores = [item["score"] for item in index.search(CERMINE_STRING, rows=10)]

    assert scores == sorted(scores, reverse=True)
    assert scores[0] > scores[1]
    # Crossref gave this string 167.7 (0.65 per character); ours should be of that order.
    assert 100 < scores[0] < 300


def test_rows_limits_and_unknown_words_find_nothing(index):
    assert len(index.search(CERMINE_STRING, rows=2)) == 2
    assert index.search("qqqzzx wwvvkk") == []


def test_results_are_copies(index):
    first = index.search(CERMINE_STRING, rows=1)[0]
    first["title"][0] = "changed"
    first["DOI"] = "10.5555/changed"

    again = index.search(CERMINE_STRING, rows=1)[0]

    assert again["DOI"] == CERMINE
    assert again["title"][0].startswith("CERMINE")


def test_recorded_works_win_over_pseudo_items_made_from_references(index):
    record = index.item(CERMINE)  # cited in several recorded reference lists, and recorded itself

    assert SOURCE_KEY not in record
    assert record["page"] == "317-335"


def test_reference_entries_become_pseudo_items(index):
    pseudo = index.item(
        "10.1103/PhysRevLett.83.1834"
    )  # "Hirsch, J. E. Phys. Rev. Lett. 83, 1834–1837 (1999)."

    assert pseudo[SOURCE_KEY] == "10.1038/nnano.2014.279#BFnnano2014279_CR8"
    assert pseudo["author"][0]["family"] == "Hirsch"
    assert pseudo["issued"] == {"date-parts": [[1999]]}
    assert pseudo["volume"] == "83"
    assert len(index) > 1000


def test_an_index_from_items_dedupes_by_doi_and_skips_items_without_one():
    index = LocalSearchIndex(
        [
            {"DOI": "10.5555/A", "title": ["Alpha particles in fish"]},
            {"DOI": "10.5555/a", "title": ["A duplicate"]},
            {"title": ["No DOI"]},
        ]
    )

    assert len(index) == 1
    assert index.search("alpha particles")[0]["title"] == ["Alpha particles in fish"]
