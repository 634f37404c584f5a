"""PubMed's half of an enrichment batch at NCBI's limit: 10,000 works with PMIDs, and 1,000 works with DOIs that
need their PMID first, fetched the way the enrichment tasks fetch them (references.pubmed.groups: groups of 200
planned in Redis, claimed by whichever task needs one, several groups in flight, one Redis throttle for all),
from the local E-utilities server (tests.fakencbi, its own process) answering in 200-800 ms and refusing with
429 anything over 10 requests a second for the API key.

Two worker processes (as `make run` starts Celery: --concurrency=2) take the batch's works in turn and ask for
each work's record. Writing the records into works is left out: that is the database's work, not NCBI's.
"""

import argparse
import multiprocessing
import platform
import re
import signal
import subprocess
import sys
import time
import uuid
from multiprocessing.synchronize import Barrier
from pathlib import Path

import httpx2
import redis

from references.crossref.client import RetryPolicy
from references.crossref.throttle import Limits, Throttle
from references.pubmed.client import EFETCH_BATCH, ESEARCH_BATCH, Identity, PubMedClient
from references.pubmed.groups import BatchRecords, GroupStore, key_for

RATE, MARGIN, IN_FLIGHT, AHEAD, WORKERS = 10, 0.1, 10, 50, 2
LATENCY = (0.2, 0.8)  # seconds the local server takes to answer, at random in between
REDIS_URL = "redis://127.0.0.1:6379/0"
LEASE = 35  # seconds a throttle slot or a claimed group is held without renewal
FIRST_PMID = 90_000_001


def _records(url: str, prefix: str, batch: int) -> BatchRecords:
    connection = redis.Redis.from_url(REDIS_URL)
    throttle = Throttle(
        connection,
        f"{prefix}:throttle",
        Limits(rate=RATE, concurrency=IN_FLIGHT),
        lease_seconds=LEASE,
        margin=MARGIN,
    )
    client = PubMedClient(
        httpx2.Client(timeout=30),
        throttle,
        Identity("bench", "bench@example.org", "bench-key"),
        base_url=url,
        retry=RetryPolicy(max_tries=5, backoff=0.5, backoff_cap=5),
    )
    store = GroupStore(connection, prefix, batch, lease_seconds=LEASE)
    return BatchRecords(store, client, in_flight=IN_FLIGHT, ahead=AHEAD)


def _worker(
    url: str, prefix: str, batch: int, keys: list[str], ready: Barrier, found: multiprocessing.Queue
) -> None:
    """One worker process: its share of the batch's works, in the batch's order, once every worker is ready (a
    Celery worker keeps its HTTP client, SSL context included, and its Redis connection from one batch to the
    next: see references.pubmed.enrichment._http)."""
    records = _records(url, prefix, batch)
    ready.wait()
    found.put(sum(1 for key in keys if records.record(key) is not None))


class Server:
    """The local E-utilities server in a process of its own, so that it does not share the workers' CPU."""

    def __init__(self, records: int) -> None:
        command = [sys.executable, "-m", "tests.fakencbi", "--records", str(records)]
        command += ["--rate", "3", "--key-rate", str(RATE), "--latency", *map(str, LATENCY)]
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
        self.url = self.process.stdout.readline().strip()

    def stop(self) -> dict[str, float]:
        """Requests answered, requests over the limit (429s), and when the first and the last request arrived
        (time.monotonic(), which every process of the machine shares), as the server counted them."""
        self.process.send_signal(signal.SIGINT)
        summary = self.process.communicate(timeout=30)[0]
        counts = re.search(r"(\d+) requests, (\d+) over the limit", summary).groups()
        times = re.search(r"first at ([\d.]+), last at ([\d.]+)", summary).groups()
        return dict(zip(("requests", "429s", "first", "last"), map(float, counts + times), strict=True))


def _run(records: int, keys: list[str]) -> dict[str, float]:
    server = Server(records)
    prefix, batch = f"bench-ncbi-{uuid.uuid4().hex}", 1
    connection = redis.Redis.from_url(REDIS_URL)
    store = GroupStore(connection, prefix, batch, lease_seconds=LEASE)
    store.plan(keys, EFETCH_BATCH)
    found: multiprocessing.Queue = multiprocessing.Queue()
    ready = multiprocessing.Barrier(WORKERS + 1)
    workers = [
        multiprocessing.Process(
            target=_worker, args=(server.url, prefix, batch, keys[n::WORKERS], ready, found)
        )
        for n in range(WORKERS)
    ]
    for worker in workers:
        worker.start()
    ready.wait()
    started = time.monotonic()
    while connection.scard(store.fetched_key) < store.count():
        time.sleep(0.01)
    fetching = time.monotonic() - started
    fetched = sum(found.get() for _ in workers)
    seconds = time.monotonic() - started
    for worker in workers:
        worker.join()
    served = server.stop()
    for name in connection.scan_iter(match=f"{prefix}:*"):  # the store's keys and the throttle's
        connection.delete(name)
    return {
        "records": fetched,
        "fetching": fetching,
        "records/s": fetched / fetching,
        "requests": int(served["requests"]),
        "share of limit": served["requests"] / (fetching * RATE),
        "429s": int(served["429s"]),
        "first": served["first"] - started,
        "last": served["last"] - started,
        "read": seconds,
    }


