"""The three roles as groups: researchers read and export, curators tag, admins import and keep the vocabulary."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = {
    "researcher": [],
    "curator": [
        "curation.add_annotation",
        "curation.change_annotation",
        "curation.delete_annotation",
        "references.add_workmerge",
        "references.change_matchcandidate",
    ],
    "admin": [
        "curation.add_annotation",
        "curation.change_annotation",
        "curation.delete_annotation",
        "curation.add_finding",
        "curation.change_finding",
        "curation.delete_finding",
        "references.add_workmerge",
        "references.change_matchcandidate",
        "references.add_importbatch",
        "references.add_enrichmentbatch",
        "references.change_work",
    ],
}


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():  # permissions are made after migrations unless asked now
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codes in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        for code in codes:
            app_label, codename = code.split(".")
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("curation", "0003_history_and_versions"),
        ("references", "0004_citation_keys"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
