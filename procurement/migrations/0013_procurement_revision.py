from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("procurement", "0012_joining_rounds_and_work_packages")]

    operations = [
        migrations.AddField(
            model_name="procurement",
            name="revision",
            field=models.PositiveBigIntegerField(default=0, editable=False),
        ),
    ]
