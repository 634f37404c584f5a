"""Writing and clearing the demo library: generated rows go in with PostgreSQL COPY."""

from __future__ import annotations

import hashlib
import io
import json
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import connection, models, transaction
from django.utils import timezone

from curation.mentions import Matcher, sentence_around, suggestions
from curation.models import Annotation
from references.matching import family_key, title_key
from references.models import Citation, Contributor, EnrichmentState, SourceDocument, Work, WorkType

from .text import (
    BOOKS,
    ENRICHMENT,
    JOURNAL_WEIGHTS,
    JOURNALS,
    WORK_TYPES,
    Person,
    Topic,
    make_abstract,
    make_authors,
    make_keywords,
    make_mesh,
    make_title,
    make_topic,
    random_year,
    weighted,
)

DEMO_DOI_PREFIX = "10.5555/demo."
DEMO_FILE_PREFIX = "demo-"
DEMO_PAGE_KIND = "demo"
DEFAULT_WORKS = 100_000
# Annotations keep a history (django-simple-history); demo tags get the record of their creation.
HISTORY = Annotation.history.model
DEMO_MODELS = (Work, Contributor, SourceDocument, Annotation, HISTORY, Citation)
BATCH = 5_000
COPY_ROWS = 50_000
VECTOR_CHUNK = 10_000
TAGGED = 0.5  # of the works whose abstract names a finding


def demo_documents() -> models.QuerySet[SourceDocument]:
    return SourceDocument.objects.filter(page_kind=DEMO_PAGE_KIND, file_name__startswith=DEMO_FILE_PREFIX)


def demo_work_ids() -> list[int]:
    return list(demo_documents().values_list("work_id", flat=True).distinct())


# The columns of a citation's COPY line, in order (see Generator.citation_lines).
CITATION_COLUMNS = ("citing_work_id", "position", "label")
CITED_COLUMNS = ("raw", "doi", "parsed", "cited_work_id", "match_state", "match_method", "match_score")
STAMP_COLUMNS = ("created_at", "updated_at")


@dataclass
class DemoWork:
    pk: int
    year: int
    doi: str
    title: str
    abstract: str
    topic: Topic
    row: dict[str, object]
    authors: list[Person]
    cited: str = field(init=False)  # a reference to this work, as the middle of a citation's COPY line
    stamp: str = ""  # created_at and updated_at, as the end of a COPY line


