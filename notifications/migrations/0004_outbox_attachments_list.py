from django.db import migrations, models


def one_to_list(apps, schema_editor):
    """A row recorded with the one attachment it could carry keeps it, as the list's one entry
    (a pending award letter is still sent with its PDF)."""
    Outbox = apps.get_model("notifications", "Outbox")
    for row in Outbox.objects.exclude(attachment="").only("pk", "attachment", "attachment_name").iterator():
        Outbox.objects.filter(pk=row.pk).update(attachments=[[row.attachment, row.attachment_name or "vedlegg.pdf"]])


def list_to_one(apps, schema_editor):
    Outbox = apps.get_model("notifications", "Outbox")
    for row in Outbox.objects.exclude(attachments=[]).only("pk", "attachments").iterator():
        stored, name = row.attachments[0]
        Outbox.objects.filter(pk=row.pk).update(attachment=stored, attachment_name=name)


class Migration(migrations.Migration):
    """An outbox row carries any number of stored files: the signed contract and the signed
    data processing agreement go out in one mail."""

    dependencies = [
        ("notifications", "0003_outbox_address_attachment"),
    ]

    operations = [
        migrations.AddField(
            model_name="outbox",
            name="attachments",
            field=models.JSONField(blank=True, default=list, verbose_name="vedlegg"),
        ),
        migrations.RunPython(one_to_list, list_to_one),
        migrations.RemoveField(model_name="outbox", name="attachment"),
        migrations.RemoveField(model_name="outbox", name="attachment_name"),
    ]
