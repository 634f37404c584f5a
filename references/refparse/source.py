"""A large UTF-8 file's text, read a slice at a time from its bytes.

Python holds a str at the width of its widest character: one "≥" in a 100 MB export makes its text 200 MB,
beside the bytes. Readers that go through a file once (MEDLINE, PubMed XML) take a TextSource instead and
hold a slice of it at a time."""

from __future__ import annotations

import codecs
import io
from collections.abc import Iterator

SLICE = 1 << 20  # bytes


class TextSource:
    def __init__(self, data: bytes) -> None:
        self.data = data[len(codecs.BOM_UTF8) :] if data.startswith(codecs.BOM_UTF8) else data

    @classmethod
    def of(cls, data: bytes) -> TextSource | None:
        """The source when the bytes are UTF-8 throughout (checked a slice at a time, nothing kept), else None."""
        decoder = codecs.getincrementaldecoder("utf-8")()
        view = memoryview(data)
        try:
            for start in range(0, len(data), SLICE):
                decoder.decode(view[start : start + SLICE])
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return None
        return cls(data)

    def slices(self) -> Iterator[str]:
        """The text in order, with every line end as "\\n" (as decode_page leaves them)."""
        decoder = codecs.getincrementaldecoder("utf-8")()
        view, carried = memoryview(self.data), ""
        for start in range(0, len(self.data), SLICE):
            text = carried + decoder.decode(view[start : start + SLICE])
            text, carried = (text[:-1], "\r") if text.endswith("\r") else (text, "")
            yield _unix_lines(text)
        if rest := carried + decoder.decode(b"", final=True):
            yield _unix_lines(rest)

    def head(self, size: int) -> str:
        """About the first `size` characters (a character cut at the end is left out)."""
        return _unix_lines(self.data[: size * 4].decode("utf-8", errors="ignore")[:size])

    def text(self) -> str:
        """The whole text at once, for readers that need it (and for error messages)."""
        return _unix_lines(self.data.decode("utf-8"))

    def utf8(self) -> io.BytesIO:
        """The UTF-8 bytes as a file, for lxml (which needs no line ends changed); no copy is made."""
        return io.BytesIO(self.data)

    def count(self, needle: str) -> int:
        return self.data.count(needle.encode("utf-8"))

    def startswith(self, prefix: str) -> bool:
        return self.data.startswith(prefix.encode("utf-8"))


def _unix_lines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text
