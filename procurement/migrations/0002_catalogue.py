from django.db import migrations

from procurement.catalogue_seed import catalogue_install


def install(apps, schema_editor):
    catalogue_install(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("procurement", "0001_initial"),
    ]

    # Reversing leaves the rows: dropping 0001's tables removes them anyway, and deleting them
    # here would fail once procurements point at the definitions (PROTECT).
    operations = [
        migrations.RunPython(install, migrations.RunPython.noop),
    ]
