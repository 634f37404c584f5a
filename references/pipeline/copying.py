"""Many plain rows into one table with PostgreSQL COPY: what bulk_create does, without a model object, a
signal or a parameter per value (an import of 10,000 records writes some 200,000 such rows)."""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable, Sequence

from django.db import connection, models

_CHUNK = 20_000  # rows per COPY: memory stays bounded however many rows come


def copy_rows(model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    """Insert `rows` (values in the order of `columns`, field attnames) into the model's table."""
    names = ", ".join(connection.ops.quote_name(model._meta.get_field(name).column) for name in columns)
    sql = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({names}) FROM STDIN"
    written, buffer = 0, io.StringIO()
    for row in rows:
        buffer.write("\t".join(map(_text, row)) + "\n")
        written += 1
        if written % _CHUNK == 0:
            buffer = _flush(sql, buffer)
    _flush(sql, buffer)
    return written


def _flush(sql: str, buffer: io.StringIO) -> io.StringIO:
    if buffer.tell():
        buffer.seek(0)
        with connection.cursor() as cursor:
            cursor.copy_expert(sql, buffer)
    return io.StringIO()


def _text(value: object) -> str:
    """One value in COPY's text format."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
