"""The draft benefit plan uploaded with a reported need now lives on the procurement's
benefit plan (benefits.BenefitPlan.attachment); benefits 0002 moved every upload there
first, so the columns go only after it ran."""
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('procurement', '0005_process_choices_and_indexes'),
        ('benefits', '0002_draft_plans_from_procurements'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='procurement',
            name='draft_benefit_plan',
        ),
        migrations.RemoveField(
            model_name='procurement',
            name='draft_benefit_plan_name',
        ),
    ]
