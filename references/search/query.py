"""A search's text as PostgreSQL's full-text query, and the rows it matches, ranked by their titles."""

from __future__ import annotations

import re

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import models
from django.db.models import F, Value

from ..models import IndexedText

_PREFIX = re.compile(r"^(\w{2,})\*$")


def search_query(text: str) -> SearchQuery | None:
    """websearch_to_tsquery for the words and phrases, and a prefix query for each word ending in *."""
    words = text.split()
    prefixes = [m.group(1) for w in words if (m := _PREFIX.match(w))]
    rest = " ".join(w for w in words if not _PREFIX.match(w))
    parts = [SearchQuery(rest, search_type="websearch", config="english")] if rest.strip() else []
    parts += [SearchQuery(f"{prefix}:*", search_type="raw", config="english") for prefix in prefixes]
    query = parts[0] if parts else None
    for part in parts[1:]:
        query &= part
    return query


def searched(rows: models.QuerySet, text: str, *, through: str = "") -> models.QuerySet:
    """Works, or index rows, matching the text, annotated with `rank`: how well the title matches. `through`
    leads from the rows to their IndexedWork. The matches are found apart (_PlannedAlone) and ranked by the
    title alone, which keeps ranking cheap on broad queries; a statement that does not rank reads no title."""
    query = search_query(text)
    if query is None:
        return rows.annotate(rank=Value(0.0, output_field=models.FloatField()))
    matching = IndexedText.objects.filter(document=query).values("entry_id")
    return rows.filter(pk__in=_PlannedAlone(matching)).annotate(
        rank=SearchRank(F(f"{through}text__title_vector"), query)
    )


class _PlannedAlone(models.Subquery):
    """A subquery PostgreSQL plans on its own (OFFSET 0 keeps it out of the outer query). Joined to the rows
    it filters, PostgreSQL could find a broad search's matches by reading every row of IndexedText in key
    order and testing its stored vector (it does not count what opening a vector costs), to merge or hash
    them with the rows; alone, it reads them through the full-text index or the whole table (sequentially or
    by parallel workers), and browse._searching rules out the table."""

    template = "(%(subquery)s OFFSET 0)"
