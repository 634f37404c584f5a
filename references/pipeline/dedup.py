"""Which work of the library, or which earlier record of the same file, a record describes.

DOI first, then PMID and PMCID, then title + year + first author. A sure match is merged; a close one is a
possible duplicate for a curator (unless a curator said the pair are not duplicates)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models.expressions import RawSQL

from ..matching import Keys, family_key, title_key, title_similarity
from ..models import Work
from ..refparse.records import ParsedReference

SURE_TITLE = 0.97  # same year, authors agree (or one lacks them): one publication
POSSIBLE_TITLE = 0.85  # same year, authors agree: a curator decides


@dataclass(frozen=True)
class Match:
    work_id: int | None  # None: an earlier record of this file, not yet written
    method: str  # doi | pmid | pmcid | title
    score: float
    record: int | None = None  # the earlier record's position, for a duplicate within the file


def record_keys(ref: ParsedReference) -> Keys:
    return Keys(title_key(ref.title), ref.year, family_key(ref.authors[0].family) if ref.authors else "")


@dataclass
class Seen:
    """Works (by id) or earlier records (by position) under each identifier and title block."""

    ids: dict[tuple[str, str], tuple[int | None, int | None, str]] = field(default_factory=dict)
    # Title comparisons only within a block: the same year and first author, or the same year and title start.
    blocks: dict[tuple, list[tuple[Keys, int | None, int | None, str]]] = field(
        default_factory=lambda: defaultdict(list)
    )

    def add(self, ref_ids: dict[str, str], keys: Keys, work_id: int | None, record: int | None) -> None:
        for kind, value in ref_ids.items():
            if value:
                self.ids.setdefault((kind, value), (work_id, record, ref_ids["doi"]))
        if keys.title and keys.year:
            for block in _blocks(keys):
                self.blocks[block].append((keys, work_id, record, ref_ids["doi"]))

    def find(self, ref_ids: dict[str, str], keys: Keys) -> tuple[Match | None, list[Match]]:
        """The sure match, else None and the possible ones."""
        possible = []
        for kind in ("doi", "pmid", "pmcid"):
            if ref_ids[kind] and (hit := self.ids.get((kind, ref_ids[kind]))):
                work_id, record, doi = hit
                if doi and ref_ids["doi"] and doi != ref_ids["doi"]:  # one PMID, two DOIs: a person decides
                    possible.append(Match(work_id, kind, 0.9, record))
                    continue
                return Match(work_id, kind, 1.0, record), []
        candidates = {id(entry): entry for block in _blocks(keys) for entry in self.blocks.get(block, ())}
        for known, work_id, record, doi in candidates.values():
            score = _title_score(keys, known)
            if score is None:
                continue
            match = Match(work_id, "title", round(score, 3), record)
            other_doi = (
                doi and ref_ids["doi"] and doi != ref_ids["doi"]
            )  # two DOIs: two works, or a person says
            if score >= SURE_TITLE and not other_doi:
                return match, []
            possible.append(match)
        return None, sorted(possible, key=lambda match: -match.score)[:3]


def _blocks(keys: Keys) -> list[tuple]:
    if not (keys.title and keys.year):
        return []
    blocks = [(keys.year, "t", keys.title[:8])]
    return [*blocks, (keys.year, "a", keys.first_author)] if keys.first_author else blocks


def _title_score(a: Keys, b: Keys) -> float | None:
    if a.first_author and b.first_author and a.first_author != b.first_author:
        return None
    # A cheap bound first: titles of very different length cannot reach the threshold.
    shorter, longer = sorted((len(a.title), len(b.title)))
    if longer and 2 * shorter / (shorter + longer) < POSSIBLE_TITLE:
        return None
    score = title_similarity(a.title, b.title)
    return score if score >= POSSIBLE_TITLE else None


def identifiers(ref: ParsedReference) -> dict[str, str]:
    return {"doi": ref.doi.lower(), "pmid": ref.pmid, "pmcid": ref.pmcid.upper()}


def library_for(refs: list[ParsedReference], keys: list[Keys] | None = None) -> Seen:
    """The works of the library these records could be: those sharing an identifier, or a year and a title, or
    a matching block with a record (its year and first author; for a record without an author, its year and
    title start). `keys` are the records' record_keys, when already computed."""
    keys = [record_keys(ref) for ref in refs] if keys is None else keys
    rows: dict[int, tuple] = {}
    for query in _library_queries(refs, keys):
        rows.update((row[0], row) for row in query)
    seen = Seen()
    for pk, doi, pmid, pmcid, title, year, author in (rows[pk] for pk in sorted(rows)):
        seen.add({"doi": doi, "pmid": pmid, "pmcid": pmcid}, Keys(title, year, author), pk, None)
    return seen


