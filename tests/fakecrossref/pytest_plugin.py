"""The ``crossref_server`` fixture: a fresh FakeCrossref per test, stopped afterwards.

Pass FakeCrossref's keywords through indirect parametrisation::

    @pytest.mark.parametrize("crossref_server", [{"rate_limit": 5, "latency": (0.01, 0.02)}], indirect=True)
    def test_something(crossref_server): ...
"""

from collections.abc import Iterator

import pytest

from tests.fakecrossref.server import FakeCrossref


@pytest.fixture
def crossref_server(request: pytest.FixtureRequest) -> Iterator[FakeCrossref]:
    with FakeCrossref(**getattr(request, "param", {})) as server:
        yield server
