"""Importing a PubMed export into a library of 100,000 works, end to end, written as a Markdown table.

    .venv/bin/python -m bench.import_records --output docs/benchmarks-import-records.md

The PubMed samples (MEDLINE text and PubMed XML, /work/shared/samples or $SHARED_DIR/samples) are
replicated to 10,000 and 50,000 records: each copy gets its own PMID, DOI and title (eight words drawn for
that copy put before the sample's title, so no two copies are near-duplicates), and one record in ten
is a work the library has: the same DOI, the same PMID (no DOI), or the same title, year and first author
(no identifier the library knows). The library is `seed_demo --works 100000` (every demo work given a
PMID), generated once into its own database (curation_import_base) and copied afresh for every run
(curation_import_run), so the developer's database is never touched and every run starts equal.

Each run is one child process: the preview (plan_records: read, parse, match against the library and the
file) and the import (import_records: decide again inside the transaction, write works, authors, field
origins, search hits, duplicate candidates, merge into existing works, refresh the search index, commit).
Both are given the file's path, as the command is, and read it from disk a slice at a time. Its peak
resident memory (VmHWM) is the whole process's: Django, a batch of parsed records, the plan and the writes.
Not ru_maxrss: a child keeps the high-water mark of the parent it was forked from, and the parent here holds
the files it generated and checked.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import platform
import random
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.django_setup import setup_django  # noqa: E402

BASE_DB = "curation_import_base"
RUN_DB = "curation_import_run"
WORKS = 100_000
SIZES = (10_000, 50_000)
FORMATS = ("medline", "pubmed-xml")
TARGET_RATE = 1_000  # records per second, end to end
TARGET_PREVIEW = 5.0  # seconds for the preview of 10,000 records
PMID_BASE = 30_000_000  # the demo works' PMIDs: this plus the work's id
BENCH_PMID = 40_000_000  # the file's own records: this plus the record's number
WORDS = [
    "acute",
    "lymphoblastic",
    "leukemia",
    "infant",
    "relapse",
    "marrow",
    "blast",
    "clone",
    "fusion",
    "kinase",
    "inhibitor",
    "minimal",
    "residual",
    "disease",
    "cohort",
    "trial",
    "remission",
    "induction",
    "consolidation",
    "maintenance",
    "transplant",
    "donor",
    "graft",
    "host",
    "immune",
    "therapy",
    "antibody",
    "bispecific",
    "chimeric",
    "antigen",
    "receptor",
    "cell",
    "lineage",
    "switch",
    "myeloid",
    "lymphoid",
    "precursor",
    "progenitor",
    "stem",
    "niche",
    "stroma",
    "chemokine",
    "signaling",
    "pathway",
    "mutation",
    "deletion",
    "amplification",
    "rearrangement",
    "translocation",
    "methylation",
    "chromatin",
    "enhancer",
    "promoter",
    "transcription",
    "factor",
    "network",
    "expression",
    "profile",
    "single",
    "sequencing",
    "genome",
    "exome",
    "variant",
    "germline",
    "somatic",
    "predisposition",
    "toxicity",
    "neuropathy",
    "pancreatitis",
    "thrombosis",
    "infection",
    "outcome",
    "survival",
    "hazard",
    "ratio",
    "risk",
    "stratification",
    "protocol",
    "dose",
    "intensity",
    "pediatric",
    "adolescent",
    "young",
    "adult",
    "elderly",
    "registry",
    "population",
    "incidence",
    "trend",
    "socioeconomic",
    "access",
    "barrier",
    "quality",
    "life",
    "fatigue",
    "cognition",
    "school",
    "family",
    "caregiver",
    "nutrition",
    "obesity",
    "microbiome",
    "metabolism",
    "asparaginase",
    "methotrexate",
    "mercaptopurine",
    "vincristine",
    "dexamethasone",
    "prednisone",
    "daunorubicin",
    "cytarabine",
    "blinatumomab",
    "inotuzumab",
    "venetoclax",
    "ruxolitinib",
    "dasatinib",
    "imatinib",
    "ponatinib",
    "tisagenlecleucel",
    "xenograft",
    "organoid",
    "model",
    "screen",
    "resistance",
    "sensitivity",
    "biomarker",
    "prognosis",
    "diagnosis",
    "imaging",
    "flow",
    "cytometry",
    "morphology",
    "karyotype",
]


@dataclass(frozen=True)
class Record:
    """What one record of the generated file says about itself."""

    pmid: str
    doi: str  # "": none
    title: str  # put before the sample's title, or instead of it when `whole_title`
    year: int
    family: str  # the first author's
    whole_title: bool = False


@dataclass(frozen=True)
class Known:
    """A library work that some records describe again."""

    doi: str
    pmid: str
    title: str
    year: int
    family: str


# --- the library -------------------------------------------------------------------------------------------


def ensure_library() -> float | None:
    """The base library in BASE_DB, generated unless present; returns the seconds generating took."""
    from django.core.management import call_command
    from django.db import connection

    from references.models import SourceDocument, Work

    generated = None
    if SourceDocument.objects.filter(page_kind="demo").count() < WORKS:
        started = time.perf_counter()
        call_command("seed_demo", "--works", str(WORKS), "--clear")
        generated = time.perf_counter() - started
    if Work.objects.filter(pmid="").exists():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE references_work SET pmid = (%s + id)::text WHERE pmid = ''", [PMID_BASE])
            # As autovacuum leaves a library in use: the rows just rewritten visible to index-only scans.
            cursor.execute("VACUUM (ANALYZE) references_work")
    return generated


def known_works(count: int) -> list[Known]:
    """`count` library works with a DOI, a title and a first author, chosen at random (seeded)."""
    from references.models import Contributor, Work

    rows = list(
        Work.objects.exclude(doi="")
        .exclude(title="")
        .filter(year__isnull=False)
        .order_by("pk")
        .values_list("pk", "doi", "pmid", "title", "year")
    )
    chosen = random.Random(14).sample(rows, count)
    families = dict(
        Contributor.objects.filter(
            work__in=[row[0] for row in chosen], position=1, role="author"
        ).values_list("work_id", "family")
    )
    return [
        Known(doi, pmid, title, year, families[pk]) for pk, doi, pmid, title, year in chosen if pk in families
    ]


# --- the file ----------------------------------------------------------------------------------------------


def records(size: int, known: list[Known]) -> list[Record]:
    """The records of a file of `size`: one in ten is a known work, by DOI, by PMID or by title. The others
    have a year and a first author drawn as the demo library draws them: copies sharing the sample's author
    and year would put thousands of records in one matching block, which no search export does."""
    from curation.demo.text import FAMILIES, random_year

    out = []
    for number in range(size):
        rng = random.Random(number)
        pmid, doi = str(BENCH_PMID + number), f"10.99999/import-bench.{number}"
        words = " ".join(rng.sample(WORDS, 8)).capitalize()
        year, family = random_year(rng), rng.choice(FAMILIES)
        if number % 10 == 9:
            work = known[number // 10]
            kind = (number // 10) % 3
            if kind == 0:  # the same DOI
                doi = work.doi
            elif kind == 1:  # the same PMID, no DOI
                pmid, doi = work.pmid, ""
            else:  # the same title, year and first author; no identifier the library knows
                out.append(Record(pmid, "", work.title, work.year, work.family, whole_title=True))
                continue
        out.append(Record(pmid, doi, words, year, family))
    return out


def _samples(format: str) -> list[Path]:
    from config.shared import shared_dir

    folder = "medline" if format == "medline" else "pubmed-xml"
    return sorted(path for path in (shared_dir() / "samples" / folder).iterdir() if path.is_file())


def write_file(format: str, specs: list[Record], path: Path) -> None:
    if format == "medline":
        _write_medline(specs, path)
    else:
        _write_pubmed_xml(specs, path)


_MEDLINE_FIELD_RE = re.compile(r"^([A-Z]{2,4})\s*- ")


def _medline_templates() -> list[list[tuple[str, list[str]]]]:
    """Each sample record as its fields in order: (tag, lines)."""
    templates = []
    for path in _samples("medline"):
        text = path.read_text(encoding="utf-8")
        for block in re.split(r"\n\s*\n(?=PMID-)", text.strip()):
            fields: list[tuple[str, list[str]]] = []
            for line in block.splitlines():
                if match := _MEDLINE_FIELD_RE.match(line):
                    fields.append((match.group(1), [line]))
                elif fields and line.strip():
                    fields[-1][1].append(line)
            templates.append(fields)
    return templates


def _medline_record(fields: list[tuple[str, list[str]]], spec: Record) -> str:
    lines, author_done = [], {"FAU": False, "AU": False}
    for tag, field_lines in fields:
        first = field_lines[0]
        if tag == "PMID":
            lines.append(f"PMID- {spec.pmid}")
        elif tag == "TI":
            original = " ".join(line.strip() for line in field_lines)[6:].strip()
            title = spec.title if spec.whole_title else f"{spec.title}: {original}"
            lines.append(f"TI  - {title}")
        elif tag == "PMC":  # the sample's PMCID, kept in every copy, would make them one work
            lines.append(f"PMC - PMC{spec.pmid}")
        elif tag in ("LID", "AID") and first.endswith("[doi]"):
            continue
        elif tag == "DP":
            lines.append(re.sub(r"\d{4}", str(spec.year), first, count=1))
        elif tag in author_done and not author_done[tag]:
            author_done[tag] = True
            given = first[6:].split(",", 1)[1].strip() if tag == "FAU" else first[6:].rsplit(" ", 1)[-1]
            lines.append(
                f"{tag:<4}- {spec.family}, {given}" if tag == "FAU" else f"AU  - {spec.family} {given}"
            )
        else:
            lines.extend(field_lines)
    if spec.doi:
        lines.append(f"AID - {spec.doi} [doi]")
    return "\n".join(lines)


def _write_medline(specs: list[Record], path: Path) -> None:
    templates = _medline_templates()
    with path.open("w", encoding="utf-8") as out:
        for number, spec in enumerate(specs):
            out.write("\n" + _medline_record(templates[number % len(templates)], spec) + "\n")


def _xml_templates():
    from lxml import etree

    templates = []
    for path in _samples("pubmed-xml"):
        root = etree.parse(str(path)).getroot()
        templates.extend(child for child in root if child.tag in ("PubmedArticle", "PubmedBookArticle"))
    return templates


def _xml_record(template, spec: Record) -> bytes:
    from lxml import etree

    record = copy.deepcopy(template)
    book = record.tag == "PubmedBookArticle"
    record.find(".//PMID").text = spec.pmid
    ids = record.find("PubmedBookData/ArticleIdList" if book else "PubmedData/ArticleIdList")
    for found in list(ids):
        if found.get("IdType") == "doi":
            ids.remove(found)
        elif found.get("IdType") == "pubmed":
            found.text = spec.pmid
    for found in record.findall(".//ELocationID[@EIdType='doi']"):
        found.getparent().remove(found)
    if spec.doi:
        etree.SubElement(ids, "ArticleId", IdType="doi").text = spec.doi
    title = record.find("BookDocument/Book/BookTitle" if book else "MedlineCitation/Article/ArticleTitle")
    title.text = spec.title if spec.whole_title else f"{spec.title}: {title.text}"
    record.find(".//PubDate/Year").text = str(spec.year)
    record.find(".//AuthorList/Author/LastName").text = spec.family
    return etree.tostring(record, encoding="utf-8")


def _write_pubmed_xml(specs: list[Record], path: Path) -> None:
    # The book's first author is a body, not a person: it cannot take a drawn family name.
    templates = [t for t in _xml_templates() if t.find(".//AuthorList/Author[1]/LastName") is not None]
    with path.open("wb") as out:
        out.write(b'<?xml version="1.0" encoding="UTF-8"?>\n<PubmedArticleSet>\n')
        for number, spec in enumerate(specs):
            out.write(_xml_record(templates[number % len(templates)], spec) + b"\n")
        out.write(b"</PubmedArticleSet>\n")


def check_file(path: Path, format: str, specs: list[Record]) -> None:
    """The product's reader finds in the file what was written into it, record by record."""
    from references.importers import decode_page
    from references.refparse import parse_reference_list

    parsed = parse_reference_list(decode_page(path.read_bytes()).text, format=format)
    assert len(parsed.references) == len(specs) and not parsed.problems, (len(parsed.references), len(specs))
    for ref, spec in zip(parsed.references, specs, strict=True):
        assert (ref.pmid, ref.doi.lower()) == (spec.pmid, spec.doi.lower()), (ref.pmid, ref.doi, spec)
        assert ref.title.startswith(spec.title.rstrip(".")), (ref.title, spec.title)
        assert ref.year == spec.year and ref.authors[0].family == spec.family, (
            ref.year,
            ref.authors[:1],
            spec,
        )


