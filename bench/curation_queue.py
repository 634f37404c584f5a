"""Server time of working through a curation queue on the 100,000-work demo library, as one Markdown table:
opening the next work (the redirect, then the reading view) and recording a decision, p95 against the
issue's 50 ms.

    python -m bench.curation_queue --output docs/benchmarks-curation-queue.md

The library is the workspace benchmark's (`seed_demo`, database curation_demo_100000), copied once into a
database of this benchmark's own (curation_queue_bench_100000) so its queues and decisions stay out of the
other figures; without that database the demo library is generated. An independent queue of every source
(100,000 works) is made for two curators; the first has already finished a few thousand works, so the next
work is found past them. Requests go through Django's full stack in-process (middleware, views,
templates, database), so the time is what the server spends, without the network.
"""

import argparse
import os
import platform
import statistics
import subprocess
import time
from pathlib import Path

WORKS = 100_000
DATABASE = "curation_queue_bench_100000"
DEMO = "curation_demo_100000"
SAMPLES = 60
FINISHED = 3_000  # works the first curator is done with before the measure


def _copy_demo() -> None:
    """A copy of the workspace benchmark's library, when there is one and this database is not there yet."""
    subprocess.run(
        ["createdb", "-h", "127.0.0.1", "-U", "postgres", "-T", DEMO, DATABASE],
        capture_output=True,
        check=False,
    )


def _library() -> None:
    from django.core.management import call_command

    from references.models import SourceDocument

    if SourceDocument.objects.filter(page_kind="demo").count() != WORKS:
        call_command("seed_demo", "--works", str(WORKS), "--clear")


def _queue():
    """A fresh independent queue of every source for two curators, the first far into it."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from curation import queues
    from curation.models import DoneMark, Queue

    Queue.objects.filter(name="Benchmark").delete()
    users = get_user_model().objects
    people = []
    for name, group in (("bench-admin", "admin"), ("bench-first", "curator"), ("bench-second", "curator")):
        user = users.filter(username=name).first() or users.create_user(name)
        user.groups.add(Group.objects.get(name=group))
        people.append(user)
    admin, first, second = people
    queue = queues.queue_create(
        name="Benchmark",
        selection="",
        mode="independent",
        curators=[first, second],
        resolver=None,
        user=admin,
    )
    early = queue.items.order_by("position")[:FINISHED]
    DoneMark.objects.bulk_create(DoneMark(item=item, queue=queue, curator=first) for item in early)
    return queue, first


def _timed(client, method: str, path: str, data=None, **headers) -> tuple[float, int, object]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        answer = getattr(client, method)(path, data or {}, **headers)
        took = time.perf_counter() - started
    assert answer.status_code in (200, 302), (path, answer.status_code)
    return took, len(queries), answer


def measure() -> dict:
    from django.test import Client
    from django.urls import reverse

    from curation.offers import offers
    from curation.queue_models import QueueItem
    from curation.reading import Vocabulary

    queue, first = _queue()
    client = Client(SERVER_NAME="localhost")
    client.force_login(first)
    times: dict[str, list[float]] = {"next": [], "item": [], "decide": [], "in place": [], "done": []}
    queries: dict[str, set[int]] = {name: set() for name in times}

    def request(name: str, method: str, path: str, data=None, **headers):
        took, count, answer = _timed(client, method, path, data, **headers)
        times[name].append(took)
        queries[name].add(count)
        return answer

    for n in range(SAMPLES):
        answer = request("next", "get", reverse("curation:queue-next", args=[queue.pk]))
        request("item", "get", answer["Location"])
        item = QueueItem.objects.select_related("work").get(pk=answer["Location"].rstrip("/").split("/")[-1])
        suggested = offers(item.work, Vocabulary.load())  # outside the measure: what the page offered
        label = suggested[0].finding.label if suggested else "HSCT"
        verdict = "accept" if n % 2 == 0 else "reject"
        decide = reverse("curation:queue-decide", args=[item.pk])
        request("decide", "post", decide, {"finding": label, "verdict": verdict})
        other = "reject" if verdict == "accept" else "accept"  # changed by key, answered in place
        request("in place", "post", decide, {"finding": label, "verdict": other}, HTTP_HX_REQUEST="true")
        request("done", "post", reverse("curation:queue-done", args=[item.pk]))
    return {
        "load": os.getloadavg()[0],
        "items": QueueItem.objects.filter(queue=queue).count(),
        "times": times,
        "queries": {name: sorted(counts) for name, counts in queries.items()},
    }


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def _p95(seconds: list[float]) -> float:
    return statistics.quantiles(seconds, n=20)[-1]


def table(result: dict) -> str:
    names = {
        "next": "next work: the redirect (`/curate/<queue>/next/`)",
        "item": "next work: its reading view",
        "decide": "recording a decision (accept or reject a suggestion; redirect)",
        "in place": "recording a decision by key (htmx: answered with the panel)",
        "done": "“Done, next” (mark done, find the next)",
    }
    lines = [
        "# Curation queue: server time",
        "",
        f"`python -m bench.curation_queue` on {platform.node()} ({os.cpu_count()} cores shared with other "
        f"work: load average {result['load']:.1f} at the end of the run, so figures are noisy), PostgreSQL on "
        f"the same machine. Library from `seed_demo`: {WORKS:,} works; an "
        f"independent queue of every source ({result['items']:,} works) for two curators, the first done "
        f"with {FINISHED:,} of them. {SAMPLES} works in a row: open the next, decide on its first "
        "suggestion, mark it done. Django's full stack in-process (templates rendered, no network). "
        "Target: p95 at most 50 ms for opening the next work and for recording a decision.",
        "",
        "| request | p50 | p95 | max | queries per request |",
        "|---|---:|---:|---:|---|",
    ]
    for key, label in names.items():
        seconds = result["times"][key]
        counts = ", ".join(str(c) for c in result["queries"][key])
        lines.append(
            f"| {label} | {_ms(statistics.median(seconds))} | {_ms(_p95(seconds))} | {_ms(max(seconds))} "
            f"| {counts} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=Path("docs/benchmarks-curation-queue.md"))
    arguments = parser.parse_args()
    _copy_demo()
    from bench.django_setup import setup_django

    setup_django(DATABASE)
    _library()
    text = table(measure())
    arguments.output.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