class Generator:
    """Builds demo works, their authors, documents, annotations and citations as rows for COPY."""

    def __init__(self, seed: int, matcher: Matcher, findings: dict[str, int]) -> None:
        self.rng = random.Random(seed)
        self.seed = seed
        self.matcher = matcher
        self.findings = findings
        self.now = timezone.now()

    def work(self, pk: int, number: int) -> DemoWork:
        rng = self.rng
        year = random_year(rng)
        work_type = weighted(rng, WORK_TYPES)
        topic = make_topic(rng, year, work_type)
        title = make_title(rng, topic, work_type)
        abstract = make_abstract(rng, topic, work_type) if rng.random() > 0.03 else ""
        authors = make_authors(rng)
        doi = f"{DEMO_DOI_PREFIX}{number:06d}" if rng.random() < 0.9 else ""
        row = {
            "id": pk,
            "doi": doi,
            "title": title,
            "year": year,
            "work_type": work_type,
            "abstract": abstract,
            "keywords": make_keywords(rng, topic) if rng.random() < 0.6 else [],
            "mesh_terms": make_mesh(rng, topic) if rng.random() < 0.4 else [],
            "title_key": title_key(title),
            "first_author_key": family_key(authors[0].family),
            **self._container(work_type, year),
            **self._enrichment(doi),
            **self._timestamps(),
        }
        work = DemoWork(pk, year, doi, title, abstract, topic, row, authors)
        work.cited = self._cited_columns(work)
        work.stamp = _copy_line([row["created_at"], row["updated_at"]])
        return work

    def _container(self, work_type: str, year: int) -> dict[str, object]:
        rng = self.rng
        if work_type == WorkType.BOOK_CHAPTER:
            book, publisher = rng.choice(BOOKS)
            first = rng.randint(1, 400)
            return {
                "container_title": book,
                "publisher": publisher,
                "pages": f"{first}-{first + rng.randint(10, 40)}",
            }
        journal, abbreviation = rng.choices(JOURNALS, weights=JOURNAL_WEIGHTS)[0]
        first = rng.randint(1, 4000)
        return {
            "container_title": journal,
            "container_abbreviation": abbreviation,
            "volume": str(max(1, year - 1960 + rng.randint(-3, 3))),
            "issue": str(rng.randint(1, 24)),
            "pages": f"{first}-{first + rng.randint(3, 14)}",
        }

    def _enrichment(self, doi: str) -> dict[str, object]:
        state = weighted(self.rng, ENRICHMENT)
        if state == EnrichmentState.UNMATCHED and doi:
            state = EnrichmentState.ENRICHED
        enriched = state == EnrichmentState.ENRICHED
        return {"enrichment_state": state, "enriched_at": self.now if enriched else None}

    def _timestamps(self) -> dict[str, datetime]:
        created = self.now - timedelta(minutes=self.rng.randint(0, 2 * 365 * 24 * 60))
        return {"created_at": created, "updated_at": created}

    def _cited_columns(self, work: DemoWork) -> str:
        """What a reference to this work prints, parses to and links to: the same for every citing work."""
        names = [f"{p.family} {p.initials}" for p in work.authors[:6]]
        etal = ", et al" if len(work.authors) > 6 else ""
        row = work.row
        journal = row.get("container_abbreviation") or row["container_title"]
        where = (
            f"{row.get('volume', '')}({row.get('issue', '')}):{row['pages']}"
            if row.get("volume")
            else row["pages"]
        )
        doi = f" doi: {work.doi}." if work.doi else ""
        raw = f"{', '.join(names)}{etal}. {work.title}. {journal}. {work.year};{where}.{doi}"
        first, _, last = str(row["pages"]).partition("-")
        parsed = {
            "authors": [{"family": p.family, "given": p.initials} for p in work.authors[:6]],
            "et_al": bool(etal),
            "title": work.title,
            "container_title": journal,
            "year": work.year,
            "volume": row.get("volume", ""),
            "issue": row.get("issue", ""),
            "page_first": first,
            "page_last": last,
            "doi": work.doi,
            "work_type": row["work_type"],
            "problems": [],
        }
        method, score = ("doi", 1.0) if work.doi else ("title", 0.97)
        return _copy_line([raw, work.doi, parsed, work.pk, Citation.MatchState.MATCHED, method, score])

    def contributors(self, work: DemoWork) -> Iterator[dict[str, object]]:
        for position, person in enumerate(work.authors, start=1):
            yield {
                "work_id": work.pk,
                "role": Contributor.Role.AUTHOR,
                "position": position,
                "family": person.family,
                "given": person.given,
                "printed": f"{person.family} {person.initials}",
            }

    def document(self, work: DemoWork, number: int) -> dict[str, object]:
        raw = f"Demo record {number} (seed {self.seed})\n{work.title}\n{work.doi or 'no DOI'}\n"
        return {
            "work_id": work.pk,
            "file_name": f"{DEMO_FILE_PREFIX}{number:06d}.txt",
            "sha256": hashlib.sha256(raw.encode()).hexdigest(),
            "size": len(raw.encode()),
            "raw_text": raw,
            "file_format": "text",
            "encoding": "utf-8",
            "page_kind": DEMO_PAGE_KIND,
            "imported_at": work.row["created_at"],
        }

    def annotations(self, work: DemoWork) -> Iterator[dict[str, object]]:
        """Accepted tags on about half the works that name a finding (a third of all), a few rejected or
        suggested ones; evidence from the abstract."""
        roll = self.rng.random()
        if not work.abstract or roll >= TAGGED + 0.12:
            return
        first = suggestions(self.matcher, {"abstract": work.abstract})
        labels = list(first)
        self.rng.shuffle(labels)
        if roll < TAGGED:
            chosen = [(label, Annotation.State.ACCEPTED) for label in labels[: self.rng.randint(1, 3)]]
        else:
            state = Annotation.State.REJECTED if roll < TAGGED + 0.05 else Annotation.State.SUGGESTED
            chosen = [(label, state) for label in labels[:1]]
        for label, state in chosen:
            mention = first[label]
            start, end = sentence_around(work.abstract, mention.start, mention.end)
            yield {
                "work_id": work.pk,
                "finding_id": self.findings[label],
                "evidence": work.abstract[start:end],
                "evidence_field": Annotation.Field.ABSTRACT,
                "evidence_start": start,
                "evidence_end": end,
                "state": state,
                "created_at": work.row["created_at"],
                "updated_at": work.row["created_at"],
            }

    def citation_lines(self, works: list[DemoWork], per_work: int) -> Iterator[str]:
        """Each work cites per_work others: mostly older ones, recent ones more, a few landmark papers most."""
        ranked = sorted(works, key=lambda w: (w.year, w.pk))
        count = len(ranked)
        per_work = min(per_work, count - 1)
        landmarks = ranked[: max(1, count // 50)]
        for rank, work in enumerate(ranked):
            chosen = self._cited_ranks(rank, count, per_work, len(landmarks))
            for position, cited_rank in enumerate(chosen, start=1):
                yield f"{work.pk}\t{position}\t{position}\t{ranked[cited_rank].cited}\t{work.stamp}\n"

    def _cited_ranks(self, rank: int, count: int, wanted: int, landmarks: int) -> list[int]:
        rng, chosen = self.rng, {}
        while len(chosen) < wanted:
            roll = rng.random()
            if rank <= wanted * 2:
                pick = rng.randrange(count)  # the oldest works have too few older ones to choose from
            elif roll < 0.15 and landmarks < rank:
                pick = rng.randrange(landmarks)
            elif roll < 0.65:
                pick = int(rank * (1 - rng.random() ** 3))  # recent but older
            else:
                pick = rng.randrange(rank)
            if pick != rank:
                chosen[pick] = None
        return list(chosen)


# --- COPY --------------------------------------------------------------------------------------------------


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _array(values: list[str]) -> str:
    quoted = ('"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"' for v in values)
    return "{" + ",".join(quoted) + "}"


def _copy_text(value: object) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, str):
        return _escape(value)
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, list):
        return _escape(_array(value))
    if isinstance(value, dict):
        return _escape(json.dumps(value, ensure_ascii=False))
    raise TypeError(f"cannot COPY {value!r}")


