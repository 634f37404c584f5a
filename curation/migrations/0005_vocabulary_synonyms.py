"""Synonyms found missing in the seed pages (and "salvage therapy", which is not chemotherapy as such).

Synonyms of the findings already in the database follow curation.vocabulary; labels an admin added or
changed by hand are left alone. (This migration once rebuilt the works' search vectors; they now live in
references.IndexedWork, which is rebuilt after migrating.)
"""

from django.db import migrations


def sync_synonyms(apps, schema_editor):
    from curation.vocabulary import VOCABULARY

    Finding = apps.get_model("curation", "Finding")
    for term in VOCABULARY:
        Finding.objects.filter(label=term.label).update(synonyms=list(term.synonyms))


class Migration(migrations.Migration):
    dependencies = [("curation", "0004_roles"), ("references", "0004_citation_keys")]

    operations = [
        migrations.RunPython(sync_synonyms, migrations.RunPython.noop),
    ]
