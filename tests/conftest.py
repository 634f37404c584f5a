"""Shared fixtures: seed files, users, and a real Celery worker on the real Redis."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission

from config.celery import app as celery_app
from tests.helpers import ROOT, WORKER_LOG, queue_length, wait_until


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return Path(settings.SHARED_DIR) / "seeds"


@pytest.fixture(scope="session")
def seed_paths(seeds_dir) -> dict[str, Path]:
    """The five seed pages by their three-digit prefix: "000" ... "004"."""
    return {path.name[:3]: path for path in sorted(seeds_dir.iterdir())}


@pytest.fixture(scope="session", autouse=True)
def test_queue():
    """Tasks sent by tests go to a queue of their own, so a developer's running worker never takes them."""
    queue = f"tests-{uuid.uuid4().hex[:12]}"
    celery_app.conf.task_default_queue = queue
    yield queue
    with celery_app.connection_for_write() as connection:
        connection.default_channel.client.delete(queue)


@pytest.fixture
def admin_user(django_user_model):
    return django_user_model.objects.create_superuser("chief", password="chief-password-1")


@pytest.fixture
def importer(django_user_model):
    """An admin in the project's sense: may import, is not a superuser."""
    user = django_user_model.objects.create_user("importer", password="importer-password-1")
    user.user_permissions.add(Permission.objects.get(codename="add_importbatch"))
    return user


@pytest.fixture
def reader(django_user_model):
    return django_user_model.objects.create_user("reader", password="reader-password-1")


def _database_url() -> str:
    from django.db import connection

    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.fixture(scope="session")
def celery_worker(django_db_setup, django_db_blocker, test_queue):
    """A real worker process on the test database, consuming only this session's queue."""
    with django_db_blocker.unblock():
        env = {**os.environ, "DATABASE_URL": _database_url(), "CONN_MAX_AGE": "0"}
    name = f"{test_queue}@localhost"
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "config",
        "worker",
        "--pool=solo",
        "-Q",
        test_queue,
        "-n",
        name,
        "--without-gossip",
        "--without-mingle",
        "--loglevel=info",
    ]
    log = open(WORKER_LOG, "w")  # noqa: SIM115 - closed at teardown
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait_for_worker(name, process)
        # Earlier transactional tests may have queued tasks; let the worker drain them so tests see only theirs.
        wait_until(lambda: queue_length(test_queue) == 0, timeout=60)
        yield process
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


def _wait_for_worker(name: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"Celery worker exited with {process.returncode}; see test-worker.log")
        if celery_app.control.ping(destination=[name], timeout=1):
            return
    raise RuntimeError("Celery worker did not answer a ping within a minute; see test-worker.log")
