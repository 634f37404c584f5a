"""PubMed tests: the local E-utilities server, and NCBI settings of each test's own."""

import uuid

import pytest

from tests.fakencbi.pytest_plugin import ncbi_server  # noqa: F401  (the fixture, for this package's tests)

EMAIL = "curators@example.org"


@pytest.fixture
def ncbi(settings, ncbi_server):  # noqa: F811  (the imported fixture)
    """Settings pointing at the local server, with a throttle of this test's own and short backoffs."""
    settings.NCBI_BASE_URL = ncbi_server.url
    settings.NCBI_EMAIL = EMAIL
    settings.NCBI_API_KEY = ""
    settings.NCBI_RATE = 3
    # The server shares this process with the client's threads: it sees a request arrive only when the GIL
    # lets its thread run, which can bunch requests the throttle spaced (a 429 one run in about fifteen of
    # the lookup-order test with the production margin). The limit itself is tested with real workers.
    settings.NCBI_RATE_MARGIN = 0.2
    settings.NCBI_REDIS_PREFIX = f"test-ncbi-{uuid.uuid4().hex}"
    settings.NCBI_BACKOFF_SECONDS = 0.05
    settings.NCBI_BACKOFF_CAP_SECONDS = 0.2
    settings.NCBI_PAUSE_SECONDS = 1.0
    settings.NCBI_MAX_TRIES = 3
    settings.NCBI_TIMEOUT = 2
    settings.NCBI_ENRICH = True
    return ncbi_server


@pytest.fixture
def crossref(settings, crossref_server):
    """Crossref's half of a batch, at the local Crossref server, with a throttle of this test's own."""
    settings.CROSSREF_BASE_URL = crossref_server.url
    settings.CROSSREF_REDIS_PREFIX = f"test-pubmed-{uuid.uuid4().hex}"
    return crossref_server
