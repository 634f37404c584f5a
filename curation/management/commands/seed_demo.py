"""A realistic synthetic library for demos and load tests: works about childhood, infant and relapsed ALL,
with the term frequencies of the literature (curation.demo.text: most findings named by under 5 % of the
works, relapse and chemotherapy by about a quarter), of any size.

    manage.py seed_demo [--works 100000] [--citations-per-work 10] [--seed 1]
    manage.py seed_demo --works 300000           # about 20 minutes and 2 GB on two busy cores
    manage.py seed_demo --clear                  # remove the demo data, nothing else
    manage.py seed_demo --clear --works 5000     # replace it

Every demo work is an imported source: its SourceDocument has page_kind "demo" and a file name starting
with "demo-", which is what --clear goes by; most demo works also have a DOI under 10.5555/demo.
Rows go in with PostgreSQL COPY; the full-text vectors are then refreshed in chunks and the tables analysed.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

from curation.demo.library import (
    BATCH,
    CITATION_COLUMNS,
    CITED_COLUMNS,
    DEFAULT_WORKS,
    DEMO_MODELS,
    HISTORY,
    STAMP_COLUMNS,
    VECTOR_CHUNK,
    Copier,
    DemoWork,
    Generator,
    analyze,
    clear_demo,
    demo_documents,
    reserve_ids,
)
from curation.models import Annotation
from curation.reading import Vocabulary
from references.models import Citation, Contributor, IndexedWork, SourceDocument, Work
from references.search import indexing


class Command(BaseCommand):
    help = (
        "Generate (or with --clear, remove) a synthetic library of demo works about infant and relapsed ALL."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--works", type=int, default=None, help=f"Works to create (default {DEFAULT_WORKS:,})."
        )
        parser.add_argument("--citations-per-work", type=int, default=10)
        parser.add_argument(
            "--seed", type=int, default=1, help="Random seed: the same seed gives the same library."
        )
        parser.add_argument(
            "--clear", action="store_true", help="Remove the demo data first; alone, only remove it."
        )

    def handle(self, *args, **options) -> None:
        self.started = time.monotonic()
        if options["clear"]:
            with self.phase("clear"):
                removed = clear_demo()
            self.say(f"Removed {removed:,} demo works and everything attached to them.")
            if options["works"] is None:
                return
        works = DEFAULT_WORKS if options["works"] is None else options["works"]
        if works < 0:
            raise CommandError("--works cannot be negative.")
        if works == 0:
            return
        if demo_documents().exists():
            raise CommandError(
                "Demo data is already present: run with --clear (and --works N to replace it)."
            )
        self.seed(works, max(0, options["citations_per_work"]), options["seed"])
        self.say(f"Done in {time.monotonic() - self.started:.1f} s.")

    def seed(self, count: int, per_work: int, seed: int) -> None:
        vocabulary = Vocabulary.load()
        findings = {label: finding.pk for label, finding in vocabulary.findings.items()}
        generator = Generator(seed, vocabulary.matcher, findings)
        copiers = {model: Copier(model) for model in DEMO_MODELS}
        with transaction.atomic():
            ids = reserve_ids(Work, count)
            with self.phase("works, authors, documents, annotations"):
                works = self.write_works(generator, ids, copiers)
            with self.phase("citations"):
                names = (*CITATION_COLUMNS, *CITED_COLUMNS, *STAMP_COLUMNS)
                copiers[Citation].copy_lines(names, generator.citation_lines(works, per_work))
            # The foreign keys are checked at commit; run those checks now, to time them on their own.
            with self.phase("foreign key checks"), connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        self.say(", ".join(f"{c.rows:,} {m._meta.verbose_name_plural}" for m, c in copiers.items()))
        with self.phase("search index"):
            self.index(ids)
        with self.phase("analyze"):
            analyze((*DEMO_MODELS, IndexedWork))

    def write_works(self, generator: Generator, ids: list[int], copiers: dict) -> list[DemoWork]:
        works: list[DemoWork] = []
        for start in range(0, len(ids), BATCH):
            batch = [generator.work(pk, start + i + 1) for i, pk in enumerate(ids[start : start + BATCH])]
            copiers[Work].copy((w.row for w in batch), with_id=True)
            copiers[Contributor].copy(row for w in batch for row in generator.contributors(w))
            copiers[SourceDocument].copy(generator.document(w, start + i + 1) for i, w in enumerate(batch))
            self.write_annotations([row for w in batch for row in generator.annotations(w)], copiers)
            works.extend(batch)
            self.say(f"  {len(works):,} / {len(ids):,} works")
        for work in works:
            work.abstract = work.row["abstract"] = ""  # the citations need only titles; free the memory
        return works

    def write_annotations(self, rows: list[dict[str, object]], copiers: dict) -> None:
        """The annotations, each with the history record of its creation, as a curator's tag would have."""
        for row, pk in zip(rows, reserve_ids(Annotation, len(rows)), strict=True):
            row["id"] = pk
        copiers[Annotation].copy(rows, with_id=True)
        copiers[HISTORY].copy({**row, "history_date": row["created_at"], "history_type": "+"} for row in rows)

    def index(self, ids: list[int]) -> None:
        for start in range(0, len(ids), VECTOR_CHUNK):
            with transaction.atomic():
                indexing.refresh(ids[start : start + VECTOR_CHUNK])
            self.say(f"  {min(start + VECTOR_CHUNK, len(ids)):,} / {len(ids):,} works indexed")

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        self.say(f"{name}...")
        started = time.monotonic()
        yield
        self.say(f"{name}: {time.monotonic() - started:.1f} s")

    def say(self, text: str) -> None:
        self.stdout.write(text)
        self.stdout.flush()
