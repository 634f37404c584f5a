"""Which structured format a pasted or uploaded reference list is in."""

from __future__ import annotations

import json
import re

from .csljson import nested_too_deep
from .ids import is_id_line
from .sniff import looks_like_xml, refuse_binary, xml_format
from .sniff_exports import export_format

FORMATS = ("bibtex", "ris", "medline", "csljson", "ids", "pubmed-xml", "endnote-xml", "wos", "ovid", "csv")

_BIBTEX_RE = re.compile(r"^[ \t]*@[A-Za-z]+[ \t]*[{(]", re.MULTILINE)
_RIS_RE = re.compile(r"^TY  - ", re.MULTILINE)
_MEDLINE_RE = re.compile(r"^PMID- ", re.MULTILINE)
# A reference list never starts like a JSON object, so broken JSON is still read as JSON (and reported).
_JSON_OBJECT_START_RE = re.compile(r'^\s*(?:\[\s*)?\{\s*"')
_CSL_KEYS = frozenset(("type", "title", "author", "issued", "DOI", "container-title", "id", "URL", "PMID"))


def detect_format(text: str) -> str:
    """One of FORMATS, or "text" when none fits; Unreadable for binary content and XML no reader takes."""
    text = text.removeprefix("\ufeff")
    refuse_binary(text)
    if looks_like_xml(text):
        return xml_format(text)
    if _looks_like_csljson(text):
        return "csljson"
    if exported := export_format(text):
        return exported
    if _BIBTEX_RE.search(text):
        return "bibtex"
    if _RIS_RE.search(text):
        return "ris"
    if _MEDLINE_RE.search(text):
        return "medline"
    if _all_ids(text):
        return "ids"
    return "text"


def _looks_like_csljson(text: str) -> bool:
    if not _JSON_OBJECT_START_RE.match(text):
        return False
    if nested_too_deep(text):
        return True  # the CSL-JSON reader refuses it, saying why; json.loads would hit the recursion limit
    try:
        data = json.loads(text)
    except ValueError:
        return True
    items = data if isinstance(data, list) else [data]
    return any(isinstance(item, dict) and _CSL_KEYS & item.keys() for item in items)


def _all_ids(text: str) -> bool:
    lines = [line for line in text.splitlines() if line.strip()]
    return bool(lines) and all(is_id_line(line) for line in lines)
