from django.db import migrations, models


def triggers_drop(apps, schema_editor):
    from procurement.revisions import triggers_drop

    triggers_drop(schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("procurement", "0012_joining_rounds_and_work_packages")]

    operations = [
        migrations.AddField(
            model_name="procurement",
            name="revision",
            field=models.PositiveBigIntegerField(default=0, editable=False),
        ),
        # Installed by post_migrate after the whole run (procurement.revisions), not here: a
        # later migration that rebuilds a table one of them names would fail on SQLite.
        migrations.RunPython(migrations.RunPython.noop, triggers_drop),
    ]
