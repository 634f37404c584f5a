from django.db import migrations


def seed_vocabulary(apps, schema_editor):
    from curation.vocabulary import VOCABULARY

    Finding = apps.get_model("curation", "Finding")
    for term in VOCABULARY:
        Finding.objects.get_or_create(
            label=term.label,
            defaults={
                "category": term.category,
                "description": term.description,
                "synonyms": list(term.synonyms),
            },
        )


class Migration(migrations.Migration):
    dependencies = [("curation", "0001_initial")]

    operations = [migrations.RunPython(seed_vocabulary, migrations.RunPython.noop)]
