from django.db import migrations, models

COPY = """
    UPDATE references_indexedtext t SET year = i.year, is_source = i.is_source
    FROM references_indexedwork i WHERE i.work_id = t.entry_id
"""


class Migration(migrations.Migration):
    dependencies = [("references", "0022_record_import_block_indexes")]

    operations = [
        migrations.AddField(
            model_name="indexedtext",
            name="year",
            field=models.PositiveSmallIntegerField(help_text="IndexedWork.year, copied.", null=True),
        ),
        migrations.AddField(
            model_name="indexedtext",
            name="is_source",
            field=models.BooleanField(default=False, help_text="IndexedWork.is_source, copied."),
        ),
        migrations.RunSQL(COPY, migrations.RunSQL.noop),
    ]
