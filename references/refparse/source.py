"""A large UTF-8 file's text, read a slice at a time from its bytes or from the file on disk.

Python holds a str at the width of its widest character: one "≥" in a 100 MB export makes its text 200 MB,
beside the bytes. Readers that go through a file once (MEDLINE, PubMed XML) take a TextSource instead and
hold a slice of it at a time; given a path, nothing holds the whole file at all."""

from __future__ import annotations

import codecs
import io
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

SLICE = 1 << 20  # bytes


class TextSource:
    def __init__(self, data: bytes | Path) -> None:
        self.data = data
        self._skip = len(codecs.BOM_UTF8) if self.start(len(codecs.BOM_UTF8)) == codecs.BOM_UTF8 else 0

    @classmethod
    def of(cls, data: bytes | Path) -> TextSource | None:
        """The source when the bytes are UTF-8 throughout and hold no NUL (checked a slice at a time, nothing
        kept), else None: such a file is decoded, or refused, whole."""
        source, decoder = cls(data), codecs.getincrementaldecoder("utf-8")()
        try:
            for piece in source._pieces():
                if b"\x00" in piece:
                    return None
                decoder.decode(piece)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return None
        return source

    def slices(self) -> Iterator[str]:
        """The text in order, with every line end as "\\n" (as decode_page leaves them)."""
        decoder, carried = codecs.getincrementaldecoder("utf-8")(), ""
        for piece in self._pieces():
            text = carried + decoder.decode(piece)
            text, carried = (text[:-1], "\r") if text.endswith("\r") else (text, "")
            yield _unix_lines(text)
        if rest := carried + decoder.decode(b"", final=True):
            yield _unix_lines(rest)

    def head(self, size: int) -> str:
        """About the first `size` characters (a character cut at the end is left out)."""
        return _unix_lines(self.start(size * 4)[self._skip :].decode("utf-8", errors="ignore")[:size])

    def text(self) -> str:
        """The whole text at once, for readers that need it (and for error messages)."""
        with self.utf8() as stream:
            return _unix_lines(stream.read().decode("utf-8"))

    def utf8(self) -> BinaryIO:
        """The UTF-8 bytes as a file, after any byte order mark, for lxml (which needs no line ends changed);
        bytes are not copied. The caller closes it."""
        stream = io.BytesIO(self.data) if isinstance(self.data, bytes) else self.data.open("rb")
        stream.seek(self._skip)
        return stream

    def count(self, needle: str) -> int:
        """How often `needle` occurs, a slice at a time (an occurrence across two slices counts once)."""
        wanted, found, carried = needle.encode("utf-8"), 0, b""
        for piece in self._pieces():
            window = carried + piece
            found += window.count(wanted)
            # Keep what could start an occurrence that ends in the next slice, and no whole occurrence.
            carried = window[-(len(wanted) - 1) :] if len(wanted) > 1 else b""
        return found

    def startswith(self, prefix: str) -> bool:
        encoded = prefix.encode("utf-8")
        return self.start(self._skip + len(encoded))[self._skip :] == encoded

    def start(self, size: int) -> bytes:
        """The first `size` bytes (a byte order mark included)."""
        if isinstance(self.data, bytes):
            return self.data[:size]
        with self.data.open("rb") as stream:
            return stream.read(size)

    def _pieces(self) -> Iterator[bytes]:
        with self.utf8() as stream:
            while piece := stream.read(SLICE):
                yield piece


def _unix_lines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text
