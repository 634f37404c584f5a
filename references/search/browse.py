"""The list page's reading of a selection: facet counts, and counts and snippets for one page of works."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from hashlib import sha256
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.postgres.search import SearchHeadline, SearchRank
from django.core.cache import caches
from django.db import connection, models
from django.db.models import Count, F
from django.http import QueryDict
from django.utils.html import escape
from django.utils.safestring import mark_safe

from ..models import EnrichmentState, IndexedText, IndexedWork, Search, Work, WorkType
from . import indexing
from .query import search_query

TOP_JOURNALS = 12
TOP_YEARS = 15
FIRST_PAGES = 10  # of each selection and order, read and cached together


FACETS = {
    "finding": "Findings",
    "search": "Found by",
    "tagged": "Tagged",
    "year": "Year",
    "type": "Type",
    "journal": "Journal",
    "state": "Crossref",
}


MULTIPLE = ("finding", "search")  # a value narrows the selection further; others replace the one chosen


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    href: str = ""
    active: bool = False


def with_links(
    query: QueryDict, facets: dict[str, list[FacetValue]]
) -> list[tuple[str, str, list[FacetValue]]]:
    """The facets in display order, each value with the link that adds it to the selection, or takes it
    away when it is on."""
    lists = {name: values for name, values in query.lists() if name != "page"}  # read once, not per value
    linked = []
    for name, title in FACETS.items():
        current = lists.get(name, [])
        values = [
            replace(v, href=_toggled(lists, name, v.value), active=v.value in current)
            for v in facets.get(name, [])
        ]
        linked.append((name, title, values))
    return linked


def _toggled(lists: dict[str, list[str]], name: str, value: str) -> str:
    """The query string with `value` of `name` on, or off if on. (Writing each link from a deep copy of the
    request's QueryDict took nine tenths of the time linking a page's facets took.)"""
    current = lists.get(name, [])
    if value in current:
        values = [v for v in current if v != value]
    elif name in MULTIPLE:
        values = [*current, value]
    else:
        values = [value]
    return "?" + urlencode({**lists, name: values}, doseq=True)


def kept_filters(query: QueryDict) -> list[tuple[str, str]]:
    """The facet filters in force, for the search form to carry when the words change."""
    return [(name, value) for name in FACETS for value in query.getlist(name) if value]


@dataclass(frozen=True)
class Counts:
    """A selection's size and its facets."""

    total: int
    facets: dict[str, list[FacetValue]]
    searches: dict[int, int] = field(default_factory=dict)  # works by search id, labelled after the cache


@dataclass(frozen=True)
class FirstPages:
    """The ids of a selection's first pages in one order, and how many works it holds. `broad`: a search
    matching more than BROAD works, whose first pages rank only its newest matches (see first_pages)."""

    ids: list[int]
    total: int
    broad: bool = False


@dataclass(frozen=True)
class Kept:
    """A cached value with what the index was when it was made (see references.search.indexing)."""

    value: object
    generation: int
    changes: int
    made: float  # time.time()


class Remembered:
    """What the cache holds for one selection (its counts) and one order of it (its first pages), read in one
    round trip. A value made before the last change from a request or a command is not used; one made before
    changes from workers only is used for STALE_SECONDS after it was made, and `as_of` says when."""

    def __init__(self, *, key: str, order_key: str, size: int) -> None:
        self.keys = {"counts": cache_key(f"counts:{key}"), "pages": cache_key(f"pages:{size}:{order_key}")}
        self.generation, self.changes = indexing.state()
        found = caches["facets"].get_many(list(self.keys.values()))
        self.kept = {name: self._usable(found.get(key)) for name, key in self.keys.items()}

    def _usable(self, kept: Kept | None) -> Kept | None:
        return kept if usable(kept, self.generation, self.changes) else None

    @property
    def counts(self) -> Counts | None:
        kept = self.kept["counts"]
        return kept.value if kept else None

    @property
    def first_pages(self) -> FirstPages | None:
        kept = self.kept["pages"]
        return kept.value if kept else None

    @property
    def as_of(self) -> datetime | None:
        """When the oldest value shown was made, if the library has changed since; else None."""
        stale = [kept.made for kept in self.kept.values() if kept and kept.changes != self.changes]
        return datetime.fromtimestamp(min(stale), tz=UTC) if stale else None

    def recall(self, name: str) -> object | None:
        """Another value kept by the same rule, under its own name (one more round trip)."""
        kept = self._usable(caches["facets"].get(cache_key(name)))
        return kept.value if kept else None

    def remember(self, name: str, value: object, *, made: float) -> None:
        caches["facets"].set(cache_key(name), Kept(value, self.generation, self.changes, made))

    def keep(self, name: str, value: object, *, made: float) -> None:
        """Store a value made from the index as it was at `made` (read before the query that made it)."""
        kept = Kept(value, self.generation, self.changes, made)
        caches["facets"].set(self.keys[name], kept)
        self.kept[name] = kept


