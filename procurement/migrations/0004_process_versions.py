"""The global catalogue becomes a versioned process template.

Existing catalogue rows become version 1 (published) of the national template, with the
intake phase added so that its conditions (invitations answered, cost shares at 100 %) are
gates like any other; every existing procurement is pinned to that version, so nothing it
ran under changes. Gate steps name the body kinds by their new slugs (see municipalities
0003). A signature voided before today was voided by a new version of its document."""
from django.db import migrations, models
from django.utils import timezone

# Frozen here as migrations must be.
BODY_KINDS = {"suksit": "steering_group", "rmu": "executive_committee"}
NATIONAL_TEMPLATE_NAME = "Nasjonal veileder for anskaffelse av velferdsteknologi"
INTAKE = {
    "name": "Innmelding",
    "name_en": "Intake",
    "description": (
        "Behovet er meldt inn til samarbeidet. De andre kommunene inviteres og svarer om de blir med, "
        "og deltakerne blir enige om kostnadsfordelingen (felles rutine, punkt 1–3)."
    ),
}
INTAKE_GATES = [
    ("invitations-answered", "invitations_settled", "Kommunene har svart på invitasjonen",
     "The municipalities have answered the invitation", "Alle inviterte har svart, eller svarfristen er ute."),
    ("cost-shares", "cost_shares_complete", "Kostnadsfordelingen er avtalt",
     "The cost-sharing key is agreed", "Deltakernes andeler summerer til nøyaktig 100 %."),
]


def catalogue_to_version_one(apps, schema_editor):
    PhaseDefinition = apps.get_model("procurement", "PhaseDefinition")
    if not PhaseDefinition.objects.exists():
        return  # a new database: the national template is installed after migrate
    ProcessTemplate = apps.get_model("procurement", "ProcessTemplate")
    ProcessVersion = apps.get_model("procurement", "ProcessVersion")
    DeliverableDefinition = apps.get_model("procurement", "DeliverableDefinition")
    GateDefinition = apps.get_model("procurement", "GateDefinition")
    GateStep = apps.get_model("procurement", "GateStep")
    Procurement = apps.get_model("procurement", "Procurement")
    SignOff = apps.get_model("procurement", "SignOff")

    template = ProcessTemplate.objects.create(collaboration=None, name=NATIONAL_TEMPLATE_NAME)
    version = ProcessVersion.objects.create(
        template=template, number=1, note="Katalogen slik den var før prosessversjonene.", published_at=timezone.now()
    )
    PhaseDefinition.objects.update(version=version)
    DeliverableDefinition.objects.update(version=version)
    GateDefinition.objects.update(version=version, kind="signatures")
    for order, gate in enumerate(GateDefinition.objects.order_by("phase__order", "id"), start=1):
        gate.order = order
        if gate.code == "dpa":
            # Only the data protection officer (and those who run the case) may replace the agreement.
            gate.document_roles = ["data_protection_officer"]
        gate.save(update_fields=["order", "document_roles"])
    intake, _ = PhaseDefinition.objects.get_or_create(
        version=version, code="intake", defaults={"order": 0, "guide_step": "", "decision": "", **INTAKE}
    )
    for order, (code, kind, name, name_en, description) in enumerate(INTAKE_GATES):
        GateDefinition.objects.create(
            version=version, phase=intake, code=code, kind=kind, order=order, name=name, name_en=name_en, description=description
        )
    for old, new in BODY_KINDS.items():
        GateStep.objects.filter(body_kind=old).update(body_kind=new)
    Procurement.objects.update(process_version=version)
    SignOff.objects.filter(voided_at__isnull=False).update(void_reason="new_version")
    if schema_editor.connection.vendor == "postgresql":
        # The updates above queued PostgreSQL's deferred foreign-key checks, and the ALTER
        # TABLEs that follow in this migration's transaction refuse to run while any are
        # pending ("pending trigger events"): run the checks now, then defer again.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        schema_editor.execute("SET CONSTRAINTS ALL DEFERRED")


