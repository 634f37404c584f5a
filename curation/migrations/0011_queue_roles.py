"""Admins make and assign curation queues; curators and admins work through the queues assigned to them."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "curator": ["work_queue"],
    "admin": ["work_queue", "add_queue", "change_queue", "view_queue"],
}


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():  # permissions are made after migrations unless asked now
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        group = Group.objects.get_or_create(name=name)[0]
        for codename in codenames:
            group.permissions.add(
                Permission.objects.get(content_type__app_label="curation", codename=codename)
            )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=GRANTS):
        codenames = GRANTS[group.name]
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="curation", codename__in=codenames)
        )


class Migration(migrations.Migration):
    dependencies = [("curation", "0010_queues")]

    operations = [migrations.RunPython(grant, revoke)]
