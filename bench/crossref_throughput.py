"""Enrich a batch of works through four Celery worker processes against a local server enforcing
Crossref's polite-pool limits, and write how close to the allowed rate the batch ran.

The server (tests.fakecrossref) answers /works/{doi} after 200-800 ms, admits 10 requests per second and
3 in flight, and answers 429 to anything beyond. With 3 in flight and a mean answer time of about 0.5 s,
concurrency rather than the rate bounds throughput: allowed = min(10/s, 3 / mean answer time). A second
run with fast answers makes the 10/s rate the bound. Runs on its own database and queue.
"""

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

from bench.django_setup import setup_django

BENCH_DB = "curation_bench"
QUEUE = "crossref-bench"
RATE, CONCURRENCY = 10, 3


def _start_workers(processes: int) -> subprocess.Popen:
    from config.celery import app

    name = f"{QUEUE}-{uuid.uuid4().hex[:6]}@localhost"
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=prefork"]
    command += [f"--concurrency={processes}", "-Q", QUEUE, "-n", name, "--without-gossip", "--without-mingle"]
    worker = subprocess.Popen(
        command, env=os.environ.copy(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 60
    while not app.control.ping(destination=[name], timeout=1):
        if time.monotonic() > deadline or worker.poll() is not None:
            raise SystemExit("the Celery workers did not start")
    return worker


def _run_batch(server, count: int, label: str) -> dict[str, object]:
    from references.enrichment import start_enrichment
    from references.models import EnrichmentBatch, Work

    Work.objects.all().delete()
    dois = server.add_works(count, prefix=f"10.5555/{label}.")
    works = Work.objects.bulk_create(Work(doi=doi, title=f"Work {doi}") for doi in dois)
    server.clear()
    started = time.monotonic()
    batch = start_enrichment(works=works, origin=EnrichmentBatch.Origin.COMMAND)
    while EnrichmentBatch.objects.filter(pk=batch.pk, finished_at=None).exists():
        time.sleep(0.5)
    wall = time.monotonic() - started
    records = server.requests
    arrivals = sorted(r.started for r in records)
    answer = statistics.mean(r.ended - r.started for r in records)
    allowed = min(RATE, CONCURRENCY / answer)
    progress = EnrichmentBatch.objects.get(pk=batch.pk).progress()
    return {
        "label": label,
        "works": count,
        "done": progress["done"],
        "failed": progress["failed"],
        "requests": len(records),
        "answer": answer,
        "allowed": allowed,
        "achieved": (len(arrivals) - 1) / (arrivals[-1] - arrivals[0]),
        "wall": wall,
        "violations": server.violations,
        "in_flight": server.max_in_flight,
    }


def _markdown(rows: list[dict[str, object]], processes: int) -> str:
    lines = [
        "# Crossref enrichment throughput",
        "",
        f"`python -m bench.crossref_throughput` on {platform.node()} ({os.cpu_count()} cores): {processes} Celery "
        f"worker processes (prefork) enrich a batch of works through the shared Redis throttle, against the "
        f"local Crossref server enforcing {RATE} requests per second and {CONCURRENCY} in flight (429 beyond). "
        "Allowed rate = min(10/s, 3 / mean answer time as the server measured it); achieved rate = arrivals "
        "per second at the server, from the first request to the last.",
        "",
        "| run | works | done | failed | requests | mean answer | allowed | achieved | share | wall time | "
        "429 from limits | max in flight |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['label']} | {r['works']} | {r['done']} | {r['failed']} | {r['requests']} | "
            f"{r['answer'] * 1000:.0f} ms | {r['allowed']:.2f}/s | {r['achieved']:.2f}/s | "
            f"{r['achieved'] / r['allowed']:.1%} | {r['wall']:.1f} s | {r['violations']} | {r['in_flight']} |"
        )
    lines += [
        "",
        "Wall time runs from queueing the batch to its last item committed. The throttle counts requests in a "
        "sliding window 5% longer than the limit's (`CROSSREF_RATE_MARGIN`): in steady state at most 10 per "
        "1.05 s (95%); the first window's full burst lifts the average of a short batch above that.",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--works", type=int, default=1000)
    parser.add_argument("--rate-bound-works", type=int, default=500)
    parser.add_argument("--processes", type=int, default=4)
    parser.add_argument("--output", type=Path, default=Path("docs/benchmarks-crossref.md"))
    args = parser.parse_args()
    from tests.fakecrossref import FakeCrossref

    server = FakeCrossref(rate_limit=RATE, concurrency_limit=CONCURRENCY, latency=(0.2, 0.8)).start()
    setup_django(
        BENCH_DB,
        CROSSREF_BASE_URL=server.url,
        CROSSREF_MAILTO="bench@example.org",
        CROSSREF_REDIS_PREFIX=f"bench-{uuid.uuid4().hex[:8]}",
        ENRICH_AFTER_IMPORT="false",
        CONN_MAX_AGE="0",
    )
    from config.celery import app

    app.conf.task_default_queue = QUEUE
    worker = _start_workers(args.processes)
    try:
        rows = [_run_batch(server, args.works, "slow answers (200-800 ms)")]
        server.latency = (0.01, 0.03)
        rows.append(_run_batch(server, args.rate_bound_works, "fast answers (10-30 ms)"))
    finally:
        worker.terminate()
        worker.wait(timeout=60)
        server.stop()
    args.output.write_text(_markdown(rows, args.processes))
    print(args.output.read_text())


if __name__ == "__main__":
    main()
