"""BibTeX export speed and memory on a synthetic library of 100,000 works, written as a Markdown table.

The library (five authors a work, a fifth of the works tagged with two findings) is generated once in
its own database (curation_bench). Each export runs in a fresh process, so its peak resident memory is
the export's own: exporting 10,000, 50,000 and 100,000 works should need the same memory.
"""

import argparse
import os
import platform
import random
import subprocess
import sys
import time
from pathlib import Path

from bench.django_setup import setup_django

BENCH_DB = "curation_bench"
SIZES = (10_000, 50_000, 100_000)
FAMILIES = ["Pieters", "Möricke", "van der Linden", "Driessen", "Mann", "Gardner", "Brown", "Łukasz", "Pánek"]
WORDS = [
    "treatment",
    "infant",
    "acute",
    "lymphoblastic",
    "leukemia",
    "KMT2A",
    "rearranged",
    "blinatumomab",
    "relapse",
    "outcome",
]


def _generate(count: int) -> float:
    """A fresh library of `count` works; returns the seconds that key assignment took."""
    from curation.models import Annotation, Finding
    from references.exports import assign_citation_keys
    from references.models import Contributor, Work

    Work.objects.all().delete()
    rng = random.Random(7)
    findings = list(Finding.objects.all()[:2])
    for start in range(0, count, 5000):
        works = Work.objects.bulk_create(_work(rng, n) for n in range(start, min(start + 5000, count)))
        Contributor.objects.bulk_create(
            Contributor(work=w, position=p, family=rng.choice(FAMILIES), given="A B")
            for w in works
            for p in range(1, 6)
        )
        tagged = [w for w in works if rng.random() < 0.2]
        Annotation.objects.bulk_create(
            Annotation(work=w, finding=f, state="accepted") for w in tagged for f in findings
        )
    started = time.perf_counter()
    assign_citation_keys(Work.objects.all())
    return time.perf_counter() - started


def _work(rng: random.Random, n: int):
    from references.models import Work

    title = " ".join(rng.choice(WORDS) for _ in range(10)) + f" & t(4;11) {n}"
    return Work(
        title=title,
        container_title="Blood",
        year=rng.randint(1990, 2025),
        volume=str(rng.randint(1, 150)),
        issue=str(rng.randint(1, 12)),
        pages=f"{n % 900 + 1}-{n % 900 + 9}",
        doi=f"10.5555/bench.{n}",
        issns=["0006-4971"],
        publisher="American Society of Hematology",
        abstract="Background: infants with KMT2A-rearranged ALL. " * 4,
    )


def _measure(count: int) -> None:
    """Export the first `count` works by key to nowhere; print seconds and peak RSS (KiB)."""
    from references.exports import bibtex_stream
    from references.models import Work

    keys = Work.objects.order_by("citation_key").values_list("citation_key", flat=True)
    last = keys[count - 1]
    works = Work.objects.filter(citation_key__lte=last).order_by("citation_key")
    started = time.perf_counter()
    size = sum(len(piece) for piece in bibtex_stream(works))
    seconds = time.perf_counter() - started
    print(seconds, _peak_rss_kib(), size)


def _peak_rss_kib() -> int:
    """This process's own peak (VmHWM): getrusage's maxrss would carry the parent's peak across exec."""
    status = Path("/proc/self/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:")))


def _markdown(rows: list[tuple[int, float, int, int]], keys_seconds: float) -> str:
    lines = [
        "# BibTeX export speed",
        "",
        f"`python -m bench.export_bibtex` on {platform.node()} ({os.cpu_count()} cores), Python "
        f"{platform.python_version()}: a synthetic library of {SIZES[-1]:,} works (five authors each, accents, "
        "`&` and `t(4;11)` in every title, a fifth tagged with two findings), exported by the code behind "
        "`/export.bib` and `export_bibtex` to nowhere, each size in a fresh process.",
        "",
        "| works | seconds | entries per second | MB written | peak resident memory |",
        "|---:|---:|---:|---:|---:|",
    ]
    for count, seconds, rss_kib, size in rows:
        lines.append(
            f"| {count:,} | {seconds:.2f} | {count / seconds:,.0f} | {size / 1e6:.1f} | {rss_kib / 1024:.0f} MB |"
        )
    lines += [
        "",
        f"Keys were given to all {SIZES[-1]:,} works once, before the exports, in {keys_seconds:.1f} s "
        "(the first export of a new work does this for it).",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--output", type=Path, default=Path("docs/benchmarks-export.md"))
    parser.add_argument("--measure", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    setup_django(BENCH_DB)
    if args.measure:
        _measure(args.measure)
        return
    keys_seconds = _generate(SIZES[-1])
    rows = []
    for count in SIZES:
        command = [sys.executable, "-m", "bench.export_bibtex", "--measure", str(count)]
        seconds, rss, size = subprocess.run(
            command, capture_output=True, text=True, check=True
        ).stdout.split()
        rows.append((count, float(seconds), int(rss), int(size)))
    args.output.write_text(_markdown(rows, keys_seconds))
    print(args.output.read_text())


if __name__ == "__main__":
    main()
