"""Cohen's kappa against published worked examples."""

import pytest

from curation.agreement import Counts


def test_kappa_of_the_wikipedia_worked_example():
    """Wikipedia, "Cohen's kappa", Example: 50 grant proposals, yes/yes 20, yes/no 5, no/yes 10, no/no 15:
    p_o = 0.7, p_e = 0.5, kappa = 0.4."""
    table = Counts(both_yes=20, first_only=5, second_only=10, both_no=15)
    assert table.observed == pytest.approx(0.7)
    assert table.expected == pytest.approx(0.5)
    assert table.kappa == pytest.approx(0.4)


def test_kappa_of_the_second_wikipedia_example_with_equal_agreement():
    """Same page, "Same percentages but different numbers": 45/15/25/15 gives kappa 0.1304; 25/35/5/35
    gives 0.2593, though both agree on 60 of 100."""
    assert Counts(45, 15, 25, 15).kappa == pytest.approx(0.1304, abs=1e-4)
    assert Counts(25, 35, 5, 35).kappa == pytest.approx(0.2593, abs=1e-4)


def test_counts_are_read_from_pairs_of_answers():
    pairs = [(True, True)] * 2 + [(True, False)] + [(False, True)] * 3 + [(False, False)] * 4
    assert Counts.of(pairs) == Counts(2, 1, 3, 4)


def test_tables_add_up_cell_by_cell():
    assert Counts(1, 2, 3, 4) + Counts(10, 20, 30, 40) == Counts(11, 22, 33, 44)


def test_kappa_is_undefined_without_items_or_when_chance_explains_everything():
    assert Counts().kappa is None and Counts().observed is None
    assert Counts(both_no=5).kappa is None
    assert Counts(both_yes=3, both_no=2).kappa == pytest.approx(1.0)
