"""A file's records read a batch at a time, so that an import holds one batch of them, not the file's."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from .formats import STREAMED, detect_format, stream_structured
from .formats.sniff import refuse_binary
from .limits import check_limits
from .records import ParsedReference, Problem
from .source import TextSource

HEAD = 1 << 20  # characters: what a large file's format is told from


@dataclass
class RecordStream:
    format: str
    references: Iterator[ParsedReference]
    problems: list[Problem]  # entries that could not be read, as reading reaches them
    expected: int = 0  # about how many records the file holds

    def batches(self, size: int) -> Iterator[list[ParsedReference]]:
        batch: list[ParsedReference] = []
        for reference in self.references:
            check_limits(reference)
            batch.append(reference)
            if len(batch) == size:
                yield batch
                batch = []
        if batch:
            yield batch


def stream_records(text: str | TextSource, *, format: str | None = None) -> RecordStream:
    """The records of a structured file as they are read; a plain-text list comes back as format "text" with
    nothing to read (it is parsed whole, by parse_reference_list). Unreadable when no reader can.

    A TextSource whose start reads as one of the formats read a record at a time is read so, a slice at a time;
    any other is read whole."""
    given = {"doi": "ids"}.get(format, format)
    if isinstance(text, TextSource):
        head = text.head(HEAD)
        refuse_binary(head)
        if (format := given or detect_format(head)) in STREAMED:
            return RecordStream(format, *stream_structured(text, format))
        text = text.text()
    refuse_binary(text)
    format = given or detect_format(text)
    if format == "text":
        return RecordStream("text", iter(()), [])
    return RecordStream(format, *stream_structured(text, format))