def stale_seconds() -> int:
    return settings.FACETS_STALE_SECONDS


def usable(kept: Kept | None, generation: int, changes: int) -> bool:
    """Made from the index as it is now, or before changes from workers only, at most stale_seconds() ago."""
    if not isinstance(kept, Kept) or kept.generation != generation:
        return False
    return kept.changes == changes or time.time() - kept.made <= stale_seconds()


def facet_counts(
    selection: models.QuerySet[IndexedWork],
    *,
    remembered: Remembered,
    findings: dict[str, int],
    searches: dict[int, str] | None = None,
    text: str = "",
) -> Counts:
    """The selection's size and facets, from the cache or counted now (a pass over every chosen row) and
    kept, so that paging, sorting and a colleague's identical view reuse them. `findings` is the vocabulary,
    label to id; `searches` the searches' labels by id (read here when not given); `text` the search, if any."""
    if selection.query.is_empty():
        return Counts(0, {})
    counts = remembered.counts
    if counts is None:
        made = time.time()
        counts = _count(selection, {pk: label for label, pk in findings.items()}, text)
        remembered.keep("counts", counts, made=made)
    return labelled(counts, searches)


def labelled(counts: Counts, searches: dict[int, str] | None = None) -> Counts:
    """The counts with the "Found by" facet named by the searches' labels as they are now."""
    if not counts.searches:
        return counts
    labels = searches if searches is not None else dict(Search.objects.values_list("pk", "label"))
    return replace(counts, facets={**counts.facets, "search": _found_by(counts.searches, labels)})


@dataclass(frozen=True)
class Ranking:
    """A search in order of relevance: its text, and the index's text rows among which its matches are
    ranked (those the selection's other filters choose)."""

    text: str
    among: models.QuerySet[IndexedText]


def first_pages(
    selection: models.QuerySet[IndexedWork],
    *,
    remembered: Remembered,
    size: int,
    ranking: Ranking | None = None,
) -> FirstPages:
    """The first FIRST_PAGES pages of ids of the ordered selection and its size, from the cache or read now.
    The size is counted apart from the page, so that the page can come straight from an index (counting in
    the same pass made PostgreSQL walk that index over every match: 2 s instead of 30 ms for leuk* by date);
    `ranking`: the selection's search, when in order of relevance (see _ranked)."""
    if selection.query.is_empty():
        return FirstPages([], 0)
    pages = remembered.first_pages
    if pages is None:
        made = time.time()
        limit = FIRST_PAGES * size
        if ranking is not None:
            pages = _ranked(ranking, limit)
        else:
            counts = remembered.counts
            total = counts.total if counts else selection.order_by().count()
            pages = FirstPages(list(selection.values_list("pk", flat=True)[:limit]), total)
        remembered.keep("pages", pages, made=made)
    return pages


# A search matching more works than this ranks only its newest FIRST_PAGES pages of matches; the works after
# them follow, newest first. Ranking every match of a search over most of the library was most of its first
# view's time (docs/benchmarks-workspace.md).
BROAD = 10_000
NEWEST = ("-year", "pk")

