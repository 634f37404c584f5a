"""Crossref: the habanero client with a shared throttle, metadata mapping and candidate judging."""
