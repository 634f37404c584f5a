"""Journal-article records printed the way biomedical reference lists print them (bioRxiv/medRxiv lists):
NLM/Vancouver with and without the full stop after the title, 'Author AB (2019) Title. J Abbrev 12:34-56.',
Nature's 'Author, A. B. & Author, C. Title. J. Abbrev. 12, 34-56 (2019).', and a list number glued to the
first author ('17.Creed PA').

Each rendering is a list of (label, text, glue) segments, `glue` being what comes before `text` in the
printed string; the labels are the CRF's, so a rendering is both a training sequence (train.py) and an
evaluation string with its gold fields (bench/refparse.py).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from .lexicon import abbreviate, is_abbreviation

STYLES = ("vancouver", "vancouver, no full stop after title", "author (year)", "nature", "numbered, glued")
Segment = tuple[str, str, str]  # (label, text, glue before it)
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class Record:
    names: tuple[tuple[str, str], ...]  # (family, initials such as 'PA')
    title: str
    journal: str  # NLM-style abbreviation without full stops: 'Hum Exp Toxicol'
    year: str
    volume: str
    issue: str
    first_page: str
    last_page: str
    doi: str


def render(record: Record, style: str, rng: random.Random) -> list[Segment]:
    """`record` printed in `style` (one of STYLES); random choices (DOI form, et al. cut) come from `rng`."""
    if style == "numbered, glued":
        inner = rng.choice(("vancouver", "vancouver, no full stop after title", "author (year)"))
        segments = render(record, inner, rng)
        label, text, _ = segments[0]
        return [("citation-number", f"{rng.randint(1, 120)}.", ""), (label, text, ""), *segments[1:]]
    if style == "nature":
        return _nature(record, rng)
    if style == "author (year)":
        return _author_year(record, rng)
    return _vancouver(record, rng, title_stop=style == "vancouver")


def printed(segments: list[Segment]) -> str:
    return "".join(f"{glue}{text}" for _, text, glue in segments).strip()


def _vancouver(record: Record, rng: random.Random, title_stop: bool) -> list[Segment]:
    journal_stop = title_stop or rng.random() < 0.5
    date = record.year + (f" {rng.choice(_MONTHS)}" if rng.random() < 0.2 else "") + ";"
    segments = [
        ("author", _initials_after(record.names, rng, dotted=False) + ".", ""),
        ("title", _title(record.title, "." if title_stop else ""), " "),
        ("journal", record.journal + ("." if journal_stop else ""), " "),
        ("date", date, " "),
        ("volume", record.volume + (f"({record.issue})" if record.issue else "") + ":", ""),
        ("pages", _nlm_pages(record) + ".", ""),
    ]
    return segments + _doi(record, rng)


def _author_year(record: Record, rng: random.Random) -> list[Segment]:
    segments = [
        ("author", _initials_after(record.names, rng, dotted=rng.random() < 0.2), ""),
        ("date", f"({record.year})", " "),
        ("title", _title(record.title, "."), " "),
        ("journal", record.journal, " "),
        ("volume", record.volume + (f"({record.issue})" if record.issue else "") + ":", " "),
        ("pages", _pages(record, "-") + ".", ""),
    ]
    return segments + _doi(record, rng)


def _nature(record: Record, rng: random.Random) -> list[Segment]:
    names = [f"{family}, {_dotted(initials)}" for family, initials in record.names]
    authors = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " & " + names[-1]
    if len(names) > 5:
        authors = ", ".join(names[:1]) + " et al."
    dotted_journal = _dotted_journal(record.journal)
    segments = [
        ("author", authors, ""),
        ("title", _title(record.title, "."), " "),
        ("journal", dotted_journal, " "),
        ("volume", f"{record.volume},", " "),
        ("pages", _pages(record, "\u2013"), " "),
        ("date", f"({record.year}).", " "),
    ]
    return segments + (_doi(record, rng) if rng.random() < 0.5 else [])


def _initials_after(names: tuple[tuple[str, str], ...], rng: random.Random, dotted: bool) -> str:
    printed_names = [
        f"{family} {_dotted(initials) if dotted else initials}".strip() for family, initials in names
    ]
    cut = rng.choice((3, 6, 6, 100))
    text = ", ".join(printed_names[:cut])
    return text + (", et al" if len(printed_names) > cut else "")


def _dotted(initials: str) -> str:
    return "".join(f"{letter}." for letter in initials)


def _dotted_journal(journal: str) -> str:
    """'Hum Exp Toxicol' -> 'Hum. Exp. Toxicol.'; a name printed in full ('Animal Behaviour') stays as it is."""
    if abbreviate(journal) != journal:
        return journal
    return " ".join(
        f"{word}." if is_abbreviation(word.lower()) and not word.isupper() else word
        for word in journal.split()
    )


def _title(title: str, stop: str) -> str:
    if title.endswith(("?", "!")):
        return title
    return title.rstrip(".") + stop


def _nlm_pages(record: Record) -> str:
    first, last = record.first_page, record.last_page
    if not last:
        return first
    while len(last) > 1 and len(first) == len(last) and first[0] == last[0]:
        first, last = first[1:], last[1:]
    return f"{record.first_page}-{last}"


def _pages(record: Record, dash: str) -> str:
    return f"{record.first_page}{dash}{record.last_page}" if record.last_page else record.first_page


def _doi(record: Record, rng: random.Random) -> list[Segment]:
    if not record.doi or rng.random() < 0.2:
        return []
    form = rng.choice(("doi:{}", "doi: {}.", "https://doi.org/{}", "DOI: {}"))
    return [("doi", form.format(record.doi), " ")]
