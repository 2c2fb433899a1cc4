from django.db import migrations

# This migration once installed the global catalogue of phases, deliverables and gates. Since
# 0004 the process is a versioned template and the national one is installed after migrate
# when none exists (procurement.apps); databases that ran the old version of this migration
# have their rows turned into version 1 of that template by 0004. On a new database this
# migration does nothing, so it never depends on today's models.


class Migration(migrations.Migration):
    dependencies = [
        ("procurement", "0001_initial"),
    ]

    operations = []
