"""Many plain rows into one table with PostgreSQL COPY: what bulk_create does, without a model object, a
signal or a parameter per value (an import of 10,000 records writes some 200,000 such rows)."""

from __future__ import annotations

import datetime
import io
import json
from collections.abc import Iterable, Sequence

from django.db import connection, models

_CHUNK = 20_000  # rows per COPY: memory stays bounded however many rows come


def copy_rows(model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    """Insert `rows` (values in the order of `columns`, field attnames) into the model's table."""
    return copy_lines(model, columns, map(copy_line, rows))


def copy_line(row: Sequence[object]) -> str:
    """A row in COPY's text format, with its line end."""
    return "\t".join(map(_text, row)) + "\n"


def copy_lines(model: type[models.Model], columns: Sequence[str], lines: Iterable[str]) -> int:
    """Insert rows already in COPY's text format (see copy_line), each ending its line."""
    names = ", ".join(connection.ops.quote_name(model._meta.get_field(name).column) for name in columns)
    sql = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({names}) FROM STDIN"
    written, buffer = 0, io.StringIO()
    for line in lines:
        buffer.write(line)
        written += 1
        if written % _CHUNK == 0:
            buffer = _flush(sql, buffer)
    _flush(sql, buffer)
    return written


def _array(values: Sequence[object]) -> str:
    """A PostgreSQL array literal of text values."""
    quoted = ('"' + str(v).replace("\\", "\\\\").replace('"', '\\"') + '"' for v in values)
    return "{" + ",".join(quoted) + "}"


def _flush(sql: str, buffer: io.StringIO) -> io.StringIO:
    if buffer.tell():
        buffer.seek(0)
        with connection.cursor() as cursor:
            cursor.copy_expert(sql, buffer)
    return io.StringIO()


def copy_objects(model: type[models.Model], objects: Sequence[models.Model]) -> int:
    """Unsaved objects whose primary keys are set (see reserve_ids) into the model's table, every column."""
    fields = model._meta.concrete_fields
    return copy_rows(
        model, [f.attname for f in fields], ([getattr(o, f.attname) for f in fields] for o in objects)
    )


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """`count` fresh primary keys from the table's sequence, as inserts would take them."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, model._meta.pk.column, count],
        )
        return [row[0] for row in cursor.fetchall()]


_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _text(value: object) -> str:
    """One value in COPY's text format."""
    if type(value) is str:  # most values: checked first
        return (
            value.translate(_ESCAPES)
            if ("\\" in value or "\t" in value or "\n" in value or "\r" in value)
            else value
        )
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        value = _array(value)
    elif isinstance(value, dict):
        value = json.dumps(value)
    return str(value).translate(_ESCAPES)
