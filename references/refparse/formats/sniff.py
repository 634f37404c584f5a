"""Content that is no reference list: compressed or binary files, XML and HTML the readers do not take.

Each refusal is an Unreadable whose sentence names what the content looks like."""

from __future__ import annotations

import re
import unicodedata

from references.refparse.records import Unreadable

from . import endnote_xml, pubmed_xml
from .xmlrecords import root_name

# Magic numbers as they survive decoding: bytes as Latin-1 code points, or U+FFFD where UTF-8 failed.
_PACKED = (
    (("\x1f\x8b", "\x1f\ufffd"), "This looks like a gzip-compressed file; unpack it first."),
    (
        ("PK\x03\x04",),
        "This looks like a ZIP archive (or a Word or Excel file); unpack it or export the records as text.",
    ),
    (("\xfd7zXZ", "\ufffd7zXZ"), "This looks like an xz-compressed file; unpack it first."),
    (("7z\xbc\xaf", "7z\ufffd\ufffd"), "This looks like a 7-Zip archive; unpack it first."),
    (("%PDF",), "This looks like a PDF file; export the references from your reference manager instead."),
)
_BINARY = (
    "This looks like binary content (a compressed file, an image or a program), not a bibliographic file."
)
_SAMPLE = 8192
_MOST_CONTROL = 0.05
_XML_START_RE = re.compile(r"\s*<[?!A-Za-z_]")
_HTML_RE = re.compile(r"<!DOCTYPE\s+html", re.IGNORECASE)
_HTML_ROOTS = frozenset(("html", "head", "body", "div", "p", "span", "ul", "ol", "li", "table", "a", "meta"))


def refuse_binary(text: str) -> None:
    """Raise Unreadable for a compressed file, or for text with NUL bytes or mostly control characters."""
    head = text[:8].lstrip("\ufeff")
    for signatures, message in _PACKED:
        if head.startswith(signatures):
            raise Unreadable(message)
    if "\x00" in text or _control_share(text[:_SAMPLE]) > _MOST_CONTROL:
        raise Unreadable(_BINARY)


def _control_share(sample: str) -> float:
    if not sample:
        return 0.0
    odd = sum(
        1 for ch in sample if ch == "\ufffd" or (ch not in "\t\n\r\f" and unicodedata.category(ch) == "Cc")
    )
    return odd / len(sample)


def looks_like_xml(text: str) -> bool:
    return bool(_XML_START_RE.match(text, 0, 256))


def xml_format(text: str) -> str:
    """'pubmed-xml' or 'endnote-xml' from the root element; any other XML or HTML is Unreadable."""
    root = root_name(text)
    if root in pubmed_xml.ROOTS:
        return "pubmed-xml"
    if root in endnote_xml.ROOTS:
        return "endnote-xml"
    if root.lower() in _HTML_ROOTS or _HTML_RE.match(text[:256].lstrip()):
        raise Unreadable(
            "This looks like an HTML page, not a bibliographic file; import a saved article page as a source, "
            "or export the references as RIS, MEDLINE, BibTeX or PubMed XML."
        )
    if not root:
        raise Unreadable("This looks like an XML file with no root element: the file is cut short or broken.")
    raise Unreadable(
        f"This looks like an XML file that is not PubMed XML or EndNote XML (its root element is <{root}>)."
    )
