"""Which work of the library, or which earlier record of the same file, a record describes.

DOI first, then PMID and PMCID, then title + year + first author. A sure match is merged; a close one is a
possible duplicate for a curator (unless a curator said the pair are not duplicates)."""

from __future__ import annotations

import io
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection

from ..matching import Keys, family_key, title_key, title_similarity
from ..refparse.records import ParsedReference
from .copying import copy_line

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
    with connection.cursor() as cursor:
        for sql, params in _library_queries(refs, keys):
            cursor.execute(sql, params)
            rows.update((row[0], row) for row in cursor.fetchall())
    seen = Seen()
    for pk, doi, pmid, pmcid, title, year, author in (rows[pk] for pk in sorted(rows)):
        seen.add({"doi": doi, "pmid": pmid, "pmcid": pmcid}, Keys(title, year, author), pk, None)
    return seen


_COLUMNS = "w.id, w.doi, w.pmid, w.pmcid, w.title_key, w.year, w.first_author_key"
# doi <> '' (and pmid, pmcid) lets PostgreSQL use the partial indexes for a long list.
_BY_ID = f"SELECT {_COLUMNS} FROM references_work w WHERE w.merged_into_id IS NULL AND w.{{0}} <> '' AND w.{{0}} = ANY(%s)"
# One index probe per block (LATERAL, kept apart by OFFSET 0): a join of the blocks with the table is planned
# as a scan of the whole table, and any of the file's titles or authors in any of its years is much of the library.
_IN_BLOCKS = f"""
    SELECT {_COLUMNS} FROM unnest(%s::int[], %s::text[], %s::int[], %s::int[]) AS block(year, key, shortest, longest)
    CROSS JOIN LATERAL (
        SELECT * FROM references_work w
        WHERE {{0}} = block.key AND w.year = block.year AND w.merged_into_id IS NULL
        AND length(w.title_key) BETWEEN block.shortest AND block.longest
        OFFSET 0
    ) w
"""


_ANY_LENGTH = (0, 1 << 30)


def _library_queries(refs: list[ParsedReference], keys: list[Keys]) -> list[tuple[str, list]]:
    """One query per way a work can be found, each on an index."""
    titled = [k for k in keys if k.title and k.year]
    ids = {
        "doi": {ref.doi.lower() for ref in refs if ref.doi},
        "pmid": {ref.pmid for ref in refs if ref.pmid},
        "pmcid": {ref.pmcid.upper() for ref in refs if ref.pmcid},
    }
    blocks = {
        "w.title_key": {(k.year, k.title, *_ANY_LENGTH) for k in titled},
        # A work of the record's year and first author can only match if its title's length is close enough
        # (the bound _title_score applies): a common surname's block is much of a year, its close lengths a few.
        "w.first_author_key": {
            (k.year, k.first_author, *_length_range(len(k.title))) for k in titled if k.first_author
        },
        "left(w.title_key, 8)": {(k.year, k.title[:8], *_ANY_LENGTH) for k in titled if not k.first_author},
    }
    queries = [(_BY_ID.format(kind), [sorted(values)]) for kind, values in ids.items() if values]
    for column, chosen in blocks.items():
        if chosen:
            queries.append((_IN_BLOCKS.format(column), [list(c) for c in zip(*sorted(chosen), strict=True)]))
    return queries


def _length_range(length: int) -> tuple[int, int]:
    """The title lengths that can reach POSSIBLE_TITLE against a title of this length (2s / (s + l) is the
    best similarity of titles s and l long), with a character to spare either side."""
    ratio = POSSIBLE_TITLE / (2 - POSSIBLE_TITLE)
    return int(length * ratio) - 1, int(length / ratio) + 1


def pair(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


class EarlierRecords:
    """The file's records decided so far, in a temporary table (dropped with the transaction): a file of any
    size is decided holding one batch of records, not every record read before it. Each batch takes the
    earlier records it could be from the table, in file order, as the Seen it goes on adding to."""

    _TABLE = "import_earlier_records"
    _COLUMNS = "position, work_id, doi, pmid, pmcid, title_key, year, first_author_key"

    def __init__(self) -> None:
        with connection.cursor() as cursor:
            # One left by an earlier plan in the same transaction (a test's, or a dry run before the import).
            cursor.execute(f"DROP TABLE IF EXISTS {self._TABLE}")
            cursor.execute(
                f"CREATE TEMPORARY TABLE {self._TABLE} (position integer PRIMARY KEY, work_id bigint, doi text, "
                "pmid text, pmcid text, title_key text, year integer, first_author_key text) ON COMMIT DROP"
            )
            for index in ("doi", "pmid", "pmcid", "first_author_key, year", "left(title_key, 8), year"):
                cursor.execute(f"CREATE INDEX ON {self._TABLE} ({index})")
        self.kept = 0

    def candidates(self, all_ids: list[dict[str, str]], keys: list[Keys]) -> Seen:
        """The earlier records sharing an identifier or a title block with any of these records."""
        seen = Seen()
        if not self.kept:
            return seen
        titled = [k for k in keys if k.title and k.year]
        blocks = {
            "first_author_key": {(k.year, k.first_author) for k in titled if k.first_author},
            "left(title_key, 8)": {(k.year, k.title[:8]) for k in titled},
        }
        parts, params = [], []
        for kind in ("doi", "pmid", "pmcid"):
            if values := sorted({ids[kind] for ids in all_ids if ids[kind]}):
                parts.append(f"SELECT {self._COLUMNS} FROM {self._TABLE} WHERE {kind} = ANY(%s)")
                params.append(values)
        for column, chosen in blocks.items():
            if chosen:
                parts.append(
                    f"SELECT e.* FROM unnest(%s::int[], %s::text[]) AS block(year, key) CROSS JOIN LATERAL "
                    f"(SELECT {self._COLUMNS} FROM {self._TABLE} WHERE {column} = block.key "
                    "AND year = block.year OFFSET 0) e"
                )
                block_years, block_keys = zip(*sorted(chosen), strict=True)
                params.extend([list(block_years), list(block_keys)])
        with connection.cursor() as cursor:
            cursor.execute(" UNION ".join(parts) + " ORDER BY position", params)
            for position, work_id, doi, pmid, pmcid, title, year, author in cursor.fetchall():
                seen.add(
                    {"doi": doi, "pmid": pmid, "pmcid": pmcid}, Keys(title, year, author), work_id, position
                )
        return seen

    def keep(self, rows: list[tuple[int, int | None, dict[str, str], Keys]]) -> None:
        """These records (position, the work each became or None, identifiers, keys), once decided."""
        lines = (
            copy_line(
                (position, work_id, ids["doi"], ids["pmid"], ids["pmcid"], k.title, k.year, k.first_author)
            )
            for position, work_id, ids, k in rows
        )
        with connection.cursor() as cursor:
            cursor.copy_expert(
                f"COPY {self._TABLE} ({self._COLUMNS}) FROM STDIN", io.StringIO("".join(lines))
            )
            if not self.kept:
                cursor.execute(f"ANALYZE {self._TABLE}")  # temporary tables have no autovacuum to count them
        self.kept += len(rows)
