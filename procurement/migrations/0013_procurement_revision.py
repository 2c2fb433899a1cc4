from django.db import migrations, models


def triggers_install(apps, schema_editor):
    # On the tables that exist now; post_migrate installs them on the rest after migrate.
    from procurement.revisions import triggers_install

    triggers_install(schema_editor.connection.alias)


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
        migrations.RunPython(triggers_install, triggers_drop),
    ]
