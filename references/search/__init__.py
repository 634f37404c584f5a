"""Search, in one room: the query (query.py), the list page's reading of a selection, its facets, first pages
and snippets (browse.py), and the index that both read, kept in step with every write (indexing.py)."""
