"""Exports of a selection of works as BibTeX, RIS or CSL-JSON: stable keys, streamed in chunks.

Rows are read as plain values, a chunk of works at a time, through a server-side cursor, so memory
stays flat however large the selection and no model instance is built per work or author.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from itertools import islice

from django.db import connection, transaction

from curation.models import Annotation

from .export import (
    ExportRecord,
    bibtex_entry,
    bibtex_header,
    csl_item,
    key_base,
    ris_record,
    unique_key,
)
from .models import Contributor, Work, WorkQuerySet
from .people import Name

CHUNK = 2000
# Responses are written in pieces of about this many characters, not entry by entry.
PIECE = 64 * 1024
KEY_LOCK = 7_201_914  # pg_advisory_xact_lock id: one key assignment at a time
WORK_FIELDS = (
    "id",
    "citation_key",
    "work_type",
    "title",
    "container_title",
    "year",
    "volume",
    "issue",
    "pages",
    "doi",
    "pmid",
    "issns",
    "isbns",
    "publisher",
    "abstract",
)


def assign_citation_keys(works: WorkQuerySet) -> int:
    """Give every work of the selection that has none a readable key, unique in the library, for good."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [KEY_LOCK])
        missing = list(works.filter(citation_key="").values_list("pk", "year", "title").order_by("pk"))
        if not missing:
            return 0
        first_authors = _first_authors([pk for pk, _, _ in missing])
        taken = set(Work.objects.exclude(citation_key="").values_list("citation_key", flat=True))
        keyed = []
        for pk, year, title in missing:
            key = unique_key(key_base(first_authors.get(pk, ""), year, title), taken)
            taken.add(key)
            keyed.append(Work(pk=pk, citation_key=key))
        Work.objects.bulk_update(keyed, ["citation_key"], batch_size=CHUNK)
        return len(keyed)


def export_selection(works: WorkQuerySet) -> WorkQuerySet:
    """The selection as exports order it: by key, so two exports of one library compare line by line."""
    assign_citation_keys(works)
    return works.order_by("citation_key")


def export_records(works: WorkQuerySet) -> Iterator[ExportRecord]:
    ids = works.values_list("pk", flat=True).iterator(chunk_size=CHUNK)
    for chunk in batched(ids, CHUNK):
        rows = {row[0]: row for row in _fetch(Work, WORK_FIELDS, chunk)}
        people, findings = _people(chunk), _accepted_findings(chunk)
        for pk in chunk:
            authors, editors = people.get((pk, "author"), ()), people.get((pk, "editor"), ())
            yield _record(rows[pk], authors, editors, findings.get(pk, ()))


def batched(items: Iterable, size: int) -> Iterator[tuple]:
    """itertools.batched, which arrives with Python 3.12."""
    iterator = iter(items)
    while chunk := tuple(islice(iterator, size)):
        yield chunk


def bibtex_stream(works: WorkQuerySet, *, ascii: bool = False, abstract: bool = False) -> Iterator[str]:
    entries = (bibtex_entry(record, ascii=ascii, abstract=abstract) for record in export_records(works))
    return _pieces([bibtex_header(ascii=ascii)], entries)


def ris_stream(works: WorkQuerySet, *, abstract: bool = False) -> Iterator[str]:
    return _pieces([], (ris_record(record, abstract=abstract) for record in export_records(works)))


def csljson_stream(works: WorkQuerySet, *, abstract: bool = False) -> Iterator[str]:
    items = (
        json.dumps(csl_item(record, abstract=abstract), ensure_ascii=False)
        for record in export_records(works)
    )
    return _pieces(["["], _separated(items), ["]\n"])


def _separated(items: Iterable[str]) -> Iterator[str]:
    for number, item in enumerate(items):
        yield ("\n" if number == 0 else ",\n") + item
    yield "\n"


def _pieces(*parts: Iterable[str]) -> Iterator[str]:
    buffer, size = [], 0
    for part in parts:
        for text in part:
            buffer.append(text)
            size += len(text)
            if size >= PIECE:
                yield "".join(buffer)
                buffer, size = [], 0
    if buffer:
        yield "".join(buffer)


def _first_authors(pks: list[int]) -> dict[int, str]:
    rows = Contributor.objects.filter(work__in=pks, role=Contributor.Role.AUTHOR, position=1)
    return dict(rows.values_list("work_id", "family"))


def _people(pks: tuple[int, ...]) -> dict[tuple[int, str], list[Name]]:
    """Authors and editors in order, by (work id, role)."""
    people: dict[tuple[int, str], list[Name]] = defaultdict(list)
    rows = _fetch(Contributor, ("work", "role", "family", "given"), pks, order=("work", "role", "position"))
    for work_id, role, family, given in rows:
        people[work_id, role].append(Name(family, given))
    return people


def _accepted_findings(pks: tuple[int, ...]) -> dict[int, tuple[str, ...]]:
    findings: dict[int, list[str]] = defaultdict(list)
    rows = Annotation.objects.filter(work__in=pks, state=Annotation.State.ACCEPTED).order_by("finding__label")
    for work_id, label in rows.values_list("work_id", "finding__label"):  # one annotation per finding
        findings[work_id].append(label)
    return {pk: tuple(labels) for pk, labels in findings.items()}


def _fetch(model, fields: Iterable[str], pks: tuple[int, ...], *, order: Iterable[str] = ()) -> list[tuple]:
    """Rows of a chunk as plain tuples. The ORM's values_list costs four times as much per row, which is
    most of an export's time; the columns still come from the model, so they cannot drift."""
    meta = model._meta
    column = lambda name: connection.ops.quote_name(meta.get_field(name).column)  # noqa: E731
    key = "id" if model is Work else "work_id"
    sql = f"SELECT {', '.join(map(column, fields))} FROM {connection.ops.quote_name(meta.db_table)} WHERE {key} = ANY(%s)"
    if order:
        sql += f" ORDER BY {', '.join(map(column, order))}"
    with connection.cursor() as cursor:
        cursor.execute(sql, [list(pks)])
        return cursor.fetchall()


def _record(row: tuple, authors: list[Name], editors: list[Name], findings: tuple[str, ...]) -> ExportRecord:
    """A work's row (WORK_FIELDS, whose names after the key are ExportRecord's) as the writers read it."""
    _pk, key, *values = row
    fields = dict(zip(WORK_FIELDS[2:], values, strict=True))
    fields.update(issns=tuple(fields["issns"]), isbns=tuple(fields["isbns"]))
    return ExportRecord(key=key, authors=tuple(authors), editors=tuple(editors), keywords=findings, **fields)


# By file extension: the writer and the content type.
FORMATS: dict[str, tuple[Callable[..., Iterator[str]], str]] = {
    "bib": (bibtex_stream, "application/x-bibtex; charset=utf-8"),
    "ris": (ris_stream, "application/x-research-info-systems; charset=utf-8"),
    "json": (csljson_stream, "application/vnd.citationstyles.csl+json; charset=utf-8"),
}
