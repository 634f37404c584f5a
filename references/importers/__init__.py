"""Turn a saved web page (text copied from a browser, or saved HTML) into a SourceRecord.

page = decode_page(data)      # bytes -> DecodedPage, or PageRejected
record = parse_page(page)     # DecodedPage -> SourceRecord, or PageRejected
"""

from __future__ import annotations

from .decoding import decode_page
from .detect import parse_lines
from .html import html_page
from .meta import apply_meta
from .records import DecodedPage, PageRejected, Reference, SourceRecord
from .refusals import refuse_bibliography, refuse_record_file
from .text import page_from_text

__all__ = ["DecodedPage", "PageRejected", "Reference", "SourceRecord", "decode_page", "parse_page"]

_NOTHING = "Nothing recognisable in this file: no DOI, no abstract and no known page layout."


def parse_page(page: DecodedPage) -> SourceRecord:
    """Parse a decoded page with the parser that fits its layout; meta tags of HTML fill the gaps. A file of
    bibliographic records, or a page that is only a reference list, is refused."""
    refuse_record_file(page)
    text = html_page(page.text) if page.file_format == "html" else page_from_text(page.text)
    record = parse_lines(text)
    apply_meta(record, text)
    refuse_bibliography(record, text)
    if record.page_kind == "generic" and not (record.doi or record.abstract):
        raise PageRejected(_NOTHING)
    return record
