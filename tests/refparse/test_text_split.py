"""Pasted lists -> (start line, printed label, reference string)."""

from __future__ import annotations

from config.shared import shared_dir
from references.refparse.text import split_reference_list
from tests.refparse.test_text_seed_gold import seed_raw_strings


def _section(prefix: str, start: str, stop: str) -> tuple[str, int]:
    """The seed page's lines from `start` up to `stop`, and the page line the section starts at."""
    path = next((shared_dir() / "seeds").glob(f"{prefix}_*.txt"))
    lines = path.read_text(encoding="utf-8").splitlines()
    first = lines.index(start)
    last = next(i for i in range(first + 1, len(lines)) if lines[i].startswith(stop))
    return "\n".join(lines[first:last]), first


def test_springer_list_with_link_word_lines() -> None:
    text, _ = _section("000", "References", "Download references")
    found = split_reference_list(text)
    assert [label for _, label, _ in found] == [str(n) for n in range(1, 76)]
    assert [raw for _, _, raw in found] == [seed_raw_strings()[("000", str(n))] for n in range(1, 76)]
    assert found[0][0] == 3  # line 1 is the heading, line 2 blank
    assert not any("Google Scholar" in raw or "PubMed" in raw for _, _, raw in found)


def test_pubmed_list_of_ones_with_dash_links() -> None:
    text, _ = _section("002", "References", "LinkOut")
    found = split_reference_list(text)
    assert [label for _, label, _ in found] == ["1", "2", "3", "4", "5"]
    assert [raw for _, _, raw in found] == [seed_raw_strings()[("002", str(n))] for n in range(1, 6)]
    assert all(not raw.endswith("PubMed") for _, _, raw in found)


def test_bracketed_numbers_and_wrapped_lines() -> None:
    text = (
        "[1] Pieters R, Schrappe M, De Lorenzo P, et al. A treatment protocol for infants\n"
        "younger than 1 year. Lancet. 2007;370(9583):\n"
        "240–50.\n"
        "[2] Heim S, Mitelman F. Cancer Cytogenetics. Alan R Liss; New York 1987.\n"
    )
    assert split_reference_list(text) == [
        (1, "1", "Pieters R, Schrappe M, De Lorenzo P, et al. A treatment protocol for infants younger than "
         "1 year. Lancet. 2007;370(9583): 240–50."),
        (4, "2", "Heim S, Mitelman F. Cancer Cytogenetics. Alan R Liss; New York 1987."),
    ]  # fmt: skip


def test_parenthesis_numbers_indented_and_hyphen_at_line_end() -> None:
    text = "  9) Eckert C, Groeneveld-\n  Krentz S. Title. J Clin Oncol. 2019;37:3493–506.\n 10) Next R. Other. Blood. 2020;1:2."
    assert split_reference_list(text) == [
        (1, "9", "Eckert C, Groeneveld-Krentz S. Title. J Clin Oncol. 2019;37:3493–506."),
        (3, "10", "Next R. Other. Blood. 2020;1:2."),
    ]


def test_unnumbered_one_per_line_with_a_wrapped_line() -> None:
    text = (
        "Möricke A, Zimmermann M, Valsecchi MG, et al. Dexamethasone vs prednisone in induction treatment\n"
        "of pediatric ALL. Blood. 2016;127(17):2101–12.\n"
        "Mejstríková E., Hrusak O. CD19-negative relapse. Blood Cancer J. 2017;7(12):659.\n"
        "Knez V., Liu X. Infantile B-lymphoblastic leukemia. Leuk Lymphoma. 2019;60(4):1006–13.\n"
    )
    found = split_reference_list(text)
    assert [(line, label) for line, label, _ in found] == [(1, ""), (3, ""), (4, "")]
    assert found[0][2].endswith("treatment of pediatric ALL. Blood. 2016;127(17):2101–12.")
    assert found[1][2].startswith("Mejstríková E., Hrusak O.")


def test_blank_line_separated_paragraphs() -> None:
    text = (
        "\n\nPieters R, Schrappe M. A treatment protocol.\nLancet. 2007;370:240–50.\n\n"
        "Google Scholar\n\n"
        "Heim S, Mitelman F.\nCancer Cytogenetics.\nAlan R Liss; New York 1987.\n"
    )
    assert split_reference_list(text) == [
        (3, "", "Pieters R, Schrappe M. A treatment protocol. Lancet. 2007;370:240–50."),
        (8, "", "Heim S, Mitelman F. Cancer Cytogenetics. Alan R Liss; New York 1987."),
    ]


def test_noise_suffixes_are_removed() -> None:
    text = (
        "1. Barz MJ, Hof J. Subclonal NT5C2 mutations. Blood. 2020;135:921–933. doi: 10.1182/blood.2019002499. "
        "- DOI - PMC - PubMed\n"
        "2. Dreyer ZE. Intensified chemotherapy. Pediatr Blood Cancer. 2015;62(3):419–26. Article CAS PubMed "
        "Google Scholar\n"
    )
    found = [raw for _, _, raw in split_reference_list(text)]
    assert len(found) == 2
    assert found[0].endswith("doi: 10.1182/blood.2019002499.")
    assert found[1].endswith("2015;62(3):419–26.")


def test_empty_input() -> None:
    assert split_reference_list("") == []
    assert split_reference_list("\n \n") == []


def test_one_per_line_list_with_a_few_numbered_lines_keeps_its_lines() -> None:
    # '(16)' and '(17)' begin two references of a one-per-line list: they do not make it a numbered list.
    lines = [
        f"Author{index} A, Other B. A study of leukemia number {index} in infants. Blood. 20{index:02d};1:2-9."
        for index in range(1, 13)
    ]
    lines[3] = f"(16) {lines[3]}"
    lines[8] = f"(17) {lines[8]}"
    found = split_reference_list("\n".join(lines))
    assert [line for line, _, _ in found] == list(range(1, 13))
    assert [raw for _, _, raw in found] == lines
