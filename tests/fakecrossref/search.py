"""A local stand-in for Crossref's `GET /works?query.bibliographic=…`: BM25 over the recorded works.

The index holds every recorded work (single-work bodies and the items of recorded searches) and, as
pseudo works, every `reference[]` entry that carries a DOI. Scores are BM25, scaled so a good match lands
where Crossref's do (tens to low hundreds, roughly in proportion to the matched part of the query); they
are not Crossref's scores.
"""

from __future__ import annotations

import copy
import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from references.matching import fold
from references.refparse.text import parse_reference

# BM25's usual constants.
K1 = 1.2
B = 0.75
# Our index holds a few thousand records where Crossref's holds 150 million, so our idf values are about half
# of Crossref's. This factor brings the recorded CERMINE strings' top scores near Crossref's (167.7 and 38.5).
SCORE_SCALE = 1.85
# Field weights inside one bag of words: a title word counts fully, a journal word less (many records share it).
FIELD_WEIGHTS = {"title": 1.0, "container": 0.6, "author": 1.0, "number": 1.0}
# Marks a pseudo work built from a reference[] entry: "citing DOI#entry key".
SOURCE_KEY = "x-local-source"

_TOKEN_RE = re.compile(r"[0-9a-z]+")
_INITIALS_RE = re.compile(r"^[A-Z]{1,3}$")


@dataclass(frozen=True)
class _Document:
    doi: str  # lower-cased
    body: str  # the item as JSON, so each answer is a fresh copy
    terms: dict[str, float]  # weighted term frequencies
    length: float


class LocalSearchIndex:
    """Ranked, scored candidates for a reference string, like Crossref's query.bibliographic."""

    def __init__(self, items: Iterable[dict]) -> None:
        self._documents: list[_Document] = []
        seen: set[str] = set()
        for item in items:
            doi = str(item.get("DOI") or "").lower()
            if doi and doi not in seen:
                seen.add(doi)
                self._documents.append(_document(item, doi))
        self._postings: dict[str, list[int]] = defaultdict(list)
        for index, document in enumerate(self._documents):
            for term in document.terms:
                self._postings[term].append(index)
        self._by_doi = {document.doi: index for index, document in enumerate(self._documents)}
        self._excluded: frozenset[int] = frozenset()
        self._document_frequency = Counter({term: len(ids) for term, ids in self._postings.items()})
        self._total_length = sum(document.length for document in self._documents)

    @classmethod
    def from_fixtures(cls, directory: Path) -> LocalSearchIndex:
        """Recorded works first (they win over a pseudo work with the same DOI), then reference[] entries."""
        works = recorded_works(directory)
        pseudo = (pseudo_item(entry, citing) for citing, entry in reference_entries(works))
        return cls([*works, *(item for item in pseudo if item)])

    def __len__(self) -> int:
        return len(self._documents) - len(self._excluded)

    def __contains__(self, doi: str) -> bool:
        index = self._by_doi.get(doi.lower())
        return index is not None and index not in self._excluded

    def item(self, doi: str) -> dict | None:
        """A copy of the indexed item with this DOI, if the index holds it."""
        return json.loads(self._documents[self._by_doi[doi.lower()]].body) if doi in self else None

    def without(self, dois: set[str]) -> LocalSearchIndex:
        """The same index minus these DOIs; statistics are recomputed, postings shared."""
        removed = {self._by_doi[doi.lower()] for doi in dois if doi in self}
        smaller = copy.copy(self)
        smaller._excluded = self._excluded | removed
        smaller._document_frequency = self._document_frequency.copy()
        for index in removed:
            smaller._document_frequency.subtract(self._documents[index].terms.keys())
        smaller._total_length = self._total_length - sum(self._documents[i].length for i in removed)
        return smaller

    def search(self, query: str, rows: int = 5) -> list[dict]:
        """The best `rows` items for `query`, best first, each a fresh copy with a "score"."""
        scores = self._scores(set(tokens(query)))
        ranked = sorted(scores.items(), key=lambda pair: (-pair[1], pair[0]))[:rows]
        return [
            {**json.loads(self._documents[index].body), "score": round(score, 5)} for index, score in ranked
        ]

    def _scores(self, terms: set[str]) -> dict[int, float]:
        size = len(self)
        average = self._total_length / size if size else 1.0
        scores: dict[int, float] = defaultdict(float)
        for term in terms:
            frequency = self._document_frequency.get(term, 0)
            if frequency <= 0:
                continue
            idf = math.log(1 + (size - frequency + 0.5) / (frequency + 0.5))
            for index in self._postings[term]:
                if index in self._excluded:
                    continue
                document = self._documents[index]
                tf = document.terms[term]
                norm = K1 * (1 - B + B * document.length / average)
                scores[index] += SCORE_SCALE * idf * tf * (K1 + 1) / (tf + norm)
        return scores


