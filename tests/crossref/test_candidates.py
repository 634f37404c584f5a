"""Judging Crossref's query.bibliographic candidates: the recorded answers, field disagreements, real strings."""

import pytest

from references.crossref.candidates import MAX_QUERY_CHARS, METHOD, judge_candidates, query_for
from tests.fakecrossref.bodies import (
    CERMINE_MATCH_QUERY,
    CERMINE_NOMATCH_QUERY,
    FIXTURES_DIR,
    RECORDED_SEARCHES,
    STRUCTURED_MATCH_QUERY,
    STRUCTURED_NOMATCH_QUERY,
    recorded_message,
)
from tests.fakecrossref.search import LocalSearchIndex

CERMINE = "10.1007/s10032-015-0249-8"
CERMINE_MATCH, CERMINE_NOMATCH = CERMINE_MATCH_QUERY, CERMINE_NOMATCH_QUERY


def recorded_items(name: str) -> list[dict]:
    return recorded_message(name)["items"]


def cermine_record() -> dict:
    return recorded_items("search-query-bibliographic-cermine-unstructured-match.json")[0]


@pytest.fixture(scope="module")
def index() -> LocalSearchIndex:
    return LocalSearchIndex.from_fixtures(FIXTURES_DIR)


# The four answers recorded for Crossref's search-based-reference-matcher, with its expected outcomes.


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (CERMINE_MATCH, CERMINE),
        (CERMINE_NOMATCH, None),
        (STRUCTURED_MATCH_QUERY, CERMINE),
        (STRUCTURED_NOMATCH_QUERY, None),
    ],
)
def test_recorded_answers_give_the_matchers_expected_outcome(query, expected):
    judgement = judge_candidates(query, recorded_items(RECORDED_SEARCHES[query]))

    if expected:
        assert (judgement.outcome, judgement.doi) == ("link", expected)
        assert judgement.score >= 0.8
        assert judgement.item["DOI"] == expected
        assert judgement.crossref_score == recorded_items(RECORDED_SEARCHES[query])[0]["score"]
    else:
        assert judgement.outcome != "link"
    assert judgement.method == METHOD


def test_the_nomatch_string_goes_to_review_naming_what_disagrees():
    items = recorded_items("search-query-bibliographic-cermine-unstructured-nomatch.json")

    judgement = judge_candidates(CERMINE_NOMATCH, items)

    assert (judgement.outcome, judgement.doi) == ("review", CERMINE)
    assert "volume 14 differs from 18" in judgement.reason
    assert "first page 310 differs from 317" in judgement.reason
    assert "year 2016 is one off 2015" in judgement.reason
    assert judgement.crossref_score == pytest.approx(127.50342)


def test_right_title_wrong_year_is_not_linked_and_the_reason_names_the_year():
    reference = CERMINE_MATCH.replace("2015.", "2010.")

    judgement = judge_candidates(reference, [cermine_record()])

    assert judgement.outcome in ("review", "unmatched")
    assert "year 2010 differs from 2015" in judgement.reason


def test_a_one_year_difference_needs_a_locator_to_link():
    """Online-first and print years differ by one; an annual report's next edition does too."""
    with_locators = CERMINE_MATCH.replace("2015.", "2016.")
    title_only = (
        "D. Tkaczyk. CERMINE: automatic extraction of structured metadata from scientific literature. 2016"
    )

    assert judge_candidates(with_locators, [cermine_record()]).outcome == "link"
    assert judge_candidates(title_only, [cermine_record()]).outcome == "review"


def test_no_candidates_is_unmatched():
    judgement = judge_candidates(CERMINE_MATCH, [])

    assert (judgement.outcome, judgement.doi, judgement.item) == ("unmatched", None, None)
    assert judgement.reason == "no candidates"
    assert judgement.score == 0.0


def test_unmatched_names_the_closest_candidate_but_carries_no_doi():
    unrelated = recorded_items("search-query-bibliographic-structured-nomatch.json")[1]

    judgement = judge_candidates(CERMINE_MATCH, [unrelated])

    assert (judgement.outcome, judgement.doi, judgement.item) == ("unmatched", None, None)
    assert unrelated["DOI"] in judgement.reason
    assert "first author Tkaczyk differs from Smura" in judgement.reason


def test_two_equally_good_candidates_go_to_review():
    twin = {**cermine_record(), "DOI": "10.5555/duplicate-record"}

    judgement = judge_candidates(CERMINE_MATCH, [cermine_record(), twin])

    assert judgement.outcome == "review"
    assert "fit equally well" in judgement.reason


def test_a_low_crossref_score_for_the_query_length_blocks_the_link():
    weak = {**cermine_record(), "score": 5.0}  # 5 / 253 characters: the candidate matched almost nothing

    judgement = judge_candidates(CERMINE_MATCH, [weak])

    assert judgement.outcome == "review"
    assert "score is low" in judgement.reason


