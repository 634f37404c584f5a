"""Where each field of a work got its value: an import, Crossref, PubMed or a curator. A curator's value is
never overwritten by any of the others."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone

from .models import FieldOrigin, Work

BLANK = ("", None, [])


def curator_fields(work: Work) -> set[str]:
    return set(work.field_origins.filter(source=FieldOrigin.Source.CURATOR).values_list("field", flat=True))


def record_origins(work: Work, fields: Iterable[str], source: str, detail: str) -> None:
    now = timezone.now()
    FieldOrigin.objects.bulk_create(
        [
            FieldOrigin(work=work, field=name, source=source, detail=detail, recorded_at=now)
            for name in fields
        ],
        update_conflicts=True,
        unique_fields=["work", "field"],
        update_fields=["source", "detail", "recorded_at"],
    )
