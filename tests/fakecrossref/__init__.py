"""A local stand-in for api.crossref.org, serving real recorded bodies."""

from tests.fakecrossref.bodies import (
    CERMINE_MATCH_QUERY,
    CERMINE_NOMATCH_QUERY,
    STRUCTURED_MATCH_QUERY,
    STRUCTURED_NOMATCH_QUERY,
)
from tests.fakecrossref.server import FakeCrossref, RequestRecord

__all__ = [
    "CERMINE_MATCH_QUERY",
    "CERMINE_NOMATCH_QUERY",
    "STRUCTURED_MATCH_QUERY",
    "STRUCTURED_NOMATCH_QUERY",
    "FakeCrossref",
    "RequestRecord",
]
