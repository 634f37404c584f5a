"""Synonyms found missing in the seed pages (and "salvage therapy", which is not chemotherapy as such).

Synonyms of the findings already in the database follow curation.vocabulary; labels an admin added or
changed by hand are left alone. Search vectors are rebuilt because family names are now stemmed as the
queries are.
"""

from django.db import migrations


def sync_synonyms(apps, schema_editor):
    from curation.vocabulary import VOCABULARY

    Finding = apps.get_model("curation", "Finding")
    for term in VOCABULARY:
        Finding.objects.filter(label=term.label).update(synonyms=list(term.synonyms))


def rebuild_search_vectors(apps, schema_editor):
    # The live model, for its QuerySet verb; the fields it touches exist at this point of the history.
    from references.models import Work

    Work.objects.all().update_search_vectors()


class Migration(migrations.Migration):
    dependencies = [("curation", "0004_roles"), ("references", "0004_citation_keys")]

    operations = [
        migrations.RunPython(sync_synonyms, migrations.RunPython.noop),
        migrations.RunPython(rebuild_search_vectors, migrations.RunPython.noop),
    ]
