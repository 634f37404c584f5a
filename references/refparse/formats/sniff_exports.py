"""Signs of the database exports that start in their own way: Web of Science tagged text, Ovid, delimited
tables with a header, and MEDLINE files without a PMID line. Only the start of the text is looked at."""

from __future__ import annotations

import re

from .delimited import first_line, header_columns
from .ovid import RECORD_START_RE

_HEAD = 20_000
_WOS_START_RE = re.compile(r"^(?:FN |VR |PT [A-Z]\s*$)")
_WOS_END_RE = re.compile(r"^ER\s*$", re.MULTILINE)
_OVID_RE = re.compile(r"^VN  - Ovid Technologies", re.MULTILINE)
_RIS_RE = re.compile(r"^TY  - ", re.MULTILINE)
# Tags only PubMed's MEDLINE format prints ("TI" and "AU" are RIS's too).
_MEDLINE_TAG_RE = re.compile(r"^(FAU|DP|TA|JT|PG|LID|AID|OWN|STAT|PST|JID|DCOM|LR|MH|PL)\s*- ", re.MULTILINE)


def export_format(text: str) -> str:
    """'wos', 'ovid', 'csv' or 'medline' when the text starts like one of them, else ""."""
    head = text[:_HEAD]
    start = head.lstrip()
    if _WOS_START_RE.match(first_line(start)) and _WOS_END_RE.search(text):
        return "wos"
    if RECORD_START_RE.match(first_line(start)) or _OVID_RE.search(head):
        return "ovid"
    if _looks_like_table(first_line(start)):
        return "csv"
    if not _RIS_RE.search(head) and len(set(_MEDLINE_TAG_RE.findall(head))) >= 2:
        return "medline"
    return ""


def _looks_like_table(header: str) -> bool:
    """A header that names at least two known columns (the reader refuses one naming no title or identifier)."""
    return len(set(header_columns(header))) >= 2
