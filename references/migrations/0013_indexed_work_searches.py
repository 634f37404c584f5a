"""The searches that found each work, on its index row (the list page's "Found by" facet), filled for the works
indexed already; and every role may read the searches page (a signed-in user in no group may not)."""

import django.contrib.postgres.fields
import django.contrib.postgres.indexes
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

READERS = ["researcher", "curator", "admin"]
PERMISSION = ("references", "view_search")

# The same rule as references.indexing: a work's own hits and those of the works merged into it.
FILL = """
    UPDATE references_indexedwork i SET searches = found.ids
    FROM (
        SELECT coalesce(m.merged_into_id, m.id) AS work_id, array_agg(DISTINCT h.search_id ORDER BY h.search_id) AS ids
        FROM references_searchhit h JOIN references_work m ON m.id = h.work_id
        GROUP BY coalesce(m.merged_into_id, m.id)
    ) found
    WHERE found.work_id = i.work_id
"""


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():  # permissions are made after migrations unless asked now
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.get(content_type__app_label=PERMISSION[0], codename=PERMISSION[1])
    for name in READERS:
        Group.objects.get_or_create(name=name)[0].permissions.add(permission)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.filter(content_type__app_label=PERMISSION[0], codename=PERMISSION[1])
    for group in Group.objects.filter(name__in=READERS):
        group.permissions.remove(*permission)


class Migration(migrations.Migration):
    dependencies = [
        ("references", "0012_searches_and_duplicates"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AddField(
            model_name="indexedwork",
            name="searches",
            field=django.contrib.postgres.fields.ArrayField(
                base_field=models.IntegerField(),
                default=list,
                help_text="Ids of the searches that found it.",
                size=None,
            ),
        ),
        migrations.AddIndex(
            model_name="indexedwork",
            index=django.contrib.postgres.indexes.GinIndex(fields=["searches"], name="indexedwork_searches"),
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
        migrations.RunPython(grant, revoke),
    ]
