"""A snapshot is called a "salinan register" to people; a failed one imported nothing."""

from django.db import migrations


def failed_imported_nothing(apps, schema_editor):
    # A failed snapshot's rows were dropped with its table: its count said otherwise.
    Snapshot = apps.get_model("registry", "Snapshot")
    Snapshot.objects.filter(state="failed").exclude(rows_imported=0).update(rows_imported=0)


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0002_lookup_log_lean"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="snapshot",
            options={
                "ordering": ["-started_at"],
                "verbose_name": "salinan register",
                "verbose_name_plural": "salinan register",
            },
        ),
        migrations.RunPython(failed_imported_nothing, migrations.RunPython.noop),
    ]
