"""A held-out biomedical evaluation set for the plain-text reference parser, built from structured records.

The records are the journal articles cited in, and returned by, the recorded Crossref bodies
($SHARED_DIR/fixtures/crossref/*.json: each cited reference's first author, article title, journal title as
deposited, year, volume, first page, DOI; each returned work's authors, title, short journal title, volume,
issue, pages, DOI) and the PubMed samples ($SHARED_DIR/samples/medline/, read with Biopython's Bio.Medline:
AU, TI, TA, DP, VI, IP, PG, AID). None of these is used in training (train.py reads AnyStyle's core set and
the Scopus sample). Each record is printed in every style of references.refparse.text.styles, keeping its
gold fields; where a cited reference names only its first author, co-authors are drawn from the other
records' first authors with random initials. Deterministic: one seeded random generator.
"""

from __future__ import annotations

import html
import json
import random
import re
from collections.abc import Iterator
from pathlib import Path

from config.shared import shared_dir
from references.refparse.text.styles import STYLES, Record, printed, render

SEED = 20250131
_TAG_RE = re.compile(r"<[^>]+>")
_YEAR_RE = re.compile(r"(?:1[5-9]|20)\d\d")
_PAGES_RE = re.compile(r"^([A-Za-z]?\d+)(?:\s*[-\u2013]\s*([A-Za-z]?\d+))?$")
_SURNAME_RE = re.compile(
    r"^(?!.*\b[A-Z]{1,3}\b)[^\W\d_][\w'\-]*(?: [^\W\d_][\w'\-]*)?$"
)  # a family name alone, no initials
_LETTERS = "ABCDEFGHIJKLMNOPRSTVW"


def evaluation_set() -> list[dict]:
    """[{'style', 'raw', 'gold': {field: value}}] for every record in every style."""
    rng = random.Random(SEED)
    records = _unique(_records(rng))
    cases = []
    for record in records:
        for style in STYLES:
            segments = render(record, style, rng)
            cases.append({"style": style, "raw": printed(segments), "gold": _gold(record, segments)})
    return cases


def check_set() -> list[dict]:
    """The same styles printed from the records training reads (AnyStyle core's journal articles and the Scopus
    sample): a check, for rules written looking at evaluation_set's errors, on records they were not written on.
    The shipped CRF has seen core's records, though in their own styles and NLM's with a full stop."""
    from references.refparse.text import train

    rng = random.Random(SEED)
    with train.core_path().open(encoding="utf-8") as lines:
        core = [json.loads(line)["fields"] for line in lines]
    records = [train.core_record(fields, rng) for fields in core] + train.scopus_records(train.scopus_path())
    cases = []
    for record in filter(None, records):
        for style in STYLES:
            segments = render(record, style, rng)
            cases.append({"style": style, "raw": printed(segments), "gold": _gold(record, segments)})
    return cases


def _gold(record: Record, segments: list) -> dict[str, str]:
    spans = {label: text for label, text, _ in segments}
    return {
        "author": spans["author"],
        "title": record.title,
        "container": spans["journal"],
        "year": record.year,
        "volume": record.volume,
        "pages": f"{record.first_page}-{record.last_page}" if record.last_page else record.first_page,
        "doi": record.doi if "doi" in spans else "",
    }


def _unique(records: Iterator[Record]) -> list[Record]:
    seen: set[str] = set()
    kept = []
    for record in records:
        key = re.sub(r"\W+", " ", record.title.lower()).strip()
        if key not in seen:
            seen.add(key)
            kept.append(record)
    return kept


def _records(rng: random.Random) -> Iterator[Record]:
    bodies = sorted((shared_dir() / "fixtures" / "crossref").glob("*.json"))
    works = [work for path in bodies for work in _works(path)]
    pool = sorted(
        {cited["author"] for work in works for cited in work.get("reference", []) if cited.get("author")}
    )
    for work in works:
        if record := _from_work(work):
            yield record
        for cited in work.get("reference", []):
            if record := _from_cited(cited, pool, rng):
                yield record
    yield from _from_medline(shared_dir() / "samples" / "medline")


