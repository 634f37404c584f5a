"""PRISMA 2020 numbers for the searches the library was built from, and their flow diagram as SVG.

Numbers in, numbers (or SVG text) out: no ORM, no HTTP. Per search, the records identified are the records
its export held; duplicates removed are those of an earlier record of the same file and those of a work
already in the library; the records screened are the works the search added. Over all searches the records
and duplicates add up, while the works found and tagged are distinct works (two searches finding one work
count it once), so they are given, not summed."""

from __future__ import annotations

import re
import textwrap
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass

UNNAMED_DATABASE = "Database not named"
MAX_DATABASES = 10  # the diagram names this many; the rest are counted together


@dataclass(frozen=True)
class SearchFlow:
    """One search's numbers."""

    label: str
    database: str
    reported: int | None  # records the database said it found, when the curator gave it
    records: int
    duplicates_in_file: int
    duplicates_in_library: int
    unreadable: int
    added: int
    works: int  # works found by the search now (after curators' merges)
    tagged: int  # of those, works with an accepted annotation
    pending: int  # possible duplicate pairs the search raised, awaiting a curator

    @property
    def duplicates(self) -> int:
        return self.duplicates_in_file + self.duplicates_in_library

    @property
    def screened(self) -> int:
        return self.added


@dataclass(frozen=True)
class DatabaseCount:
    name: str
    records: int
    reported: int | None  # None unless every search of the database gave its count


@dataclass(frozen=True)
class Overall:
    """Every search together."""

    searches: int
    records: int
    duplicates_in_file: int
    duplicates_in_library: int
    unreadable: int
    screened: int
    works: int
    tagged: int
    pending: int
    databases: tuple[DatabaseCount, ...]

    @property
    def duplicates(self) -> int:
        return self.duplicates_in_file + self.duplicates_in_library


def overall(flows: Iterable[SearchFlow], *, works: int, tagged: int, pending: int) -> Overall:
    """The searches' sums, with the distinct works found, tagged and pairs pending counted by the caller."""
    flows = list(flows)
    return Overall(
        searches=len(flows),
        records=sum(f.records for f in flows),
        duplicates_in_file=sum(f.duplicates_in_file for f in flows),
        duplicates_in_library=sum(f.duplicates_in_library for f in flows),
        unreadable=sum(f.unreadable for f in flows),
        screened=sum(f.screened for f in flows),
        works=works,
        tagged=tagged,
        pending=pending,
        databases=by_database(flows),
    )


def by_database(flows: Iterable[SearchFlow]) -> tuple[DatabaseCount, ...]:
    """Records per database, most first; a database's reported count only when each of its searches has one."""
    grouped: dict[str, list[SearchFlow]] = {}
    for flow in flows:
        grouped.setdefault(flow.database.strip() or UNNAMED_DATABASE, []).append(flow)
    counts = [
        DatabaseCount(
            name,
            sum(f.records for f in group),
            None if any(f.reported is None for f in group) else sum(f.reported for f in group),
        )
        for name, group in grouped.items()
    ]
    return tuple(sorted(counts, key=lambda c: (-c.records, c.name.casefold())))


# Drawing. Sizes in pixels; text widths are estimated (about 0.52 em a character in a sans-serif face).
WIDTH = 860
BAND_X, BAND_W = 14, 34
LEFT_X, LEFT_W = 64, 390
RIGHT_X, RIGHT_W = 504, 340
FONT, LINE, PAD, GAP, INDENT = 14, 19, 12, 36, 16
MIN_HEIGHT = 84  # the phase's name fits its band
CHAR = FONT * 0.52
BOX = {"fill": "#ffffff", "stroke": "#1f2933", "stroke-width": "1.5"}
BAND = {"fill": "#a9c9e8", "stroke": "#4a76a8", "stroke-width": "1"}
HEADER = {"fill": "#f6d860", "stroke": "#8a6d00", "stroke-width": "1"}
INK = "#1f2933"
# Characters XML 1.0 cannot carry, even escaped: user labels may hold them.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class Line:
    text: str
    bold: bool = False
    indent: bool = False


def flow_diagram(total: Overall) -> str:
    """The PRISMA 2020 flow diagram for a new review that searched databases, as a standalone SVG document."""
    rows = [
        ("Identification", _identified(total), _removed(total)),
        ("Screening", _screened(total), _awaiting(total)),
        ("Included", _included(total), None),
    ]
    svg = ET.Element(
        "svg",
        xmlns="http://www.w3.org/2000/svg",
        role="img",
        **{"aria-labelledby": "prisma-title", "font-family": "Helvetica, Arial, sans-serif"},
    )
    ET.SubElement(svg, "title", id="prisma-title").text = "PRISMA 2020 flow diagram of the library's searches"
    _arrowhead(ET.SubElement(svg, "defs"))
    _box(svg, LEFT_X, 12, RIGHT_X + RIGHT_W - LEFT_X, 40, [Line(_HEADING, bold=True)], HEADER, centred=True)
    y, previous_bottom = 12 + 40 + 24, None
    for phase, left, right in rows:
        left_h, right_h = _height(left), _height(right)
        row_h = max(left_h, right_h)
        _band(svg, y, row_h, phase)
        _box(svg, LEFT_X, y, LEFT_W, left_h, left, BOX)
        if previous_bottom is not None:
            _arrow(svg, LEFT_X + LEFT_W / 2, previous_bottom, LEFT_X + LEFT_W / 2, y)
        if right:
            _box(svg, RIGHT_X, y, RIGHT_W, right_h, right, BOX)
            middle = y + min(left_h, right_h) / 2
            _arrow(svg, LEFT_X + LEFT_W, middle, RIGHT_X, middle)
        previous_bottom = y + left_h
        y += row_h + GAP
    height = int(y - GAP + 14)
    svg.set("width", str(WIDTH))
    svg.set("height", str(height))
    svg.set("viewBox", f"0 0 {WIDTH} {height}")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(svg, encoding="unicode") + "\n"


