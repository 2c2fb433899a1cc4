"""Every procurement gets its benefit plan, and the draft plan a municipality uploaded with
the reported need (Procurement.draft_benefit_plan) becomes the plan's attachment: the same
stored file under the same name, nothing copied. procurement 0006 then drops the columns.
Backwards, the attachment goes back to the procurement before the plans are removed."""
from django.db import migrations


def plans_from_procurements(apps, schema_editor):
    Procurement = apps.get_model("procurement", "Procurement")
    BenefitPlan = apps.get_model("benefits", "BenefitPlan")
    having = set(BenefitPlan.objects.values_list("procurement_id", flat=True))
    BenefitPlan.objects.bulk_create(
        [
            BenefitPlan(procurement_id=pk, attachment=upload or "", attachment_name=name or "")
            for pk, upload, name in Procurement.objects.values_list("pk", "draft_benefit_plan", "draft_benefit_plan_name")
            if pk not in having
        ],
        batch_size=500,
    )


def attachments_to_procurements(apps, schema_editor):
    Procurement = apps.get_model("procurement", "Procurement")
    BenefitPlan = apps.get_model("benefits", "BenefitPlan")
    for plan in BenefitPlan.objects.exclude(attachment="").only("procurement_id", "attachment", "attachment_name"):
        Procurement.objects.filter(pk=plan.procurement_id).update(
            draft_benefit_plan=plan.attachment.name, draft_benefit_plan_name=plan.attachment_name
        )


class Migration(migrations.Migration):

    dependencies = [
        ("benefits", "0001_initial"),
        ("procurement", "0005_process_choices_and_indexes"),
    ]

    operations = [migrations.RunPython(plans_from_procurements, attachments_to_procurements)]