def _best_share(requests: int) -> float:
    """The share of the limit `requests` requests could reach at best: every wave of RATE requests leaves as soon
    as the throttle allows, and the last wave's slowest answer takes its expected time."""
    waves, last_wave = divmod(requests - 1, RATE)
    slowest = LATENCY[0] + (LATENCY[1] - LATENCY[0]) * (last_wave + 1) / (last_wave + 2)
    return requests / (RATE * ((1 + MARGIN) * waves + slowest))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--dois", type=int, default=1_000)
    parser.add_argument("--output", type=Path, default=Path("docs/benchmarks-pubmed.md"))
    args = parser.parse_args()
    pmids = [str(FIRST_PMID + n) for n in range(args.records)]
    rows = [
        (
            f"{args.records:,} works with PMIDs (efetch of {EFETCH_BATCH})",
            _run(args.records, [key_for(pmid, "") for pmid in pmids]),
        ),
        (
            f"{args.dois:,} works with DOIs (esearch of {ESEARCH_BATCH} [doi] terms, then efetch)",
            _run(args.dois, [key_for("", f"10.5555/pubmed.{pmid}") for pmid in pmids[: args.dois]]),
        ),
    ]
    window = 1 + MARGIN
    lines = [
        "# PubMed enrichment throughput (`make bench`)",
        "",
        f"PubMed's half of an enrichment batch, fetched as the tasks fetch it: groups of {EFETCH_BATCH} planned in "
        f"Redis, up to {IN_FLIGHT} groups in flight (DOI lookups before efetches), {WORKERS} worker processes sharing one Redis throttle of "
        f"{RATE} requests a second (an API key; {MARGIN:.0%} margin, as NCBI_RATE_MARGIN: {RATE} requests in any "
        f"{window:g} s). Local E-utilities server in its own process, answers in {LATENCY[0] * 1000:.0f}-"
        f"{LATENCY[1] * 1000:.0f} ms, 429 over the limit. Writing the records into works is not included. "
        f"Python {platform.python_version()} on {platform.machine()}, 2 cores shared with other work, so "
        "timings are noisy. `python -m bench.pubmed_throughput --output docs/benchmarks-pubmed.md`",
        "",
        "Seconds fetching: from the moment both worker processes are ready (their HTTP client and Redis connection "
        "built, as a running Celery worker keeps them between batches) until every group was fetched and kept; "
        f"records/s and the share of the limit (requests / (seconds x {RATE})) are over that time. First and last "
        "request: when the server saw them arrive, in seconds after the start. The best share these requests "
        f"allow: the last of n requests cannot leave before {window:g} x floor((n - 1) / {RATE}) s, and the "
        f"answers to that last wave of requests take {LATENCY[0]:g}-{LATENCY[1]:g} s (the slowest of k uniform "
        f"answers, {LATENCY[0]:g} + {LATENCY[1] - LATENCY[0]:g} x k / (k + 1) s on average; an efetch waiting for its "
        "lookups is not counted), so a run of few "
        "requests cannot reach the share of a long one. The last column is until the two workers had read "
        "(parsed) every work's record, one at a time, as tasks do before writing it.",
        "",
        "| run | records | seconds fetching | records/s | requests | first request (s) | last request (s) "
        "| share of the limit | best share these requests allow | 429s | seconds until the workers read every record |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, row in rows:
        lines.append(
            f"| {name} | {row['records']:,} | {row['fetching']:.1f} | {row['records/s']:.0f} | {row['requests']} "
            f"| {row['first']:.2f} | {row['last']:.2f} | {row['share of limit']:.0%} "
            f"| {_best_share(row['requests']):.0%} | {row['429s']} | {row['read']:.1f} |"
        )
    args.output.write_text("\n".join(lines) + "\n")
    print(args.output.read_text())


if __name__ == "__main__":
    main()