# --- one run -----------------------------------------------------------------------------------------------


def measure(path: Path, format: str) -> dict:
    """In a child process on a fresh copy of the library: preview, then import, timed; peak memory."""
    # As in production: with DEBUG on, Django keeps the text of the last 9,000 queries.
    setup_django(RUN_DB, ENRICH_AFTER_IMPORT="false", DEBUG="false", SECRET_KEY="bench-only")
    from references.models import ImportBatch, Work
    from references.pipeline.records import SearchDetails, import_file, plan_records

    rss_ready = _rss_mb()
    works_before = Work.objects.count()
    started = time.perf_counter()
    plan = plan_records(path, file_name=path.name, format=format)
    planned = time.perf_counter()
    summary = plan.summary()
    del plan  # the import reads the file itself, as the command and the worker do
    _, search = import_file(
        path,
        file_name=path.name,
        format=format,
        details=SearchDetails(label=f"bench {path.name}", database="PubMed"),
        user=None,
        origin=ImportBatch.Origin.COMMAND,
        accept_losses=True,
    )
    finished = time.perf_counter()
    return {
        "records": summary["records"],
        "new": summary["new"],
        "merged": summary["merged"],
        "in_file": summary["duplicates_in_file"],
        "possible": summary["possible_duplicates"],
        "skipped": summary["skipped"],
        "added": Work.objects.count() - works_before,
        "hits": search.hits.count(),
        "input_mb": path.stat().st_size / 1e6,
        "preview": planned - started,
        "import": finished - planned,
        "rss_ready_mb": rss_ready,
        "peak_rss_mb": _rss_mb("VmHWM:"),
    }


