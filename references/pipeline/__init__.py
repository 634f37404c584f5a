"""The import pipeline: read -> plan (the preview, kept) -> write -> index.

records: exports of database searches become works of the library, deduplicated, with their search.
"""
