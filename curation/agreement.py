"""Agreement between two curators on yes/no decisions: the counts table, observed agreement and Cohen's kappa.
Plain Python, no ORM.

    table = Counts.of([(True, True), (True, False), ...])   # one pair of answers per (work, finding)
    table.observed, table.kappa                              # 0.7, 0.4 (None when chance explains all)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Counts:
    """The 2×2 table of two raters' yes/no answers."""

    both_yes: int = 0
    first_only: int = 0  # the first said yes, the second no
    second_only: int = 0
    both_no: int = 0

    @classmethod
    def of(cls, pairs: Iterable[tuple[bool, bool]]) -> Counts:
        cells = {(True, True): 0, (True, False): 0, (False, True): 0, (False, False): 0}
        for first, second in pairs:
            cells[bool(first), bool(second)] += 1
        return cls(*cells.values())

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.both_yes + other.both_yes,
            self.first_only + other.first_only,
            self.second_only + other.second_only,
            self.both_no + other.both_no,
        )

    @property
    def total(self) -> int:
        return self.both_yes + self.first_only + self.second_only + self.both_no

    @property
    def observed(self) -> float | None:
        """The share of items both answered alike."""
        return (self.both_yes + self.both_no) / self.total if self.total else None

    @property
    def expected(self) -> float | None:
        """The share they would answer alike by chance, each keeping their own rate of yes."""
        if not self.total:
            return None
        first_yes = (self.both_yes + self.first_only) / self.total
        second_yes = (self.both_yes + self.second_only) / self.total
        return first_yes * second_yes + (1 - first_yes) * (1 - second_yes)

    @property
    def kappa(self) -> float | None:
        """Cohen's kappa, (p_o − p_e) / (1 − p_e); None when undefined (no items, or chance agreement is
        certain: both answered every item the same single way)."""
        observed, expected = self.observed, self.expected
        if observed is None or expected is None or expected == 1:
            return None
        return (observed - expected) / (1 - expected)
