"""Every reference-list reader, for every format (and detection), answers hostile input in time proportional
to its size: a parsed list or a refusal with a reason (Unreadable), never another exception."""

from __future__ import annotations

import pytest

from references.refparse import ParsedList, Unreadable

from .adversarial import LIST_FORMATS, RUNS, cpu_seconds, known_gap, list_budget, list_variants, read_list

SIZE = 50_000
LARGE = 1_000_000
# The runs behind the reported defects, read at a megabyte by the slow tests.
LARGE_RUNS = ("digits", "digits and spaces", "spaces", "initials", "opening brackets", "escaped quotes")
# Each structured variant goes to its own reader and to detection; the bare run goes to every reader.
_VARIANT_FORMATS = {
    "numbered reference": "text",
    "bibtex field": "bibtex",
    "ris field": "ris",
    "medline field": "medline",
    "csl-json field": "csljson",
}


def _format_id(format: str | None) -> str:
    return format or "detected"


def assert_answers_in_time(text: str, format: str | None) -> None:
    answers = []
    seconds = cpu_seconds(lambda: answers.append(read_list(text, format)))
    answer = answers[0]
    assert isinstance(answer, ParsedList | Unreadable)
    if isinstance(answer, Unreadable):
        assert str(answer).strip(), "a refusal must say why"
    read_as = answer.format if isinstance(answer, ParsedList) else format
    assert seconds < list_budget(len(text), read_as), (
        f"{seconds:.2f} s for {len(text)} characters as {read_as}"
    )


def expect_known_gap(request: pytest.FixtureRequest, format: str | None, run: str, variant: str, size: int):
    if reason := known_gap(format, run, variant, size):
        request.applymarker(pytest.mark.xfail(reason=reason, strict=True))


@pytest.mark.parametrize("format", LIST_FORMATS, ids=_format_id)
@pytest.mark.parametrize("run", RUNS)
def test_every_reader_answers_a_bare_run_in_time(request, run: str, format: str | None):
    expect_known_gap(request, format, run, "bare", SIZE)
    assert_answers_in_time(RUNS[run](SIZE), format)


@pytest.mark.parametrize("format", (None, "own"), ids=("detected", "named"))
@pytest.mark.parametrize("variant", _VARIANT_FORMATS)
@pytest.mark.parametrize("run", RUNS)
def test_a_run_inside_a_formats_fields_is_read_in_time(request, run: str, variant: str, format: str | None):
    named = _VARIANT_FORMATS[variant] if format == "own" else None
    expect_known_gap(request, named, run, variant, SIZE)
    assert_answers_in_time(list_variants(RUNS[run](SIZE))[variant], named)


@pytest.mark.slow
@pytest.mark.parametrize("format", LIST_FORMATS, ids=_format_id)
@pytest.mark.parametrize("run", LARGE_RUNS)
def test_every_reader_answers_a_megabyte_run_in_time(request, run: str, format: str | None):
    expect_known_gap(request, format, run, "bare", LARGE)
    assert_answers_in_time(RUNS[run](LARGE), format)


@pytest.mark.slow
@pytest.mark.parametrize("variant", _VARIANT_FORMATS)
@pytest.mark.parametrize("run", LARGE_RUNS)
def test_a_megabyte_field_is_read_in_time(request, run: str, variant: str):
    expect_known_gap(request, _VARIANT_FORMATS[variant], run, variant, LARGE)
    assert_answers_in_time(list_variants(RUNS[run](LARGE))[variant], _VARIANT_FORMATS[variant])
