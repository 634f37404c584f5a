"""A queue's size, and each done mark's queue: a curator's progress without counting over the items."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("curation", "0011_queue_roles")]

    operations = [
        migrations.AddField(
            model_name="queue",
            name="size",
            field=models.PositiveIntegerField(default=0, editable=False, help_text="How many works it holds."),
        ),
        migrations.RunSQL(
            "UPDATE curation_queue SET size = (SELECT count(*) FROM curation_queueitem i WHERE i.queue_id = curation_queue.id)",
            migrations.RunSQL.noop,
        ),
        migrations.AddField(
            model_name="donemark",
            name="queue",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="curation.queue"
            ),
        ),
        migrations.RunSQL(
            "UPDATE curation_donemark SET queue_id = i.queue_id FROM curation_queueitem i WHERE i.id = item_id",
            migrations.RunSQL.noop,
        ),
        migrations.AlterField(
            model_name="donemark",
            name="queue",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="+", to="curation.queue"
            ),
        ),
        migrations.AddIndex(
            model_name="donemark",
            index=models.Index(fields=["queue", "curator"], name="donemark_progress"),
        ),
    ]
