"""Keeping the search index (IndexedWork, IndexedText) in step with the works: every write that changes what the list page searches,
filters or counts calls `refresh` for the works it touched, inside its own transaction.

Two counters tell the list page's cache (references.search.browse) what changed since it counted. A change made in
a request or a command (a curator's tag, a merge, an import from the shell) raises the generation: counts
made before it are not shown again. A change made by a Celery worker (an enrichment, an import uploaded on
the web: thousands of small commits) only raises the change count: counts made before it may be shown for a
bounded time, saying when they were made, so that a busy library does not make every view a first view."""

from collections.abc import Iterable

from celery import current_task
from django.core.cache import caches
from django.db import connection, transaction

# Raised after every committed change from a request or a command; the other after each from a worker.
_GENERATION = "index-generation"
_CHANGES = "index-changes"

# What a work's row holds; the vector's weights rank the title first, then keywords and people, then the
# journal and the abstract. Names are stemmed as queries are, so "Pieters" is found. Rows and vectors take
# a bounded prefix of each text: a B-tree entry and a tsvector have size limits that no record may reach.
_FACTS = """
    (EXISTS (SELECT 1 FROM references_sourcedocument d WHERE d.work_id = w.id)
     OR EXISTS (SELECT 1 FROM references_searchhit h WHERE h.work_id = w.id)) AS is_source,
    w.year, w.work_type, left(w.container_title, 500) AS journal, w.enrichment_state AS state,
    cardinality(tags.ids) > 0 AS tagged, tags.ids AS findings, hits.ids AS searches, left(w.title, 500) AS title
"""
# The title's vector is made once, for the document and for the title alone.
_TITLE_VECTOR = "CROSS JOIN LATERAL (SELECT to_tsvector('english', left(w.title, 100000)) AS vector) title"
_DOCUMENT = """
    setweight(title.vector, 'A')
    || setweight(to_tsvector('english', array_to_string(w.keywords || w.mesh_terms, ' ')), 'B')
    || setweight(to_tsvector('english', coalesce(people.names, '')), 'B')
    || setweight(to_tsvector('english', left(w.container_title || ' ' || w.abstract, 200000)), 'C')
"""
_TAGS = """
    CROSS JOIN LATERAL (
        SELECT coalesce(array_agg(a.finding_id ORDER BY a.finding_id), '{}') AS ids
        FROM curation_annotation a WHERE a.work_id = w.id AND a.state = 'accepted'
    ) tags
"""
# The searches that found the work (a merge moves the duplicate's hits to the work kept).
_HITS = """
    CROSS JOIN LATERAL (
        SELECT coalesce(array_agg(DISTINCT h.search_id ORDER BY h.search_id), '{}') AS ids
        FROM references_searchhit h WHERE h.work_id = w.id
    ) hits
"""
_PEOPLE = """
    CROSS JOIN LATERAL (
        SELECT string_agg(c.family, ' ' ORDER BY c.role, c.position) AS names
        FROM references_contributor c WHERE c.work_id = w.id
    ) people
"""
_COLUMNS = ("is_source", "year", "work_type", "journal", "state", "tagged", "findings", "searches", "title")
_CHOSEN = "w.merged_into_id IS NULL AND (%(all)s OR w.id = ANY(%(ids)s))"

_UPSERT = f"""
    INSERT INTO references_indexedwork (work_id, {", ".join(_COLUMNS)})
    SELECT w.id, {_FACTS} FROM references_work w {_TAGS} {_HITS} WHERE {_CHOSEN}
    ON CONFLICT (work_id) DO UPDATE SET {", ".join(f"{name} = EXCLUDED.{name}" for name in _COLUMNS)}
"""
# After _UPSERT: the year and source flag are copied from the work's row just written.
_UPSERT_TEXT = f"""
    INSERT INTO references_indexedtext (entry_id, document, title_vector, year, is_source)
    SELECT w.id, {_DOCUMENT}, title.vector, i.year, i.is_source
    FROM references_work w JOIN references_indexedwork i ON i.work_id = w.id {_TITLE_VECTOR} {_PEOPLE}
    WHERE {_CHOSEN}
    ON CONFLICT (entry_id) DO UPDATE SET document = EXCLUDED.document, title_vector = EXCLUDED.title_vector,
        year = EXCLUDED.year, is_source = EXCLUDED.is_source
"""
_UPDATE_FACTS = f"""
    UPDATE references_indexedwork i SET ({", ".join(_COLUMNS)}) = (
        SELECT {_FACTS} FROM references_work w {_TAGS} {_HITS} WHERE w.id = i.work_id
    )
    WHERE i.work_id = ANY(%(ids)s)
"""
# After _UPDATE_FACTS; a text row is rewritten only when its copy changed (its vectors are large).
_COPY_FACTS = """
    UPDATE references_indexedtext t SET year = i.year, is_source = i.is_source
    FROM references_indexedwork i
    WHERE i.work_id = t.entry_id AND t.entry_id = ANY(%(ids)s)
        AND (t.year, t.is_source) IS DISTINCT FROM (i.year, i.is_source)
"""
_MERGED = "SELECT id FROM references_work WHERE merged_into_id IS NOT NULL AND (%(all)s OR id = ANY(%(ids)s))"
_DROP_MERGED = (
    f"DELETE FROM references_indexedtext WHERE entry_id IN ({_MERGED})",
    f"DELETE FROM references_indexedwork WHERE work_id IN ({_MERGED})",
)


def refresh(work_ids: Iterable[int], *, text: bool = True) -> None:
    """Bring these works' rows up to date; `text=False` when only tags, state or documents changed, which
    spares recomputing the vectors (a merge always changes text). Merged works leave the index."""
    ids = sorted(set(work_ids))
    if ids:
        statements = (_UPSERT, _UPSERT_TEXT, *_DROP_MERGED) if text else (_UPDATE_FACTS, _COPY_FACTS)
        _run(statements, {"all": False, "ids": ids})


def rebuild() -> None:
    """Every work's row, recomputed (after a bulk load, or to repair the index)."""
    _run((_UPSERT, _UPSERT_TEXT, *_DROP_MERGED), {"all": True, "ids": []})


def generation() -> int:
    return caches["facets"].get(_counter(_GENERATION), 0)


def state() -> tuple[int, int]:
    """The generation and the count of workers' changes, read together."""
    names = (_counter(_GENERATION), _counter(_CHANGES))
    found = caches["facets"].get_many(names)
    return found.get(names[0], 0), found.get(names[1], 0)


def _run(statements: tuple[str, ...], params: dict) -> None:
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement, params)
    transaction.on_commit(next_change if _in_worker() else next_generation)


def _in_worker() -> bool:
    return bool(current_task) and current_task.request.id is not None


def next_generation() -> None:
    """After the commit, not before: a count made meanwhile from the old rows is filed under the old
    generation, which nobody asks for once this one is raised."""
    _raise(_GENERATION)


def next_change() -> None:
    """A worker's change, committed: counts made before it may still be shown for a while (see browse)."""
    _raise(_CHANGES)


def _raise(name: str) -> None:
    cache, key = caches["facets"], _counter(name)
    cache.add(key, 0, timeout=None)
    cache.incr(key)


def _counter(name: str) -> str:
    """Per database: test runs and benchmarks with databases of their own share one Redis."""
    return f"{name}:{connection.settings_dict['NAME']}"