def tokens(text: str) -> list[str]:
    """Folded words and numbers; single letters (initials) say nothing."""
    return [token for token in _TOKEN_RE.findall(fold(text)) if len(token) > 1 or token.isdigit()]


def _document(item: dict, doi: str) -> _Document:
    terms: Counter[str] = Counter()
    for field, text in _fields(item):
        for token in tokens(text):
            terms[token] += FIELD_WEIGHTS[field]
    body = json.dumps({key: value for key, value in item.items() if key != "score"})
    return _Document(doi, body, dict(terms), float(sum(terms.values())) or 1.0)


def _fields(item: dict) -> Iterator[tuple[str, str]]:
    for title in [*_strings(item.get("title")), *_strings(item.get("subtitle"))]:
        yield "title", title
    for container in _strings(item.get("container-title")):
        yield "container", container
    for person in item.get("author") or item.get("editor") or []:
        yield "author", person.get("family") or person.get("name") or ""
    year = _year(item)
    numbers = [str(year) if year else "", str(item.get("volume") or ""), str(item.get("page") or "")]
    yield "number", " ".join(numbers)


def _year(item: dict) -> int | None:
    for name in ("issued", "published-print", "published-online"):
        parts = (item.get(name) or {}).get("date-parts") or [[None]]
        if parts and parts[0] and isinstance(parts[0][0], int):
            return parts[0][0]
    return None


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [entry for entry in value or [] if isinstance(entry, str)]


# Reading the recorded files


def recorded_works(directory: Path) -> list[dict]:
    """Every recorded work message and every item of a recorded work list, in file-name order."""
    works: list[dict] = []
    for path in sorted(directory.glob("*.json")):
        try:
            body = json.loads(path.read_text(encoding="utf-8"))
        except ValueError:
            continue
        message = body.get("message") if isinstance(body, dict) else None
        if body.get("message-type") == "work" and isinstance(message, dict):
            works.append(message)
        elif body.get("message-type") == "work-list" and isinstance(message, dict):
            works.extend(message.get("items") or [])
    return works


def reference_entries(works: Iterable[dict]) -> Iterator[tuple[str, dict]]:
    """(citing DOI, entry) for every reference[] entry that carries a DOI."""
    for work in works:
        for entry in work.get("reference") or []:
            if entry.get("DOI"):
                yield work.get("DOI", ""), entry


def pseudo_item(entry: dict, citing: str) -> dict | None:
    """A work item made of what a reference[] entry says about its DOI; None when it says nothing else."""
    fields = _entry_fields(entry)
    if not (fields["title"] or fields["author"] or fields["container"]):
        return None
    item: dict = {"DOI": entry["DOI"], "type": fields["type"], SOURCE_KEY: f"{citing}#{entry.get('key', '')}"}
    if fields["title"]:
        item["title"] = [fields["title"]]
    if fields["container"]:
        item["container-title"] = [fields["container"]]
    if fields["author"]:
        item["author"] = [{"family": family} for family in fields["author"]]
    elif fields["editor"]:
        item["editor"] = [{"family": family} for family in fields["editor"]]
    if fields["year"]:
        item["issued"] = {"date-parts": [[fields["year"]]]}
    for key in ("volume", "issue", "page"):
        if fields[key]:
            item[key] = fields[key]
    return item


def _entry_fields(entry: dict) -> dict:
    """Structured fields where the entry has them, else what the parser reads in its unstructured string."""
    parsed = parse_reference(entry["unstructured"]) if entry.get("unstructured") else None
    article, book = entry.get("article-title", ""), entry.get("volume-title", "")
    title = article or (parsed.title if parsed else "") or book
    container = (
        entry.get("journal-title")
        or (book if title != book else "")
        or (parsed.container_title if parsed else "")
    )
    author = [_family(entry["author"])] if entry.get("author") else []
    if not author and parsed:
        author = [name.family for name in parsed.authors]
    year = _int(entry.get("year", "")) or (parsed.year if parsed else None)
    page = entry.get("first-page") or (parsed.pages if parsed else "")
    kind = "journal-article" if entry.get("journal-title") else "book" if book and title == book else "other"
    return {
        "title": title,
        "container": container,
        "author": author,
        "editor": [name.family for name in parsed.editors] if parsed else [],
        "year": year,
        "volume": entry.get("volume") or (parsed.volume if parsed else ""),
        "issue": entry.get("issue") or (parsed.issue if parsed else ""),
        "page": page,
        "type": kind,
    }


def _family(author: str) -> str:
    """Crossref's reference author is a family name, sometimes after initials ("PP Michel")."""
    words = author.split()
    return " ".join(words[1:]) if len(words) > 1 and _INITIALS_RE.match(words[0]) else author


def _int(text: str) -> int | None:
    found = re.match(r"\d{4}", text.strip())
    return int(found.group()) if found else None
