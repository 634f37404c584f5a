"""Train the CRF on AnyStyle's core set: `.venv/bin/python -m references.refparse.text.train`.

Reads $SHARED_DIR/benchmarks/refparse/anystyle-core.jsonl (SHARED_DIR defaults to the checkout's ../shared)
and writes model.crfsuite next to this file: core's records as labelled, and each core journal article once
more in NLM/Vancouver style. Deterministic: L-BFGS has no random state, the data is read in file order and
the renderings draw from one seeded generator.

`--biomedical` adds core's and the Scopus sample's ($SHARED_DIR/samples/scopus/scopus_testing.csv) journal
articles printed in two biomedical styles of styles.py (always once without a full stop after the title;
journal names abbreviated the NLM way through the LTWA, lexicon.py). Measured with bench/refparse.py, it
raises the biomedical set's title/container F1 (about 0.875/0.898 -> 0.91/0.93) but lowers AnyStyle gold's
title F1 by about 0.01, so the shipped model is trained without it (see docs/refparse-benchmark.md). The
biomedical evaluation reads other records (the Crossref fixtures and MEDLINE samples): the two never share.
"""

from __future__ import annotations

import csv
import json
import random
import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pycrfsuite

from config.shared import shared_dir

from .crf import MODEL_PATH
from .features import sequence_features
from .lexicon import abbreviate
from .names import parse_names
from .styles import STYLES, Record, render
from .tokens import tokenize

SEED = 20240611
PARAMS = {"c1": 0.05, "c2": 0.01, "max_iterations": 200, "feature.possible_transitions": True}
_LABELS = {
    "container-title": "container",
    "collection-title": "note",
    "source": "note",
    "director": "note",
    "medium": "note",
    "producer": "note",
    "isbn": "note",
}
_VANCOUVER_YEAR_RE = re.compile(r"^(?:1[5-9]\d\d|20\d\d)[a-z]?(?:\s+[A-Z][a-z]{2}(?:\s+\d{1,2})?)?;$")

_PAGES_RE = re.compile(r"^[A-Za-z]{0,4}\d+(?:\.e\d+)?[-\u2010-\u2015\u2212]*(?:[A-Za-z]{0,4}\d+)?[.,;]?$")


def core_path() -> Path:
    return shared_dir() / "benchmarks" / "refparse" / "anystyle-core.jsonl"


def labelled_tokens(segments: list[list[str]]) -> tuple[list, list[str]]:
    """Tokens of a gold record and their labels. Gold labels all of `2009;108(2): 508-12.` as `volume`; here
    the year becomes `date` and what follows the colon `pages`, so that labels mean one thing each."""
    tokens, labels = [], []
    for label, text in segments:
        after_colon = False
        for token in tokenize(text):
            tokens.append(token)
            if label == "volume" and _VANCOUVER_YEAR_RE.match(token.text):
                labels.append("date")
            elif label == "volume" and after_colon and _PAGES_RE.match(token.text):
                labels.append("pages")
            else:
                labels.append(_LABELS.get(label, label))
            after_colon = after_colon or token.text.endswith(":")
    return tokens, labels


def training_sequences(path: Path, biomedical: bool = False) -> Iterator[tuple[list[list[str]], list[str]]]:
    """Core's records as labelled, then each journal article once more rendered in NLM/Vancouver style:
    core has few of those, and they are what this project's users paste."""
    rng = random.Random(SEED)
    with path.open(encoding="utf-8") as lines:
        records = [json.loads(line) for line in lines]
    for record in records:
        yield from _sequence(record["segments"])
    for record in records:
        yield from _sequence(vancouver_segments(record["fields"], rng))
    if not biomedical:
        return
    styled = [core_record(record["fields"], rng) for record in records] + scopus_records(scopus_path())
    for record in styled:
        for style in _two_styles(rng) if record else ():
            yield from _sequence([[label, text] for label, text, _ in render(record, style, rng)])


def scopus_path() -> Path:
    return shared_dir() / "samples" / "scopus" / "scopus_testing.csv"


def _two_styles(rng: random.Random) -> list[str]:
    # The title/journal boundary without a full stop is the hard case: every record is printed that way once.
    return ["vancouver, no full stop after title", rng.choice([s for s in STYLES if "no full stop" not in s])]


def core_record(fields: dict[str, list[str]], rng: random.Random) -> Record | None:
    first = {label: values[0] for label, values in fields.items()}
    if not all(first.get(name) for name in ("author", "title", "journal", "date", "volume", "pages")):
        return None
    return _record(
        names=parse_names(first["author"]).names,
        title=first["title"],
        journal=first["journal"],
        year=first["date"],
        full=rng.random() < 0.45,
        volume=first["volume"],
        pages=first["pages"],
    )


def scopus_records(path: Path) -> list[Record | None]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [
        _record(
            names=parse_names(row["Authors"]).names,
            title=row["Title"],
            journal=row["Abbreviated Source Title"] or row["Source title"],
            year=row["Year"],
            volume=row["Volume"] + (f"({row['Issue']})" if row["Issue"] else ""),
            pages="-".join(page for page in (row["Page start"], row["Page end"]) if page) or row["Art. No."],
            doi=row["DOI"],
        )
        for row in rows
    ]


