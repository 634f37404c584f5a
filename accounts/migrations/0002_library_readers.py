"""The library is private: the three roles may read it (references.view_work, which every reading page, export
and API endpoint checks); a signed-in user in no group may not."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

READERS = ["researcher", "curator", "admin"]
PERMISSION = ("references", "view_work")


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
        ("accounts", "0001_initial"),
        ("curation", "0004_roles"),
        ("references", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
