"""The migration that recomputes match keys under the Unicode-aware fold."""

import importlib

import pytest
from django.apps import apps

from references.models import Contributor, Work

pytestmark = pytest.mark.django_db

migration = importlib.import_module("references.migrations.0006_match_keys_of_every_script")


def test_stale_keys_of_non_ascii_works_are_recomputed_and_ascii_ones_left_alone():
    russian = Work.objects.create(title="Рецидив ОЛЛ у детей, CD19", year=2024, title_key="cd19")
    Contributor.objects.create(work=russian, position=1, family="Иванов")
    german = Work.objects.create(
        title="Eine Studie", year=2020, title_key="eine studie", first_author_key="strau"
    )
    Contributor.objects.create(work=german, position=1, family="Strauß")
    plain = Work.objects.create(title="Plain", year=2020, title_key="kept as it was")
    migration.refresh_keys(apps, None)
    for work in (russian, german, plain):
        work.refresh_from_db()
    assert (russian.title_key, russian.first_author_key) == ("рецидив олл у детеи cd19", "иванов")
    assert german.first_author_key == "strauss"
    assert plain.title_key == "kept as it was"
