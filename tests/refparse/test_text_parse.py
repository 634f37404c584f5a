"""parse_reference and parse_text_list beyond the seed pages: hard cases, problems, a long paste."""

from __future__ import annotations

from references.people import Name
from references.refparse.text import parse_reference, parse_text_list
from references.refparse.text.names import parse_names
from references.worktypes import BOOK, CONFERENCE_ABSTRACT

NOT_A_REFERENCE = "this line does not look like a reference"


def test_vancouver_block_with_supplement_issue() -> None:
    parsed = parse_reference("Aoki Y, Koh K, et al. Late effects. Blood. 2019;134(Supplement_1):4559.")
    assert (parsed.year, parsed.volume, parsed.issue, parsed.page_first, parsed.page_last) == (
        2019,
        "134",
        "Supplement_1",
        "4559",
        "",
    )
    assert parsed.work_type == CONFERENCE_ABSTRACT


def test_month_in_the_date_and_full_page_range() -> None:
    parsed = parse_reference(
        "Sidhu J, Trehan A. Relapsed acute lymphoblastic leukemia. Indian J Pediatr. 2024 Feb;91(2):158-167."
    )
    assert (parsed.year, parsed.volume, parsed.issue, parsed.pages) == (2024, "91", "2", "158-167")
    assert parsed.container_title == "Indian J Pediatr"


def test_identifiers() -> None:
    parsed = parse_reference(
        "Smith J. A title. Blood. 2020;1:2. doi:10.1182/BLOOD.2019002499. PMID: 31926324; PMCID: PMC7064721. "
        "https://example.org/paper."
    )
    assert (parsed.doi, parsed.pmid, parsed.pmcid, parsed.url) == (
        "10.1182/blood.2019002499",
        "31926324",
        "PMC7064721",
        "https://example.org/paper",
    )


def test_apa_style_book() -> None:
    parsed = parse_reference(
        "Beck, U., Giddens, A., & Lash, S. (1994). Reflexive modernization. Cambridge: Polity Press."
    )
    assert parsed.authors == [Name("Beck", "U."), Name("Giddens", "A."), Name("Lash", "S.")]
    assert (parsed.year, parsed.title, parsed.location, parsed.publisher) == (
        1994,
        "Reflexive modernization",
        "Cambridge",
        "Polity Press",
    )
    assert parsed.work_type == BOOK


def test_name_forms() -> None:
    assert parse_names("Irving JAE, Enshaei A").names == [Name("Irving", "J.A.E."), Name("Enshaei", "A.")]
    assert parse_names("Thomas F. LaPorta and Mischa Schwartz.").names == [
        Name("LaPorta", "Thomas F."),
        Name("Schwartz", "Mischa"),
    ]
    assert parse_names("Jiang J.-G., Murty V.V.S.").names == [Name("Jiang", "J.-G."), Name("Murty", "V.V.S.")]
    listed = parse_names("Eckert C, Kirschner-Schwabe R, et al; ALL-REZ BFM Trial Group.")
    assert listed.et_al
    assert listed.names[-1] == Name("ALL-REZ BFM Trial Group")


def test_lines_that_are_not_references_get_a_problem() -> None:
    for raw in ("See the supplementary appendix.", "Table 2"):
        parsed = parse_reference(raw)
        assert [problem.message for problem in parsed.problems] == [NOT_A_REFERENCE]
        assert parsed.raw == raw


def test_lines_that_are_not_references_are_left_out_with_their_line_and_label() -> None:
    parsed = parse_text_list(
        "1. Heim S, Mitelman F. Cancer Cytogenetics. Alan R Liss; New York 1987.\n2. Table 2\n"
    )
    assert [(ref.line, ref.label) for ref in parsed.references] == [(1, "1")]
    assert parsed.references[0].problems == []
    [problem] = parsed.problems
    assert (problem.message, problem.line, problem.entry) == (NOT_A_REFERENCE, 2, "2")
    assert parsed.format == "text"


def test_a_ten_thousand_line_paste_parses() -> None:
    lines = [
        f"{n}. Author{n} A, Other B. Title number {n} of a study. J Test. {1990 + n % 30};{n % 50 + 1}({n % 12 + 1}):"
        f"{n}–{n + 9}."
        for n in range(1, 10_001)
    ]
    parsed = parse_text_list("\n".join(lines))
    assert len(parsed.references) == 10_000
    last = parsed.references[-1]
    assert (last.line, last.label, last.page_first, last.page_last) == (10_000, "10000", "10000", "10009")


def test_a_block_longer_than_any_reference_is_left_out_with_a_short_entry() -> None:
    parsed = parse_text_list(
        "1. Heim S, Mitelman F. Cancer Cytogenetics. Alan R Liss; New York 1987.\n\n2. " + "7" * 100_000
    )
    assert len(parsed.references) == 1
    [problem] = parsed.problems
    assert problem.message == "longer than any reference (100000 characters); left out" and problem.line == 3
    assert len(str(problem)) < 120