def test_markup_in_crossref_titles_is_ignored():
    record = {
        **cermine_record(),
        "title": ["<i>CERMINE</i>: automatic extraction of structured metadata from scientific literature"],
    }

    judgement = judge_candidates(CERMINE_MATCH, [record])

    assert judgement.outcome == "link"
    assert "title (1.00)" in judgement.reason


def test_a_journal_issue_is_never_linked():
    issue = {**cermine_record(), "type": "journal-issue"}

    assert judge_candidates(CERMINE_MATCH, [issue]).outcome != "link"


# query_for


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("[1]D. Tkaczyk, CERMINE. IJDAR 18 (2015)", "D. Tkaczyk, CERMINE. IJDAR 18 (2015)"),
        ("[12] Smith J. Title. 2001", "Smith J. Title. 2001"),
        ("12. Smith J. Title. 2001", "Smith J. Title. 2001"),
        ("(3) Smith J. Title. 2001", "Smith J. Title. 2001"),
        ("  Smith J.\n  Title.\t2001  ", "Smith J. Title. 2001"),
        ("2015. Annual report of the board.", "2015. Annual report of the board."),
    ],
)
def test_query_for_strips_numbering_and_whitespace(raw, expected):
    assert query_for(raw) == expected


def test_query_for_caps_long_strings_at_a_word_boundary():
    raw = "Smith J. " + "word " * 200

    query = query_for(raw)

    assert len(query) <= MAX_QUERY_CHARS
    assert query.endswith("word")
    assert query.startswith("Smith J. word")


# Real reference[] strings from the recorded bodies, searched in the local index.

REAL_STRINGS = {
    # Nature Nanotechnology's references: no titles, abbreviated journals
    "Manchon, A. & Zhang, S. Phys. Rev. B 78, 212405 (2008).": "10.1103/physrevb.78.212405",
    "Bauer, G. E. W., Saitoh, E. & van Wees, B. J. Nature Mater. 11, 391–399 (2012).": "10.1038/nmat3301",
    # a book chapter whose book holds another cited chapter
    "Smith, S. and Smith, L. (2015) Social learning: Supporting yourself and your peers, in Helyer, R. (Ed.), "
    "The Work-based Learning Student Handbook, 2nd Edn, pp. 184–204. London: Palgrave.": "10.1007/978-1-137-41384-0_10",
    "Wenger, E. (1998) Communities of Practice: Learning, Meaning, and Identity. Cambridge: Cambridge "
    "University Press.": "10.1017/cbo9780511803932",
    # the conference version of CERMINE, whose journal version is in the index too (a real Crossref record)
    "Tkaczyk, D., Szostek, P., Dendek, P.J., Fedoryszak, M., Bolikowski, L.: CERMINE—automatic extraction of "
    "metadata and references from scientific literature. In: 11th IAPR International Workshop on Document "
    "Analysis Systems, pp. 217–221 (2014)": "10.1109/das.2014.63",
}


@pytest.mark.parametrize(("reference", "doi"), REAL_STRINGS.items())
def test_real_strings_link_their_doi_and_nothing_once_it_is_gone(index, reference, doi):
    found = judge_candidates(reference, index.search(query_for(reference)))
    gone = judge_candidates(reference, index.without({doi}).search(query_for(reference)))

    assert (found.outcome, found.doi.lower()) == ("link", doi)
    assert gone.outcome != "link"


def test_an_online_first_citation_of_cermine_goes_to_review(index):
    """The citing chapter gives the online-first pages 1–19; the record has the issue's 317–335."""
    reference = (
        "Tkaczyk, D., Szostek, P., Fedoryszak, M., Dendek, P.J., Bolikowski, L.: CERMINE: automatic extraction "
        "of structured metadata from scientific literature. Int. J. Doc. Anal. Recogn. (IJDAR), 1–19 (2015)."
    )

    judgement = judge_candidates(reference, index.search(query_for(reference)))

    assert (judgement.outcome, judgement.doi) == ("review", CERMINE)
    assert "first page 1 differs from 317" in judgement.reason


def test_a_chapter_is_not_linked_to_its_book():
    book = {
        "DOI": "10.1002/9781444342536",
        "type": "book",
        "title": ["Fish cognition and behaviour"],
        "author": [{"family": "Brown"}],
        "issued": {"date-parts": [[2011]]},
        "score": 60.0,
    }

    judgement = judge_candidates(
        "Brown (2011) Social learning in fishes. In: Fish cognition and behavior.", [book]
    )

    assert judgement.outcome != "link"
    assert "journal or book" in judgement.reason
