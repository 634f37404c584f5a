"""Which parser fits a page: the specific layouts in order, then the generic fallback."""

from __future__ import annotations

from . import catalogue, generic, journal_site, pubmed, pubmed_abstract, springer
from .records import SourceRecord
from .text import PageText

LAYOUTS = (springer, journal_site, pubmed, catalogue, pubmed_abstract)


def parse_lines(page: PageText) -> SourceRecord:
    for layout in LAYOUTS:
        if layout.matches(page):
            record = layout.parse(page)
            if record.title:
                return record
    return generic.parse(page)
