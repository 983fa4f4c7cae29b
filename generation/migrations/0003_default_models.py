from django.db import migrations


def add_defaults(apps, schema_editor):
    from generation.registry import BUILTIN_TEXT_MODEL

    ModelEntry = apps.get_model("generation", "ModelEntry")
    ModelEntry.objects.get_or_create(
        name=BUILTIN_TEXT_MODEL["name"], defaults={**BUILTIN_TEXT_MODEL, "kind": "text", "is_default": True}
    )


class Migration(migrations.Migration):
    dependencies = [("generation", "0002_model_registry")]
    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
