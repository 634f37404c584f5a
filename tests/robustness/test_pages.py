"""The page readers, as the import reads a saved page (decode_page, then parse_page), answer hostile input in
time proportional to its size: a record or a refusal with a reason (PageRejected), never another exception."""

from __future__ import annotations

import pytest

from references.importers import PageRejected, SourceRecord

from .adversarial import RUNS, budget, cpu_seconds, page_variants, read_page

SIZE = 50_000
LARGE = 1_000_000
LARGE_RUNS = ("digits", "digits then a letter", "spaces", "initials", "packed initials", "affiliation marks")
VARIANTS = tuple(page_variants(""))


def assert_answers_in_time(data: bytes) -> None:
    answers = []
    seconds = cpu_seconds(lambda: answers.append(read_page(data)))
    answer = answers[0]
    assert isinstance(answer, SourceRecord | PageRejected)
    if isinstance(answer, PageRejected):
        assert str(answer).strip(), "a refusal must say why"
    assert seconds < budget(len(data)), f"{seconds:.2f} s for {len(data)} bytes"


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("run", RUNS)
def test_every_page_layout_answers_a_run_in_time(run: str, variant: str):
    assert_answers_in_time(page_variants(RUNS[run](SIZE))[variant].encode("utf-8", "surrogatepass"))


@pytest.mark.slow
@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("run", LARGE_RUNS)
def test_every_page_layout_answers_a_megabyte_run_in_time(run: str, variant: str):
    assert_answers_in_time(page_variants(RUNS[run](LARGE))[variant].encode("utf-8"))
