"""Small helpers for tests."""

import time
from pathlib import Path

import pytest

from config.celery import app as celery_app

ROOT = Path(__file__).resolve().parent.parent
WORKER_LOG = ROOT / "test-worker.log"


def wait_until(predicate, timeout: float = 30, interval: float = 0.1):
    """Poll until predicate() is truthy; returns its value or fails the test."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := predicate():
            return value
        time.sleep(interval)
    pytest.fail(f"condition not met within {timeout} s")


def queue_length(queue: str) -> int:
    """Messages waiting in a Celery queue on the Redis broker."""
    with celery_app.connection_for_write() as connection:
        return connection.default_channel.client.llen(queue)
