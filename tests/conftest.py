"""Shared fixtures: seed files, users, and a real Celery worker on the real Redis."""

import os
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.cache import caches
from django.test import override_settings

from config.celery import app as celery_app
from tests.helpers import ROOT, WORKER_LOG, queue_length, wait_until

pytest_plugins = ["tests.fakecrossref.pytest_plugin"]

# Nothing in the suite may reach api.crossref.org: a port nobody listens on refuses at once.
UNREACHABLE = "http://127.0.0.1:9"


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


@pytest.fixture(scope="session", autouse=True)
def facets_cache():
    """Facet counts are cached per process in tests: a test's rolled-back rows must not be counted for the
    next one, which the shared Redis could not promise."""
    caches_now = {**settings.CACHES, "facets": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    with override_settings(CACHES=caches_now):
        yield


@pytest.fixture(autouse=True)
def empty_facets_cache(facets_cache):
    caches["facets"].clear()


@pytest.fixture(scope="session", autouse=True)
def crossref_settings(test_queue):
    """Imports do not start enrichment unless a test asks; throttle keys are this session's own."""
    settings.ENRICH_AFTER_IMPORT = False
    settings.CROSSREF_BASE_URL = UNREACHABLE
    settings.CROSSREF_REDIS_PREFIX = f"{test_queue}-crossref"
    settings.CROSSREF_BACKOFF_SECONDS = 0.05
    settings.CROSSREF_BACKOFF_CAP_SECONDS = 0.5
    settings.CROSSREF_MAX_TRIES = 3
    settings.CROSSREF_TIMEOUT = 2
    # PubMed's half of enrichment only where a test asks for it (tests/pubmed), and never the real NCBI.
    settings.NCBI_ENRICH = False
    settings.NCBI_BASE_URL = f"{UNREACHABLE}/entrez/eutils/"
    settings.NCBI_REDIS_PREFIX = f"{test_queue}-ncbi"


@pytest.fixture
def admin_user(django_user_model):
    return django_user_model.objects.create_superuser("chief", password="chief-password-1")


@pytest.fixture
def importer(django_user_model):
    """An admin in the project's sense: may import, is not a superuser."""
    user = django_user_model.objects.create_user("importer", password="importer-password-1")
    user.user_permissions.add(Permission.objects.get(codename="add_importbatch"))
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="references", codename="view_work")
    )
    return user


@pytest.fixture
def reader(django_user_model):
    return django_user_model.objects.create_user("reader", password="reader-password-1")


def _database_url() -> str:
    from django.db import connection

    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def worker_env(**overrides: str) -> dict[str, str]:
    """The environment for a worker process: the test database, this session's Crossref and NCBI settings."""
    prefixes = ("CROSSREF_", "NCBI_")
    names = [name for name in dir(settings) if name.startswith(prefixes)] + ["ENRICH_AFTER_IMPORT"]
    return {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "CONN_MAX_AGE": "0",
        **{name: str(getattr(settings, name)) for name in names},
        **overrides,
    }


@contextmanager
def running_worker(queue: str, env: dict[str, str], *, log_path: Path, pool: list[str] | None = None):
    """A real `celery worker` process consuming one queue, stopped (politely) on exit."""
    name = f"{queue}@localhost"
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", *(pool or ["--pool=solo"])]
    command += ["-Q", queue, "-n", name, "--without-gossip", "--without-mingle", "--loglevel=info"]
    with open(log_path, "w") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            _wait_for_worker(name, process)
            yield process
        finally:
            process.terminate()
            process.wait(timeout=30)


@pytest.fixture(scope="session")
def celery_worker(django_db_setup, django_db_blocker, test_queue):
    """A real worker process on the test database, consuming only this session's queue."""
    with django_db_blocker.unblock():
        env = worker_env()
    with running_worker(test_queue, env, log_path=WORKER_LOG) as process:
        # Earlier transactional tests may have queued tasks; let the worker drain them so tests see only theirs.
        wait_until(lambda: queue_length(test_queue) == 0, timeout=60)
        yield process


def _wait_for_worker(name: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"Celery worker exited with {process.returncode}; see its log")
        if celery_app.control.ping(destination=[name], timeout=1):
            return
    raise RuntimeError("Celery worker did not answer a ping within a minute; see its log")
