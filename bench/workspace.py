"""Server time of the curators' busiest pages on a synthetic library of 100,000 works and a million
citations (`seed_demo`), written as a Markdown table: search, the list with its facets, the work page.

Requests go through Django's full stack in-process (middleware, views, templates, database), signed in
as a curator, so the time is what the server spends, without the network. The library is generated
once into its own database (curation_demo) and reused while it has the expected size.
"""

import argparse
import os
import platform
import random
import statistics
import time
from pathlib import Path

from bench.django_setup import setup_django

DEMO_DB = "curation_demo"
WORKS = 100_000
SAMPLES = 60
SEARCHES = [
    "blinatumomab",
    "infant KMT2A",
    "relaps*",
    '"stem cell transplantation"',
    "venetoclax -infant",
    "leuk*",
]
LISTS = [
    {},
    {"finding": "HSCT"},
    {"finding": "KMT2A-r", "year": "2019"},
    {"type": "case-report"},
    {"tagged": "no", "sort": "title"},
    {"journal": "Blood", "page": "3"},
]


LIST_NAMES = "all; a finding; finding + year; a type; untagged by title; a journal, page 3"


def _ensure_library() -> float | None:
    """Generate the demo library unless it is there; returns the seconds generating took."""
    from django.core.management import call_command

    from references.models import SourceDocument

    if SourceDocument.objects.filter(page_kind="demo").count() >= WORKS:  # what seed_demo marks
        return None
    started = time.perf_counter()
    call_command("seed_demo", "--works", str(WORKS), "--clear")
    return time.perf_counter() - started


def _time(client, path: str, params: dict, *, first_view: bool) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from references import indexing

    if first_view:
        indexing.next_generation()  # as after any change to the library: no facet count is cached
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(path, params)
        elapsed = time.perf_counter() - started
    assert response.status_code == 200, (path, params, response.status_code)
    return elapsed, len(queries)


def _measure(client, label: str, requests: list[tuple[str, dict]], *, first_view: bool = False) -> dict:
    """Time the requests in turn; `first_view` forgets the cached facet counts before each one. Otherwise
    each selection was seen once before, as when paging, re-sorting or opening a colleague's link."""
    for path, params in requests:  # warm the caches, as a running server's are
        client.get(path, params)
    samples = [_time(client, *requests[n % len(requests)], first_view=first_view) for n in range(SAMPLES)]
    seconds = sorted(s for s, _ in samples)
    return {
        "page": label,
        "p50": statistics.median(seconds),
        "p95": seconds[int(0.95 * len(seconds)) - 1],
        "max": seconds[-1],
        "queries": sorted({q for _, q in samples}),
    }


def _per_search(client) -> list[dict]:
    """Each search on its own, first view: how many works it matches, the page's server time, and what
    PostgreSQL alone spends finding the matches (counting them: no facets, ranking or rendering), which no
    page built on that search can undercut."""
    from django.db.models import Count

    from references.models import IndexedText, search_query

    library = IndexedText.objects.count()
    found = []
    for text in SEARCHES:
        matching = IndexedText.objects.filter(document=search_query(text))
        page = [_time(client, "/", {"q": text}, first_view=True)[0] for _ in range(SAMPLES // len(SEARCHES))]
        alone = []
        for _ in range(5):
            started = time.perf_counter()
            matches = matching.aggregate(n=Count("entry_id"))["n"]
            alone.append(time.perf_counter() - started)
        found.append(
            {
                "search": text,
                "share": matches / library,
                "page": statistics.median(page),
                "alone": statistics.median(alone),
            }
        )
    return found


def _markdown(
    rows: list[dict[str, object]], searches: list[dict], counts: dict[str, int], generated: float | None
) -> str:
    lines = [
        "# Curators' workspace: server time",
        "",
        f"`python -m bench.workspace` on {platform.node()} ({os.cpu_count()} cores), PostgreSQL on the same machine. "
        f"Library from `seed_demo`: {counts['works']:,} works, {counts['citations']:,} citations, "
        f"{counts['contributors']:,} authors, {counts['annotations']:,} tags. Each page is requested {SAMPLES} times "
        "through Django's full stack in-process, signed in as a curator (templates rendered, no network). "
        "A first view counts the facets and reads the first ten pages of ids; a selection seen before "
        "(paging, coming back, a colleague's link) takes both from the cache until the index next changes.",
        "",
        "| page | requests | p50 | p95 | max | queries per request |",
        "|---|---|---:|---:|---:|---|",
    ]
    for row in rows:
        lines.append(
            f"| {row['page']} | {row['what']} | {row['p50'] * 1000:.0f} ms | {row['p95'] * 1000:.0f} ms | "
            f"{row['max'] * 1000:.0f} ms | {', '.join(map(str, row['queries']))} |"
        )
    lines += [
        "",
        "Each search alone, first view (medians): the share of the library it matches, the page's server time, "
        "and the time PostgreSQL spends only finding the matches, a floor for any page built on that search.",
        "",
        "| search | matches | page | finding the matches alone |",
        "|---|---:|---:|---:|",
    ]
    for row in searches:
        lines.append(
            f"| {row['search']} | {row['share']:.0%} | {row['page'] * 1000:.0f} ms | {row['alone'] * 1000:.0f} ms |"
        )
    if generated is not None:
        lines += ["", f"Generating the library took {generated / 60:.1f} minutes."]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--output", type=Path, default=Path("docs/benchmarks-workspace.md"))
    args = parser.parse_args()
    setup_django(DEMO_DB, ENRICH_AFTER_IMPORT="false")
    generated = _ensure_library()

    from django.contrib.auth.models import Group
    from django.test import Client

    from curation.models import Annotation
    from references.models import Citation, Contributor, Work

    user, _ = Group.objects.get(name="curator").user_set.model.objects.get_or_create(username="bench-curator")
    user.groups.add(Group.objects.get(name="curator"))
    client = Client(SERVER_NAME="localhost")  # an allowed host; the test client says "testserver"
    client.force_login(user)
    rng = random.Random(3)
    demo = list(Work.objects.filter(source_documents__page_kind="demo").values_list("pk", flat=True)[:WORKS])
    work_pages = [(f"/works/{pk}/", {}) for pk in rng.sample(demo, 50)]
    searches = [("/", {"q": q}) for q in SEARCHES]
    lists = [("/", params) for params in LISTS]
    rows = [
        {**_measure(client, "search, first view", searches, first_view=True), "what": "; ".join(SEARCHES)},
        {**_measure(client, "search, seen before", searches), "what": "the same"},
        {**_measure(client, "list with facets, first view", lists, first_view=True), "what": LIST_NAMES},
        {**_measure(client, "list with facets, seen before", lists), "what": "the same"},
        {**_measure(client, "work page", work_pages), "what": "50 random works"},
    ]
    counts = {
        "works": Work.objects.count(),
        "citations": Citation.objects.count(),
        "contributors": Contributor.objects.count(),
        "annotations": Annotation.objects.count(),
    }
    args.output.write_text(_markdown(rows, _per_search(client), counts, generated))
    print(args.output.read_text())


if __name__ == "__main__":
    main()
