from django.db import migrations


def add_default_gan(apps, schema_editor):
    from generation.registry import BUILTIN_GAN_MODEL

    ModelEntry = apps.get_model("generation", "ModelEntry")
    ModelEntry.objects.get_or_create(
        name=BUILTIN_GAN_MODEL["name"], defaults={**BUILTIN_GAN_MODEL, "kind": "gan", "is_default": True}
    )


class Migration(migrations.Migration):
    dependencies = [("generation", "0004_character_design")]
    operations = [migrations.RunPython(add_default_gan, migrations.RunPython.noop)]
