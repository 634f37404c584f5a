"""PubMed beside Crossref: the E-utilities client (no ORM) and the enrichment that fills works from it."""
