"""Where one page's server time goes, on a demo library of the workspace benchmark (bench.workspace makes it):
the time of its queries by model, and the Python function calls it makes (a count that, unlike a time,
does not move with the machine's speed).

    python -m bench.page_profile --works 30000 --page work            # 50 random work pages
    python -m bench.page_profile --works 30000 --page "/?finding=HSCT"

Signed in as the benchmark's curator, each page requested once before (as seen before), then REQUESTS times.
"""

import argparse
import cProfile
import pstats
import statistics
import time
from collections import defaultdict

from bench.workspace import curator_client, database, work_pages

REQUESTS = 200


def _pages(page: str) -> list[str]:
    return work_pages() if page == "work" else [page]


def measure(pages: list[str]) -> dict:
    """Server time per page, query time per model (ms a page), and function calls a page."""
    from django.db.models.sql.compiler import SQLCompiler

    client = curator_client()
    for path in pages:  # seen before, its facets too
        client.get(path)
        client.get(path, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="facets")
    by_model, execute = defaultdict(list), SQLCompiler.execute_sql

    def timed(compiler, *args, **kwargs):
        started = time.perf_counter()
        try:
            return execute(compiler, *args, **kwargs)
        finally:
            by_model[compiler.query.model.__name__].append(time.perf_counter() - started)

    SQLCompiler.execute_sql = timed
    try:
        seconds = []
        for n in range(REQUESTS):
            started = time.perf_counter()
            client.get(pages[n % len(pages)])
            seconds.append(time.perf_counter() - started)
    finally:
        SQLCompiler.execute_sql = execute
    profile = cProfile.Profile()
    profile.runcall(lambda: [client.get(pages[n % len(pages)]) for n in range(REQUESTS)])
    return {
        "p50": statistics.median(seconds),
        "queries": {model: (len(t) / REQUESTS, sum(t) / REQUESTS) for model, t in by_model.items()},
        "calls": pstats.Stats(profile).total_calls / REQUESTS,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--works", type=int, default=30_000)
    parser.add_argument("--page", default="work", help='"work" for 50 random work pages, or a path')
    args = parser.parse_args()
    from bench.django_setup import setup_django

    setup_django(database(args.works), ENRICH_AFTER_IMPORT="false")
    found = measure(_pages(args.page))
    print(
        f"{args.page} on {args.works:,} works: p50 {found['p50'] * 1000:.1f} ms, {found['calls']:,.0f} calls"
    )
    print("| model | queries a page | ms a page (SQL built and run, rows not made) |\n|---|---:|---:|")
    for model, (count, seconds) in sorted(found["queries"].items(), key=lambda item: -item[1][1]):
        print(f"| {model} | {count:.1f} | {seconds * 1000:.2f} |")


if __name__ == "__main__":
    main()
