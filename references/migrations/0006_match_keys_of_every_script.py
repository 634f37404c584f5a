"""Match keys keep letters of every script and spell out ß, ł, ø and the like (references.matching.fold):
recompute the stored keys of works whose title or first author is not plain ASCII."""

from django.db import migrations

NOT_ASCII = r"[^\x01-\x7f]"


def refresh_keys(apps, schema_editor):
    Work = apps.get_model("references", "Work")
    Contributor = apps.get_model("references", "Contributor")
    first = Contributor.objects.filter(role="author", position=1)
    changed = set(Work.objects.filter(title__regex=NOT_ASCII).values_list("pk", flat=True))
    changed |= set(first.filter(family__regex=NOT_ASCII).values_list("work_id", flat=True))
    if not changed:
        return
    from references.matching import family_key, title_key  # the live rules: the keys must match them

    families = dict(first.filter(work_id__in=changed).values_list("work_id", "family"))
    works = list(Work.objects.filter(pk__in=changed).only("pk", "title"))
    for work in works:
        work.title_key = title_key(work.title)
        work.first_author_key = family_key(families.get(work.pk, ""))
    Work.objects.bulk_update(works, ["title_key", "first_author_key"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("references", "0005_indexed_works")]

    operations = [migrations.RunPython(refresh_keys, migrations.RunPython.noop)]
