"""Where each field of a work got its value: an import, Crossref, PubMed or a curator. A curator's value is
never overwritten by any of the others."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from django.utils import timezone

from .models import FieldOrigin, Work

BLANK = ("", None, [])

# A source's own rule for a field: whether its value may fill the field, given the work, the value and who
# said the work's current value (None if nobody recorded).
Rule = Callable[[Work, object, str | None], bool]


def curator_fields(work: Work) -> set[str]:
    return set(work.field_origins.filter(source=FieldOrigin.Source.CURATOR).values_list("field", flat=True))


def fillable(
    work: Work, values: Mapping[str, object], origins: Mapping[str, str], rules: Mapping[str, Rule]
) -> list[str]:
    """The fields a source's values may fill: the value says something, no curator set the field, and the work
    lacks it, or for a field with a rule of the source's, the rule allows it. `origins`: field -> source."""
    return [
        name
        for name, value in values.items()
        if value not in BLANK
        and origins.get(name) != FieldOrigin.Source.CURATOR
        and (rules[name](work, value, origins.get(name)) if name in rules else getattr(work, name) in BLANK)
    ]


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
