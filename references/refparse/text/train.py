"""Train the CRF on AnyStyle's core set: `python -m references.refparse.text.train`.

Reads $SHARED_DIR/benchmarks/refparse/anystyle-core.jsonl (SHARED_DIR defaults to the checkout's ../shared)
and writes model.crfsuite next to this file. Deterministic: L-BFGS has no random state and the data is read
in file order.
"""

from __future__ import annotations

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
from .names import parse_names
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


def training_sequences(path: Path) -> Iterator[tuple[list[list[str]], list[str]]]:
    """Core's records as labelled, then each journal article once more rendered in NLM/Vancouver style:
    core has few of those, and they are what this project's users paste."""
    rng = random.Random(SEED)
    with path.open(encoding="utf-8") as lines:
        records = [json.loads(line) for line in lines]
    for record in records:
        yield from _sequence(record["segments"])
    for record in records:
        yield from _sequence(vancouver_segments(record["fields"], rng))


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


def train(path: Path, model_path: Path = MODEL_PATH) -> None:
    trainer = pycrfsuite.Trainer(verbose=False)
    for features, labels in training_sequences(path):
        trainer.append(features, labels)
    trainer.set_params(PARAMS)
    trainer.train(str(model_path))


def main() -> None:
    started = time.perf_counter()
    train(core_path())
    seconds = time.perf_counter() - started
    size = MODEL_PATH.stat().st_size
    print(f"wrote {MODEL_PATH} ({size / 1e6:.2f} MB) in {seconds:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
