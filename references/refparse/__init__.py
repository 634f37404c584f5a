"""Reference lists in every common format -> ParsedList. Plain Python: no ORM, no HTTP."""

from .collector import collector_paused
from .formats import FORMATS, detect_format, parse_structured
from .formats.sniff import refuse_binary
from .limits import within_limits
from .records import ParsedList, ParsedReference, Unreadable
from .text import parse_reference, parse_text_list

# "doi" is the design's name for a list of DOIs / PMIDs / PMCIDs.
FORMAT_CHOICES = ("text", *(name for name in FORMATS if name != "ids"), "doi")

__all__ = [
    "FORMAT_CHOICES",
    "ParsedList",
    "ParsedReference",
    "Unreadable",
    "parse_reference",
    "parse_reference_list",
]


def parse_reference_list(text: str, *, format: str | None = None) -> ParsedList:
    """Parse a pasted or uploaded list; the format is detected unless named. Unreadable when no reader can."""
    refuse_binary(text)
    format = {"doi": "ids"}.get(format, format) or detect_format(text)
    with collector_paused():
        return within_limits(parse_text_list(text) if format == "text" else parse_structured(text, format))