# One statement, one pass over the matches, read from the index's text rows alone: their ids, years and
# ranks (the title's vector is in the same row), kept; their number; then either all of them (a selective
# search) or the newest (a broad one: PostgreSQL skips the branch whose one-time condition fails), in order
# of rank. The first branch's LIMIT changes no answer; it tells the planner that at most BROAD rows are
# ordered, which keeps its estimate under the cost that would have it compile the statement (JIT: 20 ms
# more for leuk* at 100,000 works).
_RANKED = """
    WITH found AS MATERIALIZED (SELECT * FROM ({matches}) AS m (pk, year, rank)),
        size AS (SELECT count(*) AS n FROM found)
    SELECT pk, (SELECT n FROM size) FROM (
        (SELECT pk, year, rank FROM found WHERE (SELECT n FROM size) <= %s LIMIT %s)
        UNION ALL
        (SELECT pk, year, rank FROM found WHERE (SELECT n FROM size) > %s ORDER BY year DESC, pk LIMIT %s)
    ) AS chosen
    ORDER BY rank DESC, year DESC, pk
    LIMIT %s
"""


def _ranked(ranking: Ranking, limit: int) -> FirstPages:
    """The first `limit` ids of a search in order of relevance (how well the title matches, then the newest)
    and its exact count. A broad search, matching more than BROAD works, ranks only its `limit` newest
    matches: where a search matches most of the library the title's rank sets few of them apart."""
    sql, params = ranked_statement(ranking, limit)
    with connection.cursor() as cursor:
        cursor.execute(_searching(sql, ranking.text), params)
        rows = cursor.fetchall()
    total = rows[0][1] if rows else 0
    return FirstPages([pk for pk, _ in rows], total, broad=total > BROAD)


def ranked_statement(ranking: Ranking, limit: int) -> tuple[str, tuple]:
    """_ranked's statement and its parameters, without the settings _searching adds."""
    query = search_query(ranking.text)
    matches = ranking.among.filter(document=query).annotate(rank=SearchRank(F("title_vector"), query))
    sql, params = matches.values_list("entry_id", "year", "rank").query.sql_with_params()
    return _RANKED.format(matches=sql), (*params, BROAD, BROAD, BROAD, limit, limit)


def _searching(sql: str, text: str) -> str:
    """A statement over a search's matches, planned to find them through the full-text index. PostgreSQL
    does not count what opening and testing a stored vector costs: knowing that a broad search matches most
    of the library, it reads every row of IndexedText and tests its vector, by a sequential scan or by
    parallel workers walking the primary key (docs/benchmarks-workspace.md, "Planner statistics"). The
    matches are read from IndexedText alone (_ranked) or in a subquery planned alone (query.searched),
    where ruling out both leaves the index. The settings go with the statement in one query, which
    PostgreSQL runs as one transaction: nothing else is planned so."""
    return (
        f"SET LOCAL enable_seqscan = off; SET LOCAL max_parallel_workers_per_gather = 0; {sql}"
        if text
        else sql
    )


def page_ids(
    selection: models.QuerySet[IndexedWork], pages: FirstPages, *, number: int, size: int
) -> list[int]:
    """The ids on page `number`: from the first pages when among them, else read directly (after a broad
    search's ranked newest matches, the older ones, newest first)."""
    if number > FIRST_PAGES:
        ordered = selection.order_by(*NEWEST) if pages.broad else selection
        return list(ordered.values_list("pk", flat=True)[(number - 1) * size : number * size])
    return pages.ids[(number - 1) * size : number * size]


def cache_key(name: str) -> str:
    """Per database (test runs and benchmarks share one Redis), hashed: a selection may be long."""
    return f"{connection.settings_dict['NAME']}:{sha256(name.encode()).hexdigest()}"


def _count(selection: models.QuerySet[IndexedWork], labels: dict[int, str], text: str) -> Counts:
    counts = _grouped(selection, text)
    facets = {
        "year": _values(counts["year"], str, TOP_YEARS, by_value=True),
        "type": _values(counts["type"], lambda v: WorkType(v).label, None),
        "journal": _values(counts["journal"], str, TOP_JOURNALS),
        "state": _values(counts["state"], lambda v: EnrichmentState(v).label, None),
        "tagged": _values(counts["tagged"], {True: "Tagged", False: "Not tagged yet"}.get, None),
        "finding": _values({labels[pk]: n for pk, n in counts["finding"].items() if pk in labels}, str, None),
    }
    return Counts(sum(counts["tagged"].values()), facets, dict(counts["search"]))