def _works(path: Path) -> list[dict]:
    message = json.loads(path.read_text(encoding="utf-8")).get("message")
    if not isinstance(message, dict):
        return []
    return message.get("items", [message])


def _from_cited(cited: dict, pool: list[str], rng: random.Random) -> Record | None:
    wanted = ("author", "article-title", "journal-title", "year", "volume", "first-page")
    if not all(cited.get(name) for name in wanted) or not _SURNAME_RE.match(cited["author"]):
        return None
    first = (_clean(cited["author"]), _initials(rng))
    others = tuple((family, _initials(rng)) for family in rng.sample(pool, rng.choice((0, 1, 2, 3, 4, 5, 8))))
    return _record(
        names=(first, *others),
        title=cited["article-title"],
        journal=cited["journal-title"],
        year=cited["year"],
        volume=cited["volume"],
        pages=cited["first-page"],
        doi=cited.get("DOI", ""),
    )


def _from_work(work: dict) -> Record | None:
    journal = (work.get("short-container-title") or work.get("container-title") or [""])[0]
    authors = [author for author in work.get("author", []) if author.get("family")]
    year = (work.get("issued", {}).get("date-parts") or [[None]])[0][0]
    if work.get("type") != "journal-article" or not (authors and work.get("title") and journal and year):
        return None
    names = tuple((_clean(a["family"]), _initials_of(a.get("given", ""))) for a in authors)
    return _record(
        names=names,
        title=work["title"][0],
        journal=journal,
        year=str(year),
        volume=work.get("volume", ""),
        pages=work.get("page") or work.get("article-number", ""),
        doi=work.get("DOI", ""),
        issue=work.get("issue", ""),
    )


def _from_medline(folder: Path) -> Iterator[Record]:
    from Bio import Medline  # test-only dependency, an independent reader of the samples

    for path in sorted(folder.iterdir()):
        with path.open(encoding="utf-8") as handle:
            for entry in Medline.parse(handle):
                names = tuple(_medline_name(name) for name in entry.get("AU", []))
                doi = next((aid[:-6] for aid in entry.get("AID", []) if aid.endswith(" [doi]")), "")
                record = _record(
                    names=names,
                    title=entry.get("TI", ""),
                    journal=entry.get("TA", ""),
                    year=(_YEAR_RE.search(entry.get("DP", "")) or [""])[0],
                    volume=entry.get("VI", ""),
                    pages=entry.get("PG", ""),
                    doi=doi,
                    issue=entry.get("IP", ""),
                )
                if record:
                    yield record


def _medline_name(printed_name: str) -> tuple[str, str]:
    family, _, initials = printed_name.rpartition(" ")
    return (family, initials) if family and initials.isupper() else (printed_name, "")


def _record(*, names, title, journal, year, volume, pages, doi, issue="") -> Record | None:
    title, journal, pages = _clean(title), _clean(journal).replace(".", "").strip(" ,"), _clean(pages)
    page_range = _PAGES_RE.match(pages)
    year_found = _YEAR_RE.fullmatch(str(year).strip())
    if not (names and title and journal and volume.isdigit() and page_range and year_found):
        return None
    first, last = page_range.groups()
    return Record(
        names, title, journal, year_found.group(), volume, issue, first, _full_last(first, last), doi
    )


def _full_last(first: str, last: str | None) -> str:
    # MEDLINE prints '590-602' as '590-602' and '2246-56' abbreviated: gold keeps the full last page.
    if not last:
        return ""
    if last.isdigit() and first.isdigit() and len(last) < len(first):
        return first[: len(first) - len(last)] + last
    return last


def _clean(text: str) -> str:
    return " ".join(html.unescape(_TAG_RE.sub("", str(text))).split()).rstrip(".")


def _initials(rng: random.Random) -> str:
    return "".join(rng.sample(_LETTERS, rng.choice((1, 2, 2, 2, 3))))


def _initials_of(given: str) -> str:
    return "".join(part[0] for part in re.split(r"[\s.\-]+", given) if part[:1].isalpha()).upper()
