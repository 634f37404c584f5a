"""A local stand-in for NCBI's E-utilities, serving real recorded answers and PubMed records."""

from tests.fakencbi.server import FakeNCBI, NCBIRequest

__all__ = ["FakeNCBI", "NCBIRequest"]
