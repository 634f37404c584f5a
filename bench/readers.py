"""Records read per second and peak memory for each structured format, written as a Markdown table.

    .venv/bin/python -m bench.readers --output docs/benchmarks-readers.md

For every format in references.refparse.formats.FORMATS, the largest file of /work/shared/samples (or
$SHARED_DIR/samples) that detect_format gives that format is replicated to at least 10,000 records and read
with parse_reference_list(text, format=...). Each format runs in a fresh single-threaded process (one core),
so its peak resident memory is its own. Plain Python: Django is not imported.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from config.shared import shared_dir  # noqa: E402

TARGET_RECORDS = 10_000
ROUNDS = 5
TARGET_RATE = 5_000
TARGET_FORMATS = ("pubmed-xml", "medline", "ris", "csv")
_BIBTEX_KEY_RE = re.compile(r"(@\w+\s*[{(]\s*)([^,\s{}()=]+)(\s*,)")
_BIBTEX_LINK_RE = re.compile(r"(\b(?:crossref|xdata)\s*=\s*[{\"])([^}\"]+)", re.IGNORECASE)


def samples_by_format() -> dict[str, Path]:
    """The largest sample file of each format, as the product detects it."""
    from references.importers import PageRejected, decode_page
    from references.refparse import Unreadable
    from references.refparse.formats import detect_format

    found: dict[str, Path] = {}
    for path in sorted((shared_dir() / "samples").rglob("*")):
        if not path.is_file() or path.suffix == ".md":
            continue
        try:
            format = detect_format(decode_page(path.read_bytes()).text)
        except (PageRejected, Unreadable):
            continue
        if format != "text" and (format not in found or path.stat().st_size > found[format].stat().st_size):
            found[format] = path
    return found


def replicate(text: str, format: str, copies: int) -> str:
    """`copies` copies of a file's records in one valid file of the same format."""
    if format == "pubmed-xml":
        return _replicate_between(
            text,
            re.search(r"<PubmedArticle[\s>]|<PubmedBookArticle[\s>]", text),
            "</PubmedArticleSet>",
            copies,
        )
    if format == "endnote-xml":
        return _replicate_between(text, re.search(r"<records>", text), "</records>", copies, inside=True)
    if format == "csljson":
        items = json.loads(text)
        return json.dumps((items if isinstance(items, list) else [items]) * copies)
    if format == "csv":
        header, _, rows = text.partition("\n")
        return header + "\n" + (rows.rstrip("\n") + "\n") * copies
    if format == "bibtex":
        return "\n\n".join(_bibtex_copy(text, number) for number in range(copies))
    return "\n\n".join([text.strip("\n")] * copies) + "\n"


def _replicate_between(text: str, start: re.Match | None, end: str, copies: int, inside: bool = False) -> str:
    if start is None or end not in text:
        return text * copies
    cut = start.end() if inside else start.start()
    stop = text.rindex(end)
    return text[:cut] + text[cut:stop] * copies + text[stop:]


def _bibtex_copy(text: str, number: int) -> str:
    """Keys made distinct per copy (crossref/xdata links follow), as a real large library has them."""
    renamed = _BIBTEX_KEY_RE.sub(lambda m: f"{m.group(1)}{m.group(2)}-{number}{m.group(3)}", text)
    return _BIBTEX_LINK_RE.sub(
        lambda m: m.group(1) + ",".join(f"{key.strip()}-{number}" for key in m.group(2).split(",")), renamed
    )


def measure(format: str, path: Path) -> dict:
    """Run in a child process: build the big text, read it ROUNDS times, report rates and memory."""
    from references.importers import decode_page
    from references.refparse import parse_reference_list

    text = decode_page(path.read_bytes()).text
    per_copy = len(parse_reference_list(text, format=format).references)
    big = replicate(text, format, math.ceil(TARGET_RECORDS / max(per_copy, 1)))
    before = _rss_mb()
    cpu, wall, count = [], [], 0
    for _ in range(ROUNDS):
        started_cpu, started_wall = time.process_time(), time.perf_counter()
        parsed = parse_reference_list(big, format=format)
        cpu.append(time.process_time() - started_cpu)
        wall.append(time.perf_counter() - started_wall)
        count = len(parsed.references)
        del parsed
    return {
        "records": count,
        "per_copy": per_copy,
        "input_mb": len(big.encode()) / 1e6,
        "cpu_rate": count / min(cpu),
        "wall_rate": count / min(wall),
        "rss_before_mb": before,
        "peak_rss_mb": _rss_mb("VmHWM:"),
    }


