"""Time a 1,000-reference list parsed, matched against a library of 100,000 works and stored.

Uses its own database (curation_bench) and Celery queue. The library is built once: 100,000 works with
titles, years and first authors drawn from real reference strings and shuffled words, plus the works that
300 of the list's references really cite, so that matching finds both hits and misses.
"""

import argparse
import json
import random
import statistics
import time
from pathlib import Path

from bench.django_setup import setup_django
from bench.import_seeds import BENCH_DB, QUEUE

LIBRARY_SIZE = 100_000
LIST_SIZE = 1_000


def _gold_strings(shared: Path) -> list[str]:
    path = shared / "benchmarks" / "refparse" / "anystyle-gold.jsonl"
    return [json.loads(line)["raw"] for line in path.read_text().splitlines()]


def _build_library(strings: list[str]) -> None:
    from references.linking import reference_keys
    from references.models import Work
    from references.refparse import parse_reference

    if Work.objects.count() >= LIBRARY_SIZE:
        return
    rng = random.Random(7)
    words = " ".join(strings).split()
    parsed = [parse_reference(raw) for raw in strings[:300]]
    works = [
        Work(
            title=ref.title,
            year=ref.year,
            title_key=reference_keys(ref).title,
            first_author_key=reference_keys(ref).first_author,
        )
        for ref in parsed
        if ref.title
    ]
    while len(works) < LIBRARY_SIZE:
        title = " ".join(rng.choices(words, k=rng.randint(6, 16)))
        works.append(
            Work(
                title=title,
                year=rng.randint(1950, 2025),
                title_key=title.lower()[:500],
                first_author_key=rng.choice(words).lower()[:100],
            )
        )
    Work.objects.bulk_create(works, batch_size=5000)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--output", type=Path, default=Path("docs/benchmarks-reference-lists.md"))
    args = parser.parse_args()
    setup_django(BENCH_DB)
    from django.conf import settings

    from config.celery import app
    from references.models import ImportBatch, Work
    from references.pipeline.reflists import import_reference_list, plan_reference_list

    app.conf.task_default_queue = QUEUE
    strings = _gold_strings(Path(settings.SHARED_DIR))
    _build_library(strings)
    text = "\n".join(f"{i}. {raw}" for i, raw in enumerate(strings[:LIST_SIZE], start=1))
    citing, _ = Work.objects.get_or_create(
        doi="10.9999/bench-citing", defaults={"title": "Bench citing work"}
    )
    library_top = Work.objects.order_by("-pk").values_list("pk", flat=True).first()
    fresh, again = [], []
    for _ in range(args.rounds):
        citing.citations.all().delete()
        Work.objects.filter(pk__gt=library_top).delete()  # the works the previous round created
        for samples in (fresh, again):
            start = time.perf_counter()
            parsed = plan_reference_list(text)
            import_reference_list(
                into=citing,
                parsed=parsed,
                text=text,
                file_name="bench",
                user=None,
                origin=ImportBatch.Origin.COMMAND,
            )
            samples.append(time.perf_counter() - start)
    linked = citing.citations.filter(cited_work__isnull=False).count()
    lines = [
        "## A 1,000-reference list against a library of 100,000 works",
        "",
        f"`python -m bench.reference_lists`: parse (plain text), match, store; median of {args.rounds} rounds.",
        "",
        "| what | median (s) |",
        "| --- | ---: |",
        f"| new list: parse, match, create missing works, store citations | {statistics.median(fresh):.2f} |",
        f"| the same list again (unchanged) | {statistics.median(again):.2f} |",
        "",
        f"Library: {Work.objects.count():,} works; {linked} of {LIST_SIZE} citations linked.",
        "",
    ]
    args.output.write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
