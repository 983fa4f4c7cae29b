from django.db import migrations, models
from django.db.models import F


def mark_existing_sent(apps, schema_editor):
    # Jobs from before this field were sent when they were made (or are history); the reaper must not send them again.
    apps.get_model("generation", "GenerationJob").objects.update(sent_at=F("created_at"))


class Migration(migrations.Migration):

    dependencies = [
        ('generation', '0007_job_checkpoint'),
    ]

    operations = [
        migrations.AddField(
            model_name='generationjob',
            name='sent_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(mark_existing_sent, migrations.RunPython.noop),
    ]
