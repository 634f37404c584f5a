"""The ``ncbi_server`` fixture: a fresh FakeNCBI per test, stopped afterwards.

Pass FakeNCBI's keywords through indirect parametrisation::

    @pytest.mark.parametrize("ncbi_server", [{"latency": (0.01, 0.02)}], indirect=True)
    def test_something(ncbi_server): ...
"""

from collections.abc import Iterator

import pytest

from tests.fakencbi.server import FakeNCBI


@pytest.fixture
def ncbi_server(request: pytest.FixtureRequest) -> Iterator[FakeNCBI]:
    with FakeNCBI(**getattr(request, "param", {})) as server:
        yield server
