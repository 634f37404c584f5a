"""A value wrapped over many lines (an abstract of a hundred thousand lines) is read in linear time: each
tagged reader used to rebuild the value at every wrapped line, which is quadratic (Ovid took 66 s for
half a megabyte)."""

import pytest

from references.refparse import parse_reference_list

from .adversarial import budget, cpu_seconds

WRAPPED = {
    "ris": ("TY  - JOUR\nTI  - A title\nAB  - Start\n", "   more words of the abstract\n", "ER  - \n"),
    "medline": ("PMID- 1\nTI  - A title\nAB  - Start\n", "      more words of the abstract\n", ""),
    "wos": (
        "FN Clarivate\nVR 1.0\nPT J\nTI A title\nAB Start\n",
        "   more words of the abstract\n",
        "ER\nEF\n",
    ),
    "ovid": (
        "<1>\nVN  - Ovid Technologies\nTI  - A title\nAB  - Start\n",
        "      more words of the abstract\n",
        "",
    ),
    "ovid labelled": ("<1>\nTitle\n  A title\nAbstract\n  Start\n", "  more words of the abstract\n", ""),
}


@pytest.mark.parametrize("case", WRAPPED)
@pytest.mark.parametrize("lines", [20_000, pytest.param(80_000, marks=pytest.mark.slow)])
def test_a_value_wrapped_over_many_lines_is_read_in_linear_time(case, lines):
    head, line, tail = WRAPPED[case]
    text = head + line * lines + tail
    format = case.split()[0]
    parsed = None

    def read() -> None:
        nonlocal parsed
        parsed = parse_reference_list(text, format=format)

    assert cpu_seconds(read) < budget(len(text))
    [reference] = parsed.references
    assert (
        reference.abstract.startswith("Start more words") and reference.abstract.count("more words") == lines
    )