def _copy_line(values: Iterable[object]) -> str:
    """Values in COPY's text format, tab-separated, without the line end."""
    return "\t".join(map(_copy_text, values))


class Copier:
    """Writes dict rows to one model's table with COPY; fields a row leaves out get the model's defaults."""

    def __init__(self, model: type[models.Model]) -> None:
        self.model = model
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        self.columns = {f.attname: f.column for f in fields}
        self.defaults = {f.attname: f.get_default() for f in fields}
        self.rows = 0

    def copy(self, rows: Iterable[dict[str, object]], with_id: bool = False) -> int:
        """COPY the rows; with_id when they carry their primary keys (see reserve_ids)."""
        pk = self.model._meta.pk
        names = [pk.attname, *self.columns] if with_id else list(self.columns)
        lines = (_copy_line(row[n] if n in row else self.defaults[n] for n in names) + "\n" for row in rows)
        return self.copy_lines(names, lines)

    def copy_lines(self, names: Iterable[str], lines: Iterable[str]) -> int:
        """COPY lines already in COPY's text format, with values for the named fields in that order."""
        columns = {self.model._meta.pk.attname: self.model._meta.pk.column, **self.columns}
        quoted = ", ".join(connection.ops.quote_name(columns[name]) for name in names)
        sql = f"COPY {_table(self.model)} ({quoted}) FROM STDIN"
        written = 0
        buffer = io.StringIO()
        for line in lines:
            buffer.write(line)
            written += 1
            if written % COPY_ROWS == 0:
                buffer = self._flush(sql, buffer)
        self._flush(sql, buffer)
        self.rows += written
        return written

    @staticmethod
    def _flush(sql: str, buffer: io.StringIO) -> io.StringIO:
        if buffer.tell():
            buffer.seek(0)
            with connection.cursor() as cursor:
                cursor.copy_expert(sql, buffer)
        return io.StringIO()


# --- The command -------------------------------------------------------------------------------------------


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """count fresh primary keys from the table's sequence, so related rows can name them before COPY."""
    table, column = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, column, count],
        )
        return [row[0] for row in cursor.fetchall()]


def analyze(models_: Iterable[type[models.Model]]) -> None:
    """Fresh planner statistics; outside a transaction also VACUUM, for the rows the vector update replaced."""
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
    with connection.cursor() as cursor:
        for model in models_:
            cursor.execute(f"{command} {connection.ops.quote_name(model._meta.db_table)}")


def clear_demo() -> int:
    """Delete the demo works and what hangs on them, history included. Other works keep their rows; their
    citations of a demo work become unmatched. Set-based statements: Django's delete() would load every row
    and write a history record for each deleted annotation."""
    ids = demo_work_ids()
    if not ids:
        return 0
    demo = demo_documents().values("work_id")
    with transaction.atomic():
        Citation.objects.filter(cited_work__in=demo).exclude(citing_work__in=demo).update(
            cited_work=None, match_state=Citation.MatchState.UNMATCHED, match_method="", match_score=None
        )
        # The documents last: they say which works are demo.
        for relation in sorted(_relations_to(Work), key=lambda rel: rel.related_model is SourceDocument):
            _release(relation, demo)
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {_table(Work)} WHERE id = ANY(%s)", [ids])
    return len(ids)


def _relations_to(model: type[models.Model]) -> list[models.ForeignObjectRel]:
    """Every foreign key to model, whoever declared it, hidden ones (related_name "+", history) included."""
    fields = model._meta.get_fields(include_hidden=True)
    return [f for f in fields if f.auto_created and not f.concrete and (f.one_to_many or f.one_to_one)]


def _release(relation: models.ForeignObjectRel, demo: models.QuerySet) -> None:
    """Unlink (SET_NULL) or delete (CASCADE, and DO_NOTHING: history rows) the rows of one relation that
    point at demo works. PROTECT and the like are left for the final DELETE to refuse."""
    rows = relation.related_model._base_manager.filter(**{f"{relation.field.name}__in": demo})
    if relation.on_delete is models.SET_NULL:
        rows.update(**{relation.field.name: None})
    elif relation.on_delete in (models.CASCADE, models.DO_NOTHING):
        _delete_rows(rows)


def _delete_rows(rows: models.QuerySet) -> None:
    """One DELETE statement, without loading the rows or sending signals; Django's delete() when other rows
    point at these and must cascade."""
    if _relations_to(rows.model):
        rows.delete()
        return
    pk = rows.model._meta.pk
    sql, params = rows.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {_table(rows.model)} WHERE {connection.ops.quote_name(pk.column)} IN ({sql})",
            params,
        )


def _table(model: type[models.Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)
