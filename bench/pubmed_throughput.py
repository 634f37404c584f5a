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
from pathlib import Path

import httpx2
import redis

from references.crossref.client import RetryPolicy
from references.crossref.throttle import Limits, Throttle
from references.pubmed.client import EFETCH_BATCH, ESEARCH_BATCH, Identity, PubMedClient
from references.pubmed.groups import BatchRecords, GroupStore, key_for

RATE, MARGIN, IN_FLIGHT, AHEAD, WORKERS = 10, 0.1, 10, 50, 2
REDIS_URL = "redis://127.0.0.1:6379/0"
FIRST_PMID = 90_000_001


def _records(url: str, prefix: str, batch: int) -> BatchRecords:
    connection = redis.Redis.from_url(REDIS_URL)
    throttle = Throttle(
        connection,
        f"{prefix}:throttle",
        Limits(rate=RATE, concurrency=IN_FLIGHT),
        lease_seconds=35,
        margin=MARGIN,
    )
    client = PubMedClient(
        httpx2.Client(timeout=30),
        throttle,
        Identity("bench", "bench@example.org", "bench-key"),
        base_url=url,
        retry=RetryPolicy(max_tries=5, backoff=0.5, backoff_cap=5),
    )
    store = GroupStore(connection, prefix, batch, lease_seconds=35)
    return BatchRecords(store, client, in_flight=IN_FLIGHT, ahead=AHEAD)


def _worker(url: str, prefix: str, batch: int, keys: list[str], found: multiprocessing.Queue) -> None:
    """One worker process: its share of the batch's works, in the batch's order."""
    records = _records(url, prefix, batch)
    found.put(sum(1 for key in keys if records.record(key) is not None))


class Server:
    """The local E-utilities server in a process of its own, so that it does not share the workers' CPU."""

    def __init__(self, records: int) -> None:
        command = [sys.executable, "-m", "tests.fakencbi", "--records", str(records)]
        command += ["--rate", "3", "--key-rate", str(RATE), "--latency", "0.2", "0.8"]
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
        self.url = self.process.stdout.readline().strip()

    def stop(self) -> tuple[int, int]:
        """Requests answered and requests over the limit (429s), as the server counted them."""
        self.process.send_signal(signal.SIGINT)
        summary = self.process.communicate(timeout=30)[0]
        requests, violations = re.search(r"(\d+) requests, (\d+) over the limit", summary).groups()
        return int(requests), int(violations)


def _run(records: int, keys: list[str]) -> dict[str, float]:
    server = Server(records)
    prefix, batch = f"bench-ncbi-{uuid.uuid4().hex}", 1
    connection = redis.Redis.from_url(REDIS_URL)
    store = GroupStore(connection, prefix, batch, lease_seconds=35)
    store.plan(keys, EFETCH_BATCH)
    found: multiprocessing.Queue = multiprocessing.Queue()
    started = time.monotonic()
    workers = [
        multiprocessing.Process(target=_worker, args=(server.url, prefix, batch, keys[n::WORKERS], found))
        for n in range(WORKERS)
    ]
    for worker in workers:
        worker.start()
    while connection.scard(store.fetched_key) < store.count():
        time.sleep(0.01)
    fetching = time.monotonic() - started
    fetched = sum(found.get() for _ in workers)
    seconds = time.monotonic() - started
    for worker in workers:
        worker.join()
    requests, violations = server.stop()
    store.forget()
    for name in connection.scan_iter(match=f"{prefix}:*"):
        connection.delete(name)
    return {
        "records": fetched,
        "fetching": fetching,
        "records/s": fetched / fetching,
        "requests": requests,
        "share of limit": requests / (fetching * RATE),
        "429s": violations,
        "read": seconds,
    }


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
    lines = [
        "# PubMed enrichment throughput (`make bench`)",
        "",
        f"PubMed's half of an enrichment batch, fetched as the tasks fetch it: groups of {EFETCH_BATCH} planned in "
        f"Redis, up to {IN_FLIGHT} groups in flight, {WORKERS} worker processes sharing one Redis throttle of "
        f"{RATE} requests a second (an API key, {MARGIN:.0%} margin, as NCBI_RATE_MARGIN). Local E-utilities server in its own process, "
        "answers in 200-800 ms, 429 over the limit. Writing the records into works is not included. "
        f"Python {platform.python_version()} on {platform.machine()}, 2 cores shared with other work, so "
        "timings are noisy. `python -m bench.pubmed_throughput --output docs/benchmarks-pubmed.md`",
        "",
        "Seconds fetching: from the start until every group was fetched and kept; records/s and the share of "
        "the limit (requests / (seconds x 10)) are over that time. The last column is until the two workers had "
        "read (parsed) every work's record, one at a time, as tasks do before writing it.",
        "",
        "| run | records | seconds fetching | records/s | requests | share of the limit | 429s "
        "| seconds until the workers read every record |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, row in rows:
        lines.append(
            f"| {name} | {row['records']:,} | {row['fetching']:.1f} | {row['records/s']:.0f} | {row['requests']} "
            f"| {row['share of limit']:.0%} | {row['429s']} | {row['read']:.1f} |"
        )
    args.output.write_text("\n".join(lines) + "\n")
    print(args.output.read_text())


if __name__ == "__main__":
    main()