def _rss_mb(field: str = "VmRSS:") -> float:
    """The process's resident memory now (VmRSS) or at its highest (VmHWM), in MB."""
    line = next(line for line in Path("/proc/self/status").read_text().splitlines() if line.startswith(field))
    return int(line.split()[1]) / 1024


def _fresh_copy() -> None:
    """RUN_DB as a copy of BASE_DB (nobody may be connected to BASE_DB meanwhile)."""
    from django.db import connections

    connections.close_all()
    options = ["-h", "127.0.0.1", "-U", "postgres"]
    subprocess.run(["dropdb", *options, "--if-exists", RUN_DB], check=True)
    subprocess.run(["createdb", *options, "-T", BASE_DB, RUN_DB], check=True)


def _in_child(path: Path, format: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-m", "bench.import_records", "--child", format, str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    if result.returncode:
        raise RuntimeError(result.stderr[-3000:])
    return json.loads(result.stdout.strip().splitlines()[-1])


# --- the report --------------------------------------------------------------------------------------------


def report(sizes: tuple[int, ...], formats: tuple[str, ...]) -> str:
    setup_django(BASE_DB, ENRICH_AFTER_IMPORT="false")
    generated = ensure_library()
    known = known_works(max(sizes) // 10)
    load_before = os.getloadavg()
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for format in formats:
            for size in sizes:
                specs = records(size, known)
                path = Path(folder) / f"pubmed-{size}.{'nbib' if format == 'medline' else 'xml'}"
                write_file(format, specs, path)
                check_file(path, format, specs)
                expected = sum(1 for number in range(size) if number % 10 == 9)
                _fresh_copy()
                result = _in_child(path, format)
                result.update(format=format, size=size, expected_merged=expected)
                rows.append(result)
                print(json.dumps(result), flush=True)
                path.unlink()
    return _markdown(rows, load_before, os.getloadavg(), generated)


def _markdown(rows: list[dict], load_before, load_after, generated: float | None) -> str:
    lines = [
        "# Importing a PubMed export into a library of 100,000 works",
        "",
        f"`python -m bench.import_records` on {platform.node()} ({os.cpu_count()} cores, shared), PostgreSQL on "
        f"the same machine; load average {load_before[0]:.2f} / {load_before[1]:.2f} / {load_before[2]:.2f} "
        f"(1, 5, 15 min) before the runs, {load_after[0]:.2f} / {load_after[1]:.2f} / {load_after[2]:.2f} after.",
        "",
        "The file: the PubMed samples (MEDLINE text: 6 records; PubMed XML: 5 records, one a book) replicated, "
        "each copy with its own PMID, DOI and a title of its own (eight words drawn for the copy before the "
        "sample's title); one record in ten is a work of the library, a third each by the same DOI, the same "
        "PMID without a DOI, and the same title, year and first author without an identifier the library "
        "knows. The library: `seed_demo --works 100000` (100,000 works with authors, a million citations, "
        "tags; every work given a PMID), copied afresh for every run. Before each run the generated file is "
        "read back with the product's reader and checked record by record (PMID, DOI, title, year, author).",
        "",
        "**Preview** is `plan_records` (read the file from disk, parse, match every record against the library and the "
        "file's earlier records), what the import page shows. **Import** is `import_file`, what the command "
        "and the worker run: read and parse the file, match every record inside the transaction under the "
        "import lock, create works, authors and field origins, fill blanks of the merged works, search hits, "
        "duplicate candidates, refresh the search index, commit. **End to end** is records / import. "
        "**Peak memory** is the child process's VmHWM (one process per "
        "run: Python, Django, a batch of parsed records, the plan, the writes); **at start** is "
        "its resident size once Django was set up, before the file was read. The file is read from disk a slice "
        "at a time and decided 2,000 records at a time; the file's earlier records wait in a temporary table.",
        "",
        "| format | records | file | new | merged (expected) | in file | possible | preview | import "
        "| end to end | peak memory | at start |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        rate = row["records"] / row["import"]
        lines.append(
            f"| {row['format']} | {row['records']:,} | {row['input_mb']:.1f} MB | {row['new']:,} | "
            f"{row['merged']:,} ({row['expected_merged']:,}) | {row['in_file']:,} | {row['possible']:,} | "
            f"{row['preview']:.1f} s | {row['import']:.1f} s | {rate:,.0f} records/s | "
            f"{row['peak_rss_mb']:.0f} MB | {row['rss_ready_mb']:.0f} MB |"
        )
    lines += ["", *_verdict(rows)]
    if generated is not None:
        lines += ["", f"Generating the library took {generated / 60:.1f} minutes."]
    return "\n".join(lines) + "\n"


def _verdict(rows: list[dict]) -> list[str]:
    out = []
    for row in rows:
        if row["size"] != min(SIZES):
            continue
        rate = row["records"] / row["import"]
        out.append(
            f"- {row['format']}, {row['records']:,} records: {rate:,.0f} records per second end to end "
            f"(target at least {TARGET_RATE:,}: {'met' if rate >= TARGET_RATE else 'NOT met'}); preview "
            f"{row['preview']:.1f} s (target at most {TARGET_PREVIEW:.0f} s: "
            f"{'met' if row['preview'] <= TARGET_PREVIEW else 'NOT met'})."
        )
    for format in dict.fromkeys(row["format"] for row in rows):
        sized = sorted((row for row in rows if row["format"] == format), key=lambda row: row["size"])
        if len(sized) > 1:
            small, large = sized[0], sized[-1]
            growth = (
                (large["peak_rss_mb"] - small["peak_rss_mb"]) / (large["records"] - small["records"]) * 1e6
            )
            out.append(
                f"- {format}, peak memory: {small['peak_rss_mb']:.0f} MB for {small['records']:,} records, "
                f"{large['peak_rss_mb']:.0f} MB for {large['records']:,} ({growth / 1e3:.1f} KB more a record; "
                f"the file is {large['input_mb'] / large['records'] * 1e3:.1f} KB a record)."
            )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--output", type=Path, default=Path("docs/benchmarks-import-records.md"))
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--formats", nargs="+", default=list(FORMATS), choices=FORMATS)
    parser.add_argument("--child", nargs=2, metavar=("FORMAT", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(Path(args.child[1]), args.child[0])))
        return
    text = report(tuple(args.sizes), tuple(args.formats))
    args.output.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
