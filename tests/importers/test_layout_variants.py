"""Variants of the known layouts that a curator's copy may produce."""

from .conftest import parse_bytes


def test_pubmed_page_with_full_author_line_and_pmid(seed_text):
    text = seed_text("002").replace(
        "Relapsed Acute Lymphoblastic Leukemia\n\nAffiliations",
        "Relapsed Acute Lymphoblastic Leukemia\n\n"
        "Jasmeet Sidhu 1, Amit Pratap Singh 2, Sandeep Jain 1\n\nAffiliations\n\nPMID: 37344710",
        1,
    )
    text = text.replace(
        "Similar articles", "Similar articles\n\nSome other review. Blood. 2020. PMID: 11111111"
    )
    record = parse_bytes(text.encode())
    assert record.page_kind == "pubmed"
    assert [a.printed for a in record.authors] == ["Jasmeet Sidhu", "Amit Pratap Singh", "Sandeep Jain"]
    assert record.authors[1].given == "Amit Pratap"
    assert record.authors_truncated is False
    assert record.pmid == "37344710"


def test_journal_site_citation_on_the_heading_line(seed_text):
    text = seed_text("001").replace("For citations:\n\n\n", "For citations: ")
    record = parse_bytes(text.encode())
    assert record.page_kind == "journal-site"
    assert record.authors[0].printed == "Machneva E.B."
    assert (record.year, record.volume, record.issue, record.pages) == (2025, "12", "4", "89-96")


def test_reference_numbers_on_lines_of_their_own():
    page = (
        "Infant leukemia: a review of outcomes after relapse\n\ndoi:10.5555/review.1\n\n"
        "References\n\n1.\nSmith J. First study. Blood. 2020;1:1-2.\n\n2.\nJones K. Second study.\n"
        "Leukemia. 2021;2:3-4. doi:10.5555/second\n\nAbout this journal\n"
    )
    record = parse_bytes(page.encode())
    assert [(r.label, r.raw, r.doi) for r in record.references] == [
        ("1", "Smith J. First study. Blood. 2020;1:1-2.", ""),
        ("2", "Jones K. Second study. Leukemia. 2021;2:3-4. doi:10.5555/second", "10.5555/second"),
    ]


def test_wrapped_reference_lines_are_joined_with_single_spaces(seed_text):
    text = seed_text("000").replace(
        "Br J Haematol. 2021;193(6):1172\u20137.", "Br J\n      Haematol.    2021;193(6):1172\u20137.", 1
    )
    record = parse_bytes(text.encode())
    assert record.references[-1].raw.endswith("a case series. Br J Haematol. 2021;193(6):1172\u20137.")