_COLUMNS = ("pk", "doi", "pmid", "pmcid", "title_key", "year", "first_author_key")
# Works in the given (year, key) blocks, one index probe per block.
_BLOCK_SQL = """
    SELECT w.id FROM references_work w
    JOIN unnest(%s::int[], %s::text[]) AS block(year, key) ON w.year = block.year AND {column} = block.key
    WHERE w.merged_into_id IS NULL
"""


def _library_queries(refs: list[ParsedReference], keys: list[Keys]) -> list:
    """One query per way a work can be found, each on an index: one query OR-ing them all reads the whole
    table, and any of the file's titles or authors in any of its years is much of the library."""
    active = Work.objects.active()
    dois = {ref.doi.lower() for ref in refs if ref.doi}
    pmids = {ref.pmid for ref in refs if ref.pmid}
    pmcids = {ref.pmcid.upper() for ref in refs if ref.pmcid}
    titled = [k for k in keys if k.title and k.year]
    titles = sorted({(k.year, k.title) for k in titled})
    # A work of the record's year and first author can only match if its title's length is close enough
    # (the bound _title_score applies): a common surname's block is much of a year, its close lengths a few.
    authors = sorted(
        {(k.year, k.first_author, *_length_range(len(k.title))) for k in titled if k.first_author}
    )
    starts = sorted({(k.year, k.title[:8]) for k in titled if not k.first_author})
    queries = [
        # doi <> '' (and pmid <> '') lets PostgreSQL use the partial unique index for a long list.
        active.exclude(doi="").filter(doi__in=dois) if dois else None,
        active.exclude(pmid="").filter(pmid__in=pmids) if pmids else None,
        active.filter(pmcid__in=pmcids) if pmcids else None,
        _in_blocks(active, "w.title_key", titles),
        _in_author_blocks(active, authors),
        _in_blocks(active, "left(w.title_key, 8)", starts),
    ]
    return [query.values_list(*_COLUMNS) for query in queries if query is not None]


_AUTHOR_BLOCK_SQL = """
    SELECT w.id FROM references_work w
    JOIN unnest(%s::int[], %s::text[], %s::int[], %s::int[]) AS block(year, key, shortest, longest)
    ON w.year = block.year AND w.first_author_key = block.key
    AND length(w.title_key) BETWEEN block.shortest AND block.longest
    WHERE w.merged_into_id IS NULL
"""


def _length_range(length: int) -> tuple[int, int]:
    """The title lengths that can reach POSSIBLE_TITLE against a title of this length (2s / (s + l) is the
    best similarity of titles s and l long), with a character to spare either side."""
    ratio = POSSIBLE_TITLE / (2 - POSSIBLE_TITLE)
    return int(length * ratio) - 1, int(length / ratio) + 1


def _in_author_blocks(active, blocks: list[tuple[int, str, int, int]]):
    if not blocks:
        return None
    columns = [list(column) for column in zip(*blocks, strict=True)]
    return active.filter(pk__in=RawSQL(_AUTHOR_BLOCK_SQL, columns))


def _in_blocks(active, column: str, blocks: list[tuple[int, str]]):
    if not blocks:
        return None
    years, values = [year for year, _ in blocks], [value for _, value in blocks]
    return active.filter(pk__in=RawSQL(_BLOCK_SQL.format(column=column), [years, values]))


def pair(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)