def _rss_mb(field: str = "VmRSS:") -> float:
    """The process's resident memory now (VmRSS) or at its highest (VmHWM: ru_maxrss would count the parent's
    it was forked from), in MB."""
    status = Path("/proc/self/status")
    if not status.exists():
        return float("nan")
    line = next(line for line in status.read_text().splitlines() if line.startswith(field))
    return int(line.split()[1]) / 1024


def _in_child(format: str, path: Path) -> dict:
    result = subprocess.run(
        [sys.executable, "-m", "bench.readers", "--child", format, str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def report() -> str:
    from references.refparse.formats import FORMATS

    samples = samples_by_format()
    load_before = os.getloadavg()[0]
    rows, results = [], {}
    for format in FORMATS:
        path = samples.get(format)
        if path is None:
            rows.append(f"| {format} | (no sample file of this format) | | | | | | |")
            continue
        print(f"{format}: {path.name} ...", file=sys.stderr)
        result = results[format] = _in_child(format, path)
        rows.append(
            f"| {format} | `{path.parent.name}/{path.name}` × {math.ceil(result['records'] / max(result['per_copy'], 1)):,} "
            f"| {result['records']:,} | {result['input_mb']:.1f} | **{result['cpu_rate']:,.0f}** "
            f"| {result['wall_rate']:,.0f} | {result['peak_rss_mb']:.0f} | {result['rss_before_mb']:.0f} |"
        )
    met = [name for name in TARGET_FORMATS if name in results and results[name]["cpu_rate"] >= TARGET_RATE]
    missed = [name for name in TARGET_FORMATS if name in results and name not in met]
    absent = [name for name in TARGET_FORMATS if name not in results]
    lines = [
        "# Reading bibliographic files: records per second and memory",
        "",
        "| format | file, replicated | records | input (MB) | records/s (CPU) | records/s (wall) "
        "| peak RSS (MB) | RSS before reading (MB) |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        *rows,
        "",
        f"Each format's largest sample file (by `detect_format`) is replicated to at least {TARGET_RECORDS:,} "
        "records (XML and JSON records inside one root, a CSV header once, BibTeX keys made distinct per copy, "
        "other formats concatenated) and read with `parse_reference_list(text, format=...)` "
        f"{ROUNDS} times in a fresh single-threaded process (one core); rates are records over the fastest round (the least disturbed, as timeit advises), "
        "in CPU seconds of that process (the fairer measure on a shared machine) and in wall seconds. "
        "Peak RSS is the process's high-water mark (VmHWM): the interpreter, the replicated text, and the readers' work; "
        "'RSS before reading' is what the process held once the text was built.",
        "",
        f"Target: at least {TARGET_RATE:,} records per second (CPU) for {', '.join(TARGET_FORMATS)}. "
        f"Met: {', '.join(met) or 'none'}."
        + (f" Missed: {', '.join(missed)}." if missed else "")
        + (f" Not measured (no reader or sample yet): {', '.join(absent)}." if absent else ""),
        "",
        f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} cores; load average "
        f"{load_before:.1f} at the start and {os.getloadavg()[0]:.1f} at the end (other work shares the machine).",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--output", type=Path, help="also write the Markdown here")
    parser.add_argument("--child", nargs=2, metavar=("FORMAT", "PATH"), help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child:
        print(json.dumps(measure(arguments.child[0], Path(arguments.child[1]))))
        return
    text = report()
    print(text)
    if arguments.output:
        arguments.output.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
