"""Random input from Hypothesis, derandomised so every run tries the same examples: text and bytes, soups of
the tokens references are made of, and one token repeated thousands of times, fed to every reader."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .adversarial import LIST_FORMATS, budget, cpu_seconds, list_budget, read_list, read_page
from .test_lists import assert_answers_in_time as assert_list_answers_in_time
from .test_pages import assert_answers_in_time as assert_page_answers_in_time

# Modest and repeatable; the CPU budget inside each example is the real check, the deadline only a backstop.
GENERATED = settings(
    max_examples=30,
    deadline=timedelta(seconds=5),
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
TOKENS = (
    "A.", "A. ", "AB", "Smith", "Smith,", "van", "and", "&", "et al.", "1", "12", "2001", "2001;", "12(3):",
    "45-67", "\u2013", "(", ")", "[", "]", "{", "}", '"', "\\", "\\\"", ",", ";", ":", ".", " ", "  ", "\n",
    "\t", "\u00a0", "*", "\u00b9", "10.1000/x", "doi:", "PMID:", "TY  - ", "AU  - ", "ER  - ", "PMID- ",
    "@article{", "<", ">", "</p>", "&amp;", "http://", "In:", "(eds)", "\u00e9", "\u0416",
)  # fmt: skip
token_soup = st.lists(st.sampled_from(TOKENS), max_size=400).map("".join)
repeated_token = st.builds(
    lambda token, count: token * count, st.sampled_from(TOKENS), st.integers(1, 20_000)
)


@pytest.mark.parametrize("format", LIST_FORMATS, ids=lambda format: format or "detected")
@GENERATED
@given(text=st.one_of(st.text(max_size=2_000), token_soup, repeated_token))
def test_every_reader_answers_generated_text_in_time(format: str | None, text: str):
    assert_list_answers_in_time(text, format)


@GENERATED
@given(data=st.one_of(st.binary(max_size=2_000), token_soup.map(str.encode), repeated_token.map(str.encode)))
def test_page_readers_answer_generated_bytes_in_time(data: bytes):
    assert_page_answers_in_time(data)


@pytest.mark.parametrize(
    ("read", "limit"),
    [
        (lambda text: read_list(text, "text"), lambda size: list_budget(size, "text")),
        (lambda text: read_list(text, None), lambda size: list_budget(size, None)),
        (lambda text: read_page(text.encode()), budget),
    ],
    ids=["text list", "detected list", "page"],
)
@pytest.mark.parametrize("token", ["1", "A. ", " ", "1-1 ", "Smith, A. "])
def test_time_grows_linearly_with_a_run(read, limit, token: str):
    """Four times the input takes at most about four times as long (eight allowed, for noise), and stays in
    budget: quadratic code takes sixteen times as long."""
    small, large = token * (25_000 // len(token)), token * (100_000 // len(token))
    small_seconds, large_seconds = cpu_seconds(lambda: read(small)), cpu_seconds(lambda: read(large))
    assert large_seconds < 8 * small_seconds + 0.05
    assert large_seconds < limit(len(large))
