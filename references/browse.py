"""The list page's reading of a selection: facet counts, and counts and snippets for one page of works."""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.contrib.postgres.search import SearchHeadline
from django.db import connection
from django.db.models import Count
from django.http import QueryDict
from django.utils.html import escape
from django.utils.safestring import mark_safe

from curation.models import Annotation

from .models import EnrichmentState, Work, WorkQuerySet, WorkType, search_query

TOP_JOURNALS = 12
TOP_YEARS = 15


FACETS = {
    "finding": "Findings",
    "tagged": "Tagged",
    "year": "Year",
    "type": "Type",
    "journal": "Journal",
    "state": "Crossref",
}


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
    linked = []
    for name, title in FACETS.items():
        current = query.getlist(name)
        values = [
            replace(v, href=_toggled(query, name, v.value), active=v.value in current)
            for v in facets.get(name, [])
        ]
        linked.append((name, title, values))
    return linked


def _toggled(query: QueryDict, name: str, value: str) -> str:
    changed = query.copy()
    changed.pop("page", None)
    current = changed.getlist(name)
    if value in current:
        changed.setlist(name, [v for v in current if v != value])
    elif name == "finding":
        changed.setlist(name, [*current, value])
    else:
        changed[name] = value
    return "?" + changed.urlencode()


def kept_filters(query: QueryDict) -> list[tuple[str, str]]:
    """The facet filters in force, for the search form to carry when the words change."""
    return [(name, value) for name in FACETS for value in query.getlist(name) if value]


def facet_counts(selection: WorkQuerySet) -> tuple[int, dict[str, list[FacetValue]]]:
    """The selection's size and its facets, from two queries whatever the selection's size: one pass with
    GROUPING SETS for the work's own columns, one for the findings."""
    if selection.query.is_empty():
        return 0, {}
    rows = _grouped(selection)
    total = next((n for kind, _, n in rows if kind == "total"), 0)
    facets = {
        "year": _values(rows, "year", str, TOP_YEARS, by_value=True),
        "type": _values(rows, "type", lambda v: WorkType(v).label, None),
        "journal": _values(rows, "journal", str, TOP_JOURNALS),
        "state": _values(rows, "state", lambda v: EnrichmentState(v).label, None),
        "tagged": _values(rows, "tagged", {"yes": "Tagged", "no": "Not tagged yet"}.get, None),
        "finding": _findings(selection),
    }
    return total, facets


def _grouped(selection: WorkQuerySet) -> list[tuple[str, object, int]]:
    tagged = (
        Annotation.objects.filter(state=Annotation.State.ACCEPTED).order_by().values("work_id").distinct()
    )
    inner = selection.order_by().values("pk", "year", "work_type", "container_title", "enrichment_state")
    sql, params = inner.query.sql_with_params()
    tagged_sql, tagged_params = tagged.query.sql_with_params()
    # A join, not `pk IN (…)`: PostgreSQL runs a subquery in a grouping key again for every grouping set.
    query = f"""
        WITH chosen AS ({sql}), tagged AS ({tagged_sql})
        SELECT year, work_type, container_title, enrichment_state, tagged.work_id IS NOT NULL AS is_tagged,
               GROUPING(year, work_type, container_title, enrichment_state, tagged.work_id IS NOT NULL), count(*)
        FROM chosen LEFT JOIN tagged ON tagged.work_id = chosen.pk
        GROUP BY GROUPING SETS ((year), (work_type), (container_title), (enrichment_state),
                                (tagged.work_id IS NOT NULL), ())
    """
    with connection.cursor() as cursor:
        cursor.execute(query, [*params, *tagged_params])
        return [_facet_row(row) for row in cursor.fetchall()]


# GROUPING() sets a bit for each column not grouped on; the bits read year, type, journal, state, tagged.
_LEVELS = {0b01111: "year", 0b10111: "type", 0b11011: "journal", 0b11101: "state", 0b11110: "tagged"}


def _facet_row(row: tuple) -> tuple[str, object, int]:
    year, work_type, journal, state, is_tagged, level, count = row
    kind = _LEVELS.get(level, "total")
    value = {"year": year, "type": work_type, "journal": journal, "state": state}.get(kind)
    if kind == "tagged":
        value = "yes" if is_tagged else "no"
    return kind, value, count


def _values(rows, kind: str, label, limit: int | None, *, by_value: bool = False) -> list[FacetValue]:
    found = [(value, count) for k, value, count in rows if k == kind and value not in (None, "")]
    found.sort(key=lambda pair: (-pair[0] if by_value else -pair[1], str(pair[0])))
    return [FacetValue(str(value), label(value) or str(value), count) for value, count in found[:limit]]


def _findings(selection: WorkQuerySet) -> list[FacetValue]:
    counts = (
        Annotation.objects.filter(state=Annotation.State.ACCEPTED, work__in=selection.order_by().values("pk"))
        .values("finding__label")
        .annotate(works=Count("work_id"))
        .order_by("-works", "finding__label")
    )
    return [FacetValue(row["finding__label"], row["finding__label"], row["works"]) for row in counts]


SNIPPET_START, SNIPPET_END = "\ue000", "\ue001"  # private-use marks: escaped text cannot contain them


def describe_page(works: list[Work], text: str) -> None:
    """Give a page of works their counts and, when searching, a snippet with the matched words marked;
    two queries for the page, whatever its length."""
    pks = [work.pk for work in works]
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
    for work in works:
        work.reference_count, work.cited_by_count = counts.get(work.pk, (0, 0))
        work.snippet = _marked(snippets.get(work.pk) or "")


def _marked(snippet: str) -> str:
    return mark_safe(escape(snippet).replace(SNIPPET_START, "<mark>").replace(SNIPPET_END, "</mark>"))
