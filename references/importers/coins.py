"""COinS (an OpenURL ContextObject in the title of a `<span class="Z3988">`) read into Highwire meta names.

One span describes the page's own work; several are the works the page cites, so they become
`citation_reference` values, as a Highwire page would print them.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

import lxml.html

from references.identifiers import first_doi

from .text import clean

_SPANS = "//*[contains(concat(' ', normalize-space(@class), ' '), ' Z3988 ')]"
_SIMPLE = {
    "rft.date": "citation_date",
    "rft.volume": "citation_volume",
    "rft.issue": "citation_issue",
    "rft.spage": "citation_firstpage",
    "rft.epage": "citation_lastpage",
    "rft.pages": "citation_pages",
    "rft.issn": "citation_issn",
    "rft.eissn": "citation_issn",
    "rft.isbn": "citation_isbn",
    "rft.pub": "citation_publisher",
}


def coins_meta(root: lxml.html.HtmlElement) -> dict[str, list[str]]:
    works = [fields for span in root.xpath(_SPANS) if (fields := coins_fields(span.get("title") or ""))]
    if len(works) == 1:
        return works[0]
    if works:
        return {"citation_reference": [_highwire(fields) for fields in works]}
    return {}


def coins_fields(context: str) -> dict[str, list[str]]:
    """The KEV string of one COinS -> {Highwire name: [values]}; {} when it is not an OpenURL context."""
    kev: dict[str, list[str]] = {}
    for key, value in parse_qsl(context):
        if value := clean(value):
            kev.setdefault(key.lower(), []).append(value)
    if not any(key.startswith("rft") for key in kev):
        return {}
    fields = _titles(kev)
    if authors := _authors(kev):
        fields["citation_author"] = authors
    for key, name in _SIMPLE.items():
        for value in kev.get(key, []):
            fields.setdefault(name, []).append(value)
    for value in kev.get("rft_id", []) + kev.get("rft.doi", []):
        if value.lower().startswith("info:pmid/"):
            fields.setdefault("citation_pmid", []).append(value[len("info:pmid/") :])
        elif doi := first_doi(value):
            fields.setdefault("citation_doi", []).append(doi)
    return fields


def _titles(kev: dict[str, list[str]]) -> dict[str, list[str]]:
    # In a journal context `rft.title` is the journal's (an old name for jtitle); elsewhere it is the work's.
    article, book = _one(kev, "rft.atitle"), _one(kev, "rft.btitle")
    journal = _one(kev, "rft.jtitle") or (_one(kev, "rft.title") if article else "")
    title = article or book or _one(kev, "rft.title")
    fields = {"citation_title": [title]} if title else {}
    if journal:
        fields["citation_journal_title"] = [journal]
    elif article and book:
        fields["citation_inbook_title"] = [book]
    return fields


def _authors(kev: dict[str, list[str]]) -> list[str]:
    """rft.aulast/aufirst name the first author; rft.au lists them all, or only the others."""
    listed = kev.get("rft.au", [])
    last = _one(kev, "rft.aulast")
    if not last:
        return listed
    first = _one(kev, "rft.aufirst") or _one(kev, "rft.auinit") or _one(kev, "rft.auinit1")
    if listed and last.lower() in listed[0].lower():
        return listed
    return [f"{last}, {first}" if first else last, *listed]


def _one(kev: dict[str, list[str]], key: str) -> str:
    return kev.get(key, [""])[0]


def _highwire(fields: dict[str, list[str]]) -> str:
    return ";".join(f"{name}={value}" for name, values in fields.items() for value in values)