class Migration(migrations.Migration):
    dependencies = [
        ("procurement", "0003_deadline_phase"),
        ("municipalities", "0003_collaborations"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="procurement", name="procurement_region__55b340_idx"),
        migrations.RenameField("procurement", "region", "collaboration"),
        migrations.RenameField("informationinitiative", "region", "collaboration"),
        migrations.CreateModel(
            name="ProcessTemplate",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=200, verbose_name="navn")),
                (
                    "collaboration",
                    models.OneToOneField(
                        blank=True,
                        help_text="Tom: den nasjonale malen, som samarbeid uten egen mal bruker.",
                        null=True,
                        on_delete=models.deletion.PROTECT,
                        related_name="process_template",
                        to="municipalities.collaboration",
                        verbose_name="samarbeid",
                    ),
                ),
            ],
            options={"verbose_name": "prosessmal", "verbose_name_plural": "prosessmaler", "ordering": ["collaboration__name", "name"]},
        ),
        migrations.AddConstraint(
            model_name="processtemplate",
            constraint=models.UniqueConstraint(
                condition=models.Q(("collaboration__isnull", True)), fields=("name",), name="process_template_one_national_per_name"
            ),
        ),
        migrations.CreateModel(
            name="ProcessVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("number", models.PositiveIntegerField(verbose_name="versjon")),
                ("note", models.TextField(blank=True, verbose_name="hva er endret")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="laget")),
                ("published_at", models.DateTimeField(blank=True, null=True, verbose_name="publisert")),
                (
                    "based_on",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=models.deletion.PROTECT,
                        related_name="+",
                        to="procurement.processversion",
                        verbose_name="laget fra",
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True, null=True, on_delete=models.deletion.PROTECT, related_name="+", to="municipalities.person",
                        verbose_name="laget av",
                    ),
                ),
                (
                    "template",
                    models.ForeignKey(
                        on_delete=models.deletion.PROTECT, related_name="versions", to="procurement.processtemplate", verbose_name="mal"
                    ),
                ),
            ],
            options={
                "verbose_name": "prosessversjon",
                "verbose_name_plural": "prosessversjoner",
                "ordering": ["template", "-number"],
                "constraints": [models.UniqueConstraint(fields=("template", "number"), name="process_version_unique_number")],
            },
        ),
        migrations.AddField(
            model_name="phasedefinition",
            name="version",
            field=models.ForeignKey(
                null=True, on_delete=models.deletion.CASCADE, related_name="phases", to="procurement.processversion",
                verbose_name="prosessversjon",
            ),
        ),
        migrations.AddField(
            model_name="deliverabledefinition",
            name="version",
            field=models.ForeignKey(
                null=True, on_delete=models.deletion.CASCADE, related_name="+", to="procurement.processversion",
                verbose_name="prosessversjon",
            ),
        ),
        migrations.AddField(
            model_name="gatedefinition",
            name="version",
            field=models.ForeignKey(
                null=True, on_delete=models.deletion.CASCADE, related_name="+", to="procurement.processversion",
                verbose_name="prosessversjon",
            ),
        ),
        migrations.AddField(
            model_name="gatedefinition",
            name="kind",
            field=models.CharField(default="signatures", max_length=32, verbose_name="type"),
        ),
        migrations.AddField(
            model_name="gatedefinition", name="order", field=models.PositiveSmallIntegerField(default=0, verbose_name="rekkefølge")
        ),
        migrations.AddField(
            model_name="gatedefinition",
            name="document_roles",
            field=models.JSONField(blank=True, default=list, verbose_name="roller som kan legge inn ny versjon"),
        ),
        migrations.AddField(
            model_name="gatedefinition", name="deadline_kind", field=models.CharField(blank=True, max_length=32, verbose_name="frist")
        ),
        migrations.AddField(
            model_name="gatedefinition", name="record_kind", field=models.CharField(blank=True, max_length=32, verbose_name="sakstype")
        ),
        migrations.AddField(
            model_name="gatedefinition",
            name="record_states",
            field=models.CharField(blank=True, max_length=200, verbose_name="tilstander"),
        ),
        migrations.AlterField(
            model_name="gatedefinition",
            name="document",
            field=models.ForeignKey(
                blank=True, null=True, on_delete=models.deletion.PROTECT, related_name="gates",
                to="procurement.deliverabledefinition", verbose_name="dokument som godkjennes",
            ),
        ),
        migrations.AddField(
            model_name="deliverabledefinition",
            name="access",
            field=models.CharField(default="participants", max_length=20, verbose_name="tilgang"),
        ),
        migrations.AddField(
            model_name="deliverabledefinition",
            name="access_roles",
            field=models.JSONField(blank=True, default=list, verbose_name="roller med tilgang"),
        ),
        migrations.AddField(
            model_name="procurement",
            name="process_version",
            field=models.ForeignKey(
                null=True, on_delete=models.deletion.PROTECT, related_name="procurements", to="procurement.processversion",
                verbose_name="prosessversjon",
            ),
        ),
        migrations.CreateModel(
            name="PhaseChange",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.CharField(max_length=20, verbose_name="type")),
                ("from_state", models.CharField(max_length=32, verbose_name="fra")),
                ("to_state", models.CharField(max_length=32, verbose_name="til")),
                ("reason", models.TextField(blank=True, verbose_name="begrunnelse")),
                ("automatic", models.BooleanField(default=False, verbose_name="automatisk")),
                ("at", models.DateTimeField(auto_now_add=True, verbose_name="tidspunkt")),
                (
                    "actor",
                    models.ForeignKey(
                        blank=True, null=True, on_delete=models.deletion.PROTECT, related_name="+", to="municipalities.person"
                    ),
                ),
                (
                    "procurement",
                    models.ForeignKey(
                        on_delete=models.deletion.CASCADE, related_name="phase_changes", to="procurement.procurement"
                    ),
                ),
            ],
            options={
                "verbose_name": "faseendring",
                "verbose_name_plural": "faseendringer",
                "ordering": ["at", "id"],
                "constraints": [
                    models.CheckConstraint(
                        condition=~models.Q(("kind", "reopen")) | ~models.Q(("reason", "")), name="phase_change_reopen_has_reason"
                    )
                ],
            },
        ),
        migrations.AddField(
            model_name="signoff",
            name="void_reason",
            field=models.CharField(blank=True, max_length=20, verbose_name="ugyldig fordi"),
        ),
        migrations.AddField(
            model_name="signoff",
            name="voided_by_change",
            field=models.ForeignKey(
                blank=True, null=True, on_delete=models.deletion.PROTECT, related_name="voided_signoffs", to="procurement.phasechange"
            ),
        ),
        migrations.AddField(model_name="deadline", name="rule", field=models.CharField(blank=True, max_length=40, verbose_name="regel")),
        migrations.AddField(
            model_name="deadline", name="rule_inputs", field=models.JSONField(blank=True, default=dict, verbose_name="grunnlag")
        ),
        migrations.AlterField(
            model_name="phasedefinition",
            name="code",
            field=models.CharField(max_length=32, verbose_name="fase"),
        ),
        migrations.AlterField(model_name="deliverabledefinition", name="code", field=models.SlugField(max_length=64, verbose_name="kode")),
        migrations.AlterField(model_name="gatedefinition", name="code", field=models.SlugField(max_length=64, verbose_name="kode")),
        migrations.AlterField(
            model_name="gatestep", name="body_kind", field=models.SlugField(blank=True, max_length=32, verbose_name="type organ")
        ),
        migrations.RunPython(catalogue_to_version_one, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="phasedefinition",
            name="version",
            field=models.ForeignKey(
                on_delete=models.deletion.CASCADE, related_name="phases", to="procurement.processversion", verbose_name="prosessversjon"
            ),
        ),
        migrations.AlterField(
            model_name="deliverabledefinition",
            name="version",
            field=models.ForeignKey(
                on_delete=models.deletion.CASCADE, related_name="+", to="procurement.processversion", verbose_name="prosessversjon"
            ),
        ),
        migrations.AlterField(
            model_name="gatedefinition",
            name="version",
            field=models.ForeignKey(
                on_delete=models.deletion.CASCADE, related_name="+", to="procurement.processversion", verbose_name="prosessversjon"
            ),
        ),
        migrations.AlterField(
            model_name="procurement",
            name="process_version",
            field=models.ForeignKey(
                on_delete=models.deletion.PROTECT, related_name="procurements", to="procurement.processversion",
                verbose_name="prosessversjon",
            ),
        ),
        migrations.AddConstraint(
            model_name="phasedefinition",
            constraint=models.UniqueConstraint(fields=("version", "code"), name="phase_definition_unique_in_version"),
        ),
        migrations.AddConstraint(
            model_name="deliverabledefinition",
            constraint=models.UniqueConstraint(fields=("version", "code"), name="deliverable_definition_unique_in_version"),
        ),
        migrations.AddConstraint(
            model_name="gatedefinition",
            constraint=models.UniqueConstraint(fields=("version", "code"), name="gate_definition_unique_in_version"),
        ),
    ]
