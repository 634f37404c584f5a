"""Records of an XML export read one at a time with a safe parser: no network, no entity expansion."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Iterator

from lxml import etree

from references.importers.text import clean
from references.refparse.records import Unreadable
from references.refparse.source import TextSource

_MATHML = "{http://www.w3.org/1998/Math/MathML}"


def records(text: str | TextSource, tags: tuple[str, ...], what: str) -> Iterator[etree._Element]:
    """Each element named in `tags`, complete, in document order; refuse a file lxml cannot read to its end.

    An element is cleared once the caller has moved on, so a large file is read in little memory; a refusal
    is worded from the text read a slice at a time, never whole."""
    with _Utf8Reader(text) if isinstance(text, str) else text.utf8() as stream:
        events = etree.iterparse(
            stream,
            events=("start", "end"),
            tag=tags,
            encoding="utf-8",  # the text is decoded already, whatever its declaration says
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=False,
            remove_comments=True,
            remove_pis=True,
        )
        opened = None  # the line of a record begun and not yet ended
        try:
            for event, element in events:
                if event == "start":
                    opened = element.sourceline
                    continue
                opened = None
                yield element
                _forget(element)
        except etree.XMLSyntaxError as error:
            slices = [text] if isinstance(text, str) else text.slices()
            raise Unreadable(_unreadable(slices, what, error, opened)) from None


class _Utf8Reader(io.RawIOBase):
    """The text as UTF-8 bytes a slice at a time: lxml reads a file of any size without a whole copy of it."""

    _SLICE = 1 << 20  # characters

    def __init__(self, text: str) -> None:
        self._text, self._at = text, 0
        self._pending, self._offset = b"", 0  # encoded, and how much of it was read

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        if self._offset >= len(self._pending):
            if self._at >= len(self._text):
                return b""
            self._pending, self._offset = self._text[self._at : self._at + self._SLICE].encode("utf-8"), 0
            self._at += self._SLICE
        end = len(self._pending) if size < 0 else self._offset + size
        chunk = self._pending[self._offset : end]
        self._offset += len(chunk)
        return chunk


def _forget(element: etree._Element) -> None:
    element.clear(keep_tail=True)
    parent = element.getparent()
    while parent is not None and element.getprevious() is not None:
        del parent[0]


def _unreadable(slices: Iterable[str], what: str, error: etree.XMLSyntaxError, opened: int | None) -> str:
    if not _at_end(slices, error):
        return f"This looks like {what} that is not well-formed at line {error.lineno} ({error.msg}); export it again."
    if opened is not None:
        return f"This looks like {what} that ends in the middle of a record (line {opened}): the file is cut short."
    return f"This looks like {what} that ends before its last closing tag: the file is cut short."


def _at_end(slices: Iterable[str], error: etree.XMLSyntaxError) -> bool:
    """Whether lxml ran out of input: its error is past the last character, not at a broken tag before it."""
    last_line, last_length = _last_character(slices)
    line, column = error.position
    return line > last_line or (line == last_line and column > last_length)


def _last_character(slices: Iterable[str]) -> tuple[int, int]:
    """The line of the text's last character other than a blank, and that line's length up to it in UTF-8
    bytes (lxml's columns), read a slice at a time."""
    lines, line_bytes = 1, 0  # the line being read, and its bytes so far
    found = (1, 0)
    for piece in slices:
        body = piece.rstrip()
        if body:
            start = body.rfind("\n") + 1
            prefix = 0 if start else line_bytes
            found = (lines + body.count("\n"), prefix + len(body[start:].encode()))
        newlines = piece.count("\n")
        lines += newlines
        tail = piece[piece.rfind("\n") + 1 :]
        line_bytes = len(tail.encode()) + (0 if newlines else line_bytes)
    return found


def text_of(element: etree._Element | None) -> str:
    """The element's text with inline markup (<i>, <sub>, MathML) kept as plain text, on one line."""
    if element is None:
        return ""
    value = element.text or "" if len(element) == 0 else "".join(_pieces(element))
    # str.split() is several times faster than clean()'s regexes, and ASCII has no invisible characters.
    return " ".join(value.split()) if value.isascii() else clean(value)


def _pieces(element: etree._Element) -> Iterator[str]:
    yield element.text or ""
    for child in element:
        if not isinstance(child.tag, str):
            pass  # an entity left unexpanded (or a comment): its text is not the record's
        elif child.tag.startswith(_MATHML):
            yield "".join(piece.strip() for piece in child.itertext())
        else:
            yield from _pieces(child)
        yield child.tail or ""


def grouped(element: etree._Element | None) -> dict[str, list[etree._Element]]:
    """The children of each name, in order, found in one pass."""
    groups: dict[str, list[etree._Element]] = {}
    for child in element if element is not None else ():
        groups.setdefault(child.tag, []).append(child)
    return groups


def children(element: etree._Element | None) -> dict[str, etree._Element]:
    """The first child of each name, found in one pass instead of a search per field."""
    return {child.tag: child for child in reversed(element)} if element is not None else {}


_PROLOG_RE = re.compile(
    r"\A\ufeff?\s*(?:(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>)\s*)*<([A-Za-z_][\w.:-]*)",
    re.DOTALL | re.IGNORECASE,
)


def root_name(text: str) -> str:
    """The name of the root element of an XML (or HTML) document, "" when `text` does not start like one."""
    match = _PROLOG_RE.match(text[:65536])
    return match.group(1) if match else ""
