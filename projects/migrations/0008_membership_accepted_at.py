# Invitations are pending until accepted; everyone who was a member before is a member still.

from django.db import migrations, models


def accept_existing(apps, schema_editor):
    Membership = apps.get_model("projects", "Membership")
    Membership.objects.filter(accepted_at__isnull=True).update(accepted_at=models.F("created_at"))


class Migration(migrations.Migration):

    dependencies = [
        ('projects', '0007_one_frame_per_shot'),
    ]

    operations = [
        migrations.AddField(
            model_name='membership',
            name='accepted_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(accept_existing, migrations.RunPython.noop),
    ]