def _found_by(counts: dict[int, int], labels: dict[int, str]) -> list[FacetValue]:
    """Searches by how many of the selection each found; a label two searches share names its id too."""
    shared = Counter(labels.values())
    found = [(pk, n) for pk, n in counts.items() if pk in labels]
    found.sort(key=lambda pair: (-pair[1], labels[pair[0]], pair[0]))
    return [
        FacetValue(str(pk), labels[pk] if shared[labels[pk]] == 1 else f"{labels[pk]} (search {pk})", n)
        for pk, n in found
    ]


def _grouped(selection: models.QuerySet[IndexedWork], text: str) -> dict[str, Counter]:
    """Counts by facet value, in one pass over the narrow index rows. Three grouping sets instead of one
    per facet: PostgreSQL pays for every set on every row, and the few thousand combinations add up
    quickly here."""
    chosen = selection.order_by().values(
        "year", "journal", "work_type", "state", "tagged", "findings", "searches"
    )
    sql, params = chosen.query.sql_with_params()
    query = f"""
        SELECT year, journal, work_type, state, tagged, findings, searches, count(*) FROM ({sql}) chosen
        GROUP BY GROUPING SETS ((year, journal), (work_type, state, tagged), (findings), (searches))
    """
    names = ("year", "journal", "type", "state", "tagged", "finding", "search")
    counts = {name: Counter() for name in names}
    with connection.cursor() as cursor:
        cursor.execute(_searching(query, text), params)
        for year, journal, work_type, state, tagged, findings, searches, n in cursor.fetchall():
            if searches is not None:
                counts["search"].update(dict.fromkeys(searches, n))
            elif findings is not None:
                counts["finding"].update(dict.fromkeys(findings, n))
            elif journal is not None:
                counts["year"][year] += n
                counts["journal"][journal] += n
            else:
                counts["type"][work_type] += n
                counts["state"][state] += n
                counts["tagged"][tagged] += n
    return counts


def _values(counts: dict, label, limit: int | None, *, by_value: bool = False) -> list[FacetValue]:
    found = [(value, n) for value, n in counts.items() if value not in (None, "")]
    found.sort(key=lambda pair: (-pair[0] if by_value else -pair[1], str(pair[0])))
    return [FacetValue(_param(value), label(value) or str(value), n) for value, n in found[:limit]]


def _param(value) -> str:
    """A facet value as the filter form reads it back."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


SNIPPET_START, SNIPPET_END = "\ue000", "\ue001"  # private-use marks: escaped text cannot contain them


def describe_page(works: list[Work], text: str, remembered: Remembered | None = None) -> None:
    """Give a page of works their counts and, when searching, a snippet with the matched words marked;
    two queries for the page, whatever its length, and none when the page was seen before (`remembered`)."""
    pks = [work.pk for work in works]
    name = f"details:{text}:{sorted(pks)}"
    details = remembered.recall(name) if remembered is not None else None
    if details is None:
        made = time.time()
        details = _details(pks, text)
        if remembered is not None:
            remembered.remember(name, details, made=made)
    for work in works:
        work.reference_count, work.cited_by_count, snippet = details.get(work.pk, (0, 0, ""))
        work.snippet = _marked(snippet)


def _details(pks: list[int], text: str) -> dict[int, tuple[int, int, str]]:
    """References, citing works and snippet, by work."""
    counted = Work.objects.filter(pk__in=pks).annotate(
        references=Count("citations", distinct=True), citing=Count("cited_by", distinct=True)
    )
    counts = {pk: (refs, citing) for pk, refs, citing in counted.values_list("pk", "references", "citing")}
    query = search_query(text) if text else None
    snippets = {}
    if query is not None:
        headline = SearchHeadline(
            "abstract",
            query,
            config="english",
            start_sel=SNIPPET_START,
            stop_sel=SNIPPET_END,
            max_words=40,
            min_words=20,
            max_fragments=2,
        )
        snippets = dict(
            Work.objects.filter(pk__in=pks).annotate(snippet=headline).values_list("pk", "snippet")
        )
    return {pk: (*counts.get(pk, (0, 0)), snippets.get(pk) or "") for pk in pks}


def _marked(snippet: str) -> str:
    return mark_safe(escape(snippet).replace(SNIPPET_START, "<mark>").replace(SNIPPET_END, "</mark>"))
