"""The read-only JSON API: works, their findings and citations, with an OpenAPI schema."""