_HEADING = "Identification of studies via databases"


def _identified(total: Overall) -> list[Line]:
    lines = [Line(f"Records identified from databases (n = {total.records})", bold=True)]
    shown = total.databases[:MAX_DATABASES]
    for database in shown:
        reported = f"; the database reported {database.reported}" if database.reported is not None else ""
        lines += _wrapped(f"{database.name}: n = {database.records}{reported}", LEFT_W)
    rest = total.databases[MAX_DATABASES:]
    if rest:
        lines.append(Line(f"{len(rest)} other databases: n = {sum(d.records for d in rest)}", indent=True))
    lines.append(Line(f"Searches: {total.searches}"))
    return lines


def _removed(total: Overall) -> list[Line]:
    lines = [
        Line("Records removed before screening:", bold=True),
        Line(f"Duplicate records (n = {total.duplicates})"),
        Line(f"within the same export (n = {total.duplicates_in_file})", indent=True),
        Line(f"already in the library (n = {total.duplicates_in_library})", indent=True),
    ]
    if total.unreadable:
        lines.append(Line(f"Unreadable records left out (n = {total.unreadable})"))
    return lines


def _screened(total: Overall) -> list[Line]:
    return [
        Line(f"Records screened (n = {total.screened})", bold=True),
        Line("each a new work in the library"),
    ]


def _awaiting(total: Overall) -> list[Line]:
    return [
        Line(f"Possible duplicates (n = {total.pending})", bold=True),
        Line("pairs awaiting a curator"),
    ]


def _included(total: Overall) -> list[Line]:
    return [
        Line(f"Works tagged so far (n = {total.tagged})", bold=True),
        Line(f"of {total.works} distinct works the searches found"),
    ]


def _wrapped(text: str, box_width: float, *, most: int = 2) -> list[Line]:
    """User text, indented, on at most `most` lines of the box, cut with an ellipsis past them."""
    per_line = int((box_width - 2 * PAD - INDENT) / CHAR)
    lines = textwrap.wrap(_clean(text), per_line) or [""]
    if len(lines) > most:
        lines = [*lines[: most - 1], lines[most - 1][: per_line - 1] + "…"]
    return [Line(line, indent=True) for line in lines]


def _clean(text: str) -> str:
    return " ".join(_NOT_XML.sub("", text).split())


def _height(lines: list[Line] | None) -> int:
    return max(2 * PAD + LINE * len(lines), MIN_HEIGHT) if lines else 0


def _box(
    svg: ET.Element, x: float, y: float, w: float, h: float, lines: list[Line], look: dict, *, centred=False
) -> None:
    group = ET.SubElement(svg, "g", {"class": "prisma-box"})
    ET.SubElement(group, "rect", _numbers(x=x, y=y, width=w, height=h, rx=4), **look)
    for i, line in enumerate(lines):
        baseline = y + PAD + FONT + i * LINE - (LINE - FONT) / 2
        where = _numbers(x=x + w / 2 if centred else x + PAD + INDENT * line.indent, y=baseline)
        text = ET.SubElement(group, "text", where, fill=INK, **{"font-size": str(FONT)})
        if centred:
            text.set("text-anchor", "middle")
        if line.bold:
            text.set("font-weight", "bold")
        text.text = _clean(line.text)


def _band(svg: ET.Element, y: float, h: float, phase: str) -> None:
    ET.SubElement(svg, "rect", _numbers(x=BAND_X, y=y, width=BAND_W, height=h, rx=4), **BAND)
    cx, cy = BAND_X + BAND_W / 2, y + h / 2
    text = ET.SubElement(
        svg,
        "text",
        _numbers(x=cx, y=cy + FONT / 3),
        fill=INK,
        transform=f"rotate(-90 {cx:g} {cy:g})",
        **{"font-size": str(FONT), "font-weight": "bold", "text-anchor": "middle"},
    )
    text.text = phase


def _arrowhead(defs: ET.Element) -> None:
    marker = ET.SubElement(
        defs,
        "marker",
        id="prisma-arrow",
        viewBox="0 0 10 10",
        refX="10",
        refY="5",
        markerWidth="8",
        markerHeight="8",
        orient="auto",
    )
    ET.SubElement(marker, "path", d="M 0 0 L 10 5 L 0 10 z", fill=INK)


def _arrow(svg: ET.Element, x1: float, y1: float, x2: float, y2: float) -> None:
    ET.SubElement(
        svg,
        "line",
        _numbers(x1=x1, y1=y1, x2=x2, y2=y2),
        stroke=INK,
        **{"stroke-width": "1.5", "marker-end": "url(#prisma-arrow)"},
    )


def _numbers(**values: float) -> dict[str, str]:
    return {name: f"{value:g}" for name, value in values.items()}
