"""The PRISMA numbers of the library's searches, read from the database in a fixed handful of queries.

Works found and tagged are read from the search index (IndexedWork.searches), the same rows the list
page's "Found by" facet counts, so a work a curator merged into another counts once, as the other."""

from __future__ import annotations

from django.db import connection
from django.db.models import Count, Q

from .models import DuplicateCandidate, IndexedWork, Search
from .prisma import Overall, SearchFlow, overall

_FOUND = """
    SELECT found.search_id, count(*), count(*) FILTER (WHERE i.tagged)
    FROM references_indexedwork i CROSS JOIN LATERAL unnest(i.searches) AS found(search_id)
    GROUP BY found.search_id
"""


def search_flows() -> list[tuple[Search, SearchFlow]]:
    """Every search, newest first, with its numbers."""
    found = _found_by_search()
    pending = dict(
        _pending().values_list("found_by").annotate(n=Count("pk")).order_by()  # grouped by search
    )
    return [
        (search, _flow(search, found.get(search.pk, (0, 0)), pending.get(search.pk, 0)))
        for search in Search.objects.all()
    ]


def overall_flow(flows: list[SearchFlow]) -> Overall:
    """All searches together: works found and tagged counted once each however many searches found them."""
    distinct = IndexedWork.objects.filter(searches__len__gt=0).aggregate(
        works=Count("pk"), tagged=Count("pk", filter=Q(tagged=True))
    )
    return overall(flows, works=distinct["works"], tagged=distinct["tagged"], pending=_pending().count())


def _flow(search: Search, found: tuple[int, int], pending: int) -> SearchFlow:
    return SearchFlow(
        label=search.label,
        database=search.database,
        reported=search.reported,
        records=search.records,
        duplicates_in_file=search.duplicates_in_file,
        duplicates_in_library=search.merged,
        unreadable=search.skipped,
        added=search.added,
        works=found[0],
        tagged=found[1],
        pending=pending,
    )


def _found_by_search() -> dict[int, tuple[int, int]]:
    with connection.cursor() as cursor:
        cursor.execute(_FOUND)
        return {search_id: (works, tagged) for search_id, works, tagged in cursor.fetchall()}


def _pending():
    return DuplicateCandidate.objects.filter(state=DuplicateCandidate.State.PENDING, found_by__isnull=False)
