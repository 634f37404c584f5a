"""PubMed client throughput at NCBI's limit: 10,000 PMIDs fetched 200 to an efetch, and 1,000 DOIs that need
their PMID first, through the local E-utilities server (tests.fakencbi) answering in 200-800 ms and refusing
with 429 anything over 10 requests a second for the API key.

Threads share one Redis throttle, as worker processes do. This measures the client (references.pubmed.client),
not the enrichment tasks: those still fetch one work's record per request.
"""

import argparse
import platform
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx2
import redis

from references.crossref.client import RetryPolicy
from references.crossref.throttle import Limits, Throttle
from references.pubmed.client import EFETCH_BATCH, ESEARCH_BATCH, Identity, PubMedClient
from tests.fakencbi import FakeNCBI

RATE, THREADS = 10, 10


def _client(server: FakeNCBI, connection: redis.Redis, prefix: str) -> PubMedClient:
    throttle = Throttle(
        connection, prefix, Limits(rate=RATE, concurrency=THREADS), lease_seconds=30, margin=0.05
    )
    return PubMedClient(
        httpx2.Client(timeout=30),
        throttle,
        Identity("bench", "bench@example.org", "bench-key"),
        base_url=server.url,
        retry=RetryPolicy(max_tries=5, backoff=0.5, backoff_cap=5),
    )


def _run(server: FakeNCBI, client: PubMedClient, chunks: list[list[str]], fetch) -> dict[str, float]:
    server.clear()
    started = time.monotonic()
    with ThreadPoolExecutor(THREADS) as pool:
        records = sum(len(found) for found in pool.map(fetch, chunks))
    seconds = time.monotonic() - started
    requests = len(server.requests)
    return {
        "records": records,
        "seconds": seconds,
        "records/s": records / seconds,
        "requests": requests,
        "share of limit": requests / (seconds * RATE),
        "429s": sum(1 for r in server.requests if r.status == 429),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--dois", type=int, default=1_000)
    parser.add_argument("--output", type=Path, default=Path("docs/benchmarks-pubmed.md"))
    args = parser.parse_args()
    connection = redis.Redis.from_url("redis://127.0.0.1:6379/0")
    rows = []
    with FakeNCBI(rate=3, key_rate=RATE, latency=(0.2, 0.8)) as server:
        pmids = server.add_records(args.records)
        client = _client(server, connection, f"bench-ncbi-{uuid.uuid4().hex}")
        chunks = [pmids[i : i + EFETCH_BATCH] for i in range(0, len(pmids), EFETCH_BATCH)]
        rows.append(
            (f"{args.records:,} PMIDs, efetch of {EFETCH_BATCH}", _run(server, client, chunks, client.fetch))
        )
        dois = [f"10.5555/pubmed.{pmid}" for pmid in pmids[: args.dois]]
        chunks = [dois[i : i + ESEARCH_BATCH] for i in range(0, len(dois), ESEARCH_BATCH)]
        rows.append(
            (
                f"{args.dois:,} DOIs, esearch of {ESEARCH_BATCH} then efetch",
                _run(server, client, chunks, client.fetch_by_doi),
            )
        )
        client.throttle.reset()
    lines = [
        "# PubMed client throughput (`make bench`)",
        "",
        f"Local E-utilities server, answers in 200-800 ms, limit {RATE}/s with an API key; {THREADS} threads "
        f"sharing one Redis throttle; {platform.python_version()} on {platform.machine()}.",
        "",
        "| run | records | seconds | records/s | requests | share of the limit | 429s |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, row in rows:
        lines.append(
            f"| {name} | {row['records']:,} | {row['seconds']:.1f} | {row['records/s']:.0f} | {row['requests']} "
            f"| {row['share of limit']:.0%} | {row['429s']} |"
        )
    args.output.write_text("\n".join(lines) + "\n")
    print(args.output.read_text())


if __name__ == "__main__":
    main()
