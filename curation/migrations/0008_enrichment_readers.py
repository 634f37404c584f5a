"""Every role may read the enrichment pages (batches, their progress and failures); a signed-in user in no
group may not."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

READERS = ["researcher", "curator", "admin"]
PERMISSION = ("references", "view_enrichmentbatch")


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
        ("curation", "0007_finding_former_labels"),
        ("references", "0003_enrichment"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