def _record(
    *,
    names: list,
    title: str,
    journal: str,
    year: str,
    volume: str,
    pages: str,
    doi: str = "",
    full: bool = False,
) -> Record | None:
    """A record printable by styles.py; the journal abbreviated the NLM way unless `full`."""
    found_year = re.search(r"1[5-9]\d\d|20\d\d", year)
    numbers = _NUMBER_RE.findall(volume)
    page_runs = re.findall(r"[A-Za-z]?\d+", pages)
    initials = tuple((name.family, re.sub(r"[^A-Z]", "", name.given)) for name in names if name.family)
    if not (found_year and numbers and page_runs and initials):
        return None
    return Record(
        names=initials,
        title=re.sub(r"<[^>]+>", "", title).strip(' .,"“”'),
        journal=(journal if full else abbreviate(journal.replace(".", " "))).strip(" ,;:."),
        year=found_year.group(),
        volume=numbers[0],
        issue=numbers[1] if len(numbers) > 1 else "",
        first_page=page_runs[0],
        last_page=page_runs[1] if len(page_runs) > 1 else "",
        doi=doi.strip(),
    )


def _sequence(segments: list[list[str]]) -> Iterator[tuple[list[list[str]], list[str]]]:
    tokens, labels = labelled_tokens(segments)
    if tokens:
        yield sequence_features(tokens), labels


_NUMBER_RE = re.compile(r"\d+")
_MONTHS = (" Jan", " Feb", " Mar", " Apr", " May", " Jun", " Jul", " Aug", " Sep", " Oct", " Nov", " Dec")
_GROUPS = (
    "Study Group",
    "Working Party",
    "Trial Group",
    "Consortium",
    "Investigators",
    "Collaborative Group",
)


def vancouver_segments(fields: dict[str, list[str]], rng: random.Random) -> list[list[str]]:
    """A core journal article as 'Family AB, Family C, et al. Title. J Abbrev. 2005;61(2):327-35.', [] if
    it lacks a part of that."""
    wanted = ("author", "title", "journal", "date", "volume", "pages")
    if not all(fields.get(name) for name in wanted):
        return []
    year = re.search(r"1[5-9]\d\d|20\d\d", fields["date"][0])
    numbers = _NUMBER_RE.findall(fields["volume"][0])
    pages = _NUMBER_RE.findall(fields["pages"][0])
    names = parse_names(fields["author"][0]).names
    if not (year and numbers and pages and names):
        return []
    dotted = rng.random() < 0.35
    volume = numbers[0] + (f"({numbers[1]})" if len(numbers) > 1 else "") + ":"
    segments = [
        ["author", _vancouver_names(names, dotted, rng)],
        ["title", fields["title"][0].strip(' .,"“”') + "."],
        ["journal", fields["journal"][0].replace(".", "").strip(" ,;:") + "."],
        ["date", year.group() + (rng.choice(_MONTHS) if rng.random() < 0.15 else "") + ";"],
        ["volume", volume],
        ["pages", _nlm_pages(pages, rng) + "."],
    ]
    if rng.random() < 0.4:
        segments.append(
            ["doi", f"doi: 10.{rng.randint(1000, 9999)}/{rng.choice('abcjx')}{rng.randint(10, 99999)}."]
        )
    return segments


def _vancouver_names(names: list, dotted: bool, rng: random.Random) -> str:
    def initials(given: str) -> str:
        letters = [part[0] for part in re.split(r"[\s.\-]+", given) if part]
        return "".join(f"{letter}." for letter in letters) if dotted else "".join(letters)

    printed = [f"{name.family} {initials(name.given)}".strip() for name in names]
    cut = rng.choice((3, 6, 6, 100))
    text = ", ".join(printed[:cut]) + (", et al" if len(printed) > cut else "")
    if rng.random() < 0.08:
        text += (
            f"; {rng.choice(('Interfant', 'COG', 'UKALL', 'BFM', 'Nordic', 'Dutch'))} {rng.choice(_GROUPS)}"
        )
    return text + ("" if text.endswith(".") else ".")


def _nlm_pages(pages: list[str], rng: random.Random) -> str:
    if len(pages) == 1:
        return pages[0]
    first, last = pages[0], pages[1]
    while len(last) > 1 and len(first) == len(last) and first[0] == last[0] and rng.random() < 0.8:
        first, last = first[1:], last[1:]
    dash = rng.choice(("-", "\u2013"))
    return f"{pages[0]}{dash}{last}"


def train(path: Path, model_path: Path = MODEL_PATH, biomedical: bool = False) -> None:
    trainer = pycrfsuite.Trainer(verbose=False)
    for features, labels in training_sequences(path, biomedical):
        trainer.append(features, labels)
    trainer.set_params(PARAMS)
    trainer.train(str(model_path))


def main() -> None:
    started = time.perf_counter()
    train(core_path(), biomedical="--biomedical" in sys.argv[1:])
    seconds = time.perf_counter() - started
    size = MODEL_PATH.stat().st_size
    print(f"wrote {MODEL_PATH} ({size / 1e6:.2f} MB) in {seconds:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
