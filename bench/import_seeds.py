"""Time the source importer on the five seed pages and write a Markdown table.

Runs against its own database (curation_bench) and its own Celery queue, so a developer's data and worker
are untouched. Server time = what a request or the command spends: decoding, parsing, matching, writing,
committing and enqueueing the follow-up task.
"""

import argparse
import os
import platform
import statistics
import time
from pathlib import Path

from bench.django_setup import setup_django

BENCH_DB = "curation_bench"
QUEUE = "bench"


def _median_ms(samples: list[float]) -> str:
    return f"{statistics.median(samples) * 1000:.1f}"


def _time(function, rounds: int) -> list[float]:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        function()
        samples.append(time.perf_counter() - start)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--output", type=Path, default=Path("docs/benchmarks.md"))
    args = parser.parse_args()
    setup_django(BENCH_DB)

    from django.conf import settings

    from config.celery import app
    from references.importers import decode_page, parse_page
    from references.models import ImportBatch, Work
    from references.pipeline.pages import LocalFile, import_sources

    app.conf.task_default_queue = QUEUE
    seeds = sorted((Path(settings.SHARED_DIR) / "seeds").iterdir())
    rows = []
    for path in seeds:
        data = path.read_bytes()
        parse = _time(lambda data=data: parse_page(decode_page(data)), args.rounds)
        rows.append((path.name, f"{len(data):,}", _median_ms(parse)))

    def import_all() -> ImportBatch:
        return import_sources([LocalFile(p) for p in seeds], user=None, origin=ImportBatch.Origin.COMMAND)

    def fresh_import() -> None:
        Work.objects.all().delete()
        ImportBatch.objects.all().delete()
        start = time.perf_counter()
        import_all()
        fresh.append(time.perf_counter() - start)

    fresh: list[float] = []
    for _ in range(args.rounds):
        fresh_import()
    unchanged = _time(import_all, args.rounds)
    with app.connection_for_write() as connection:
        connection.default_channel.client.delete(QUEUE)

    lines = [
        "# Benchmarks",
        "",
        f"`make bench` on {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"PostgreSQL and Redis on localhost; median of {args.rounds} rounds.",
        "",
        "## Importing the five seed pages",
        "",
        "| what | median (ms) |",
        "| --- | ---: |",
        f"| five seeds into an empty library (created) | {_median_ms(fresh)} |",
        f"| five seeds again (unchanged) | {_median_ms(unchanged)} |",
        f"| per file, created | {statistics.median(fresh) * 1000 / len(seeds):.1f} |",
        "",
        "## Decoding and parsing alone, per file",
        "",
        "| file | bytes | median (ms) |",
        "| --- | ---: | ---: |",
        *[f"| {name} | {size} | {ms} |" for name, size, ms in rows],
        "",
    ]
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
