"""The shared throttle on the real Redis: rate, concurrency, announcements, pauses, expiring leases."""

import multiprocessing
import threading
import time
import uuid

import pytest
import redis
from django.conf import settings

from references.crossref.throttle import Limits, Throttle, announced_limits


@pytest.fixture
def connection():
    client = redis.Redis.from_url(settings.REDIS_URL)
    yield client
    client.close()


@pytest.fixture
def make_throttle(connection):
    """Throttles under names of their own, their keys deleted after the test."""
    made: list[Throttle] = []

    def make(limits: Limits, **options) -> Throttle:
        made.append(Throttle(connection, f"test-throttle-{uuid.uuid4().hex}", limits, **options))
        return made[-1]

    yield make
    for throttle in made:
        throttle.reset()


def take(throttle: Throttle, count: int) -> float:
    """Take `count` slots one after another; returns the seconds it took."""
    started = time.monotonic()
    for _ in range(count):
        with throttle.slot():
            pass
    return time.monotonic() - started


def test_no_window_holds_more_grants_than_the_rate(make_throttle):
    throttle = make_throttle(Limits(rate=20, concurrency=5))
    assert take(throttle, 20) < 0.5  # a full window's worth goes at once, as Crossref allows
    assert take(throttle, 1) >= 0.5  # the 21st waits until the first leaves the window


def test_the_margin_stretches_the_window(make_throttle):
    throttle = make_throttle(Limits(rate=5, concurrency=5), margin=0.5)
    assert take(throttle, 6) >= 1.5


def test_a_rate_under_one_per_second_spaces_grants(make_throttle):
    throttle = make_throttle(Limits(rate=0.5, interval=0.2, concurrency=5))
    assert take(throttle, 2) >= 0.4


def _take_in_process(name: str, url: str, count: int) -> None:
    throttle = Throttle(redis.Redis.from_url(url), name, Limits(rate=20, concurrency=5))
    take(throttle, count)


def test_processes_share_one_rate(connection):
    name = f"test-throttle-{uuid.uuid4().hex}"
    context = multiprocessing.get_context("spawn")
    processes = [
        context.Process(target=_take_in_process, args=(name, settings.REDIS_URL, 12)) for _ in range(2)
    ]
    started = time.monotonic()
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=30)
    elapsed = time.monotonic() - started
    Throttle(connection, name, Limits(rate=1)).reset()
    assert [p.exitcode for p in processes] == [0, 0]
    # 24 grants at 20 per second need more than a second, whoever asks for them.
    assert elapsed >= 1.0


def test_concurrency_never_exceeds_the_cap(make_throttle):
    throttle = make_throttle(Limits(rate=1000, concurrency=2))
    in_flight, peak, lock = 0, 0, threading.Lock()

    def request():
        nonlocal in_flight, peak
        with throttle.slot():
            with lock:
                in_flight += 1
                peak = max(peak, in_flight)
            time.sleep(0.1)
            with lock:
                in_flight -= 1

    threads = [threading.Thread(target=request) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert peak == 2


def test_an_announced_lower_limit_is_followed(make_throttle):
    throttle = make_throttle(Limits(rate=100, concurrency=3))
    throttle.follow(Limits(rate=10, interval=1, concurrency=1))
    assert throttle.effective() == Limits(rate=10, interval=1.0, concurrency=1)
    assert take(throttle, 11) >= 1.0


def test_a_higher_announcement_never_raises_the_configured_limit(make_throttle):
    throttle = make_throttle(Limits(rate=5, concurrency=1))
    throttle.follow(Limits(rate=50, interval=1, concurrency=10))
    assert throttle.effective() == Limits(rate=5, interval=1.0, concurrency=1)


def test_a_pause_holds_every_request_back(make_throttle):
    throttle = make_throttle(Limits(rate=100, concurrency=3))
    throttle.pause(0.4)
    assert take(throttle, 1) >= 0.35


def test_a_lease_a_dead_worker_held_expires(make_throttle):
    throttle = make_throttle(Limits(rate=100, concurrency=1), lease_seconds=0.3)
    held = throttle.slot()
    held.__enter__()  # taken and never given back, as by a killed process
    started = time.monotonic()
    take(throttle, 1)
    assert 0.2 <= time.monotonic() - started < 5
    assert held  # kept alive: a collected generator would give its slot back


@pytest.mark.parametrize(
    "headers, expected",
    [
        (
            {"X-Rate-Limit-Limit": "10", "X-Rate-Limit-Interval": "1s", "X-Concurrency-Limit": "3"},
            Limits(rate=10, interval=1, concurrency=3),
        ),
        (
            {"x-ratelimit-limit": "50", "x-ratelimit-interval": "1s"},
            Limits(rate=50, interval=1, concurrency=1_000_000),
        ),
        ({"x-rate-limit-limit": "many"}, None),
    ],
)
def test_announced_limits_read_both_spellings(headers, expected):
    assert announced_limits(headers) == expected
