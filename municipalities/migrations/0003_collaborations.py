"""Regions become collaborations with members over time.

A municipality no longer belongs to one region: it keeps its country (for the
organisation number) and gets a membership of the collaboration its region became.
Body kinds become the collaboration's own data (slugs), and two roles whose names named
one region's bodies are renamed. Nothing is lost: every region, municipality, body and
role assignment is still there, and the guardian permission rows keep pointing at the
same permission rows (renamed in place)."""
import datetime
from zoneinfo import ZoneInfo

from django.db import migrations, models
from django.db.models import Min, Q

# Frozen here as migrations must be.
BODY_KINDS = {
    "suksit": "steering_group",
    "rmu": "executive_committee",
    "kikt": "shared_it",
    "archive_network": "archive_network",
    "data_protection": "data_protection",
    "regional_buyer": "procurement_office",
}
ROLES = {"suksit_member": "municipal_representative", "kikt_architect": "ict_architect"}
ROLE_VALUES = [
    "coordinator", "municipal_representative", "chief_executive", "regional_buyer", "user_representative",
    "ict_architect", "archive_representative", "data_protection_officer", "union_representative", "evaluator",
]


def act_as_permissions():
    return [(f"act_as_{value}", f"Act as {value.replace('_', ' ')}") for value in ROLE_VALUES]


def permissions_rename(apps, schema_editor):
    """Rename the permission rows in place, so the object permissions granted with them
    (guardian rows point at the permission's id) stay valid."""
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    collaboration_type = ContentType.objects.filter(app_label="municipalities", model__in=["region", "collaboration"])
    for action in ("add", "change", "delete", "view", "coordinate"):
        Permission.objects.filter(content_type__in=collaboration_type, codename=f"{action}_region").update(
            codename=f"{action}_collaboration"
        )
    for old, new in ROLES.items():
        Permission.objects.filter(content_type__app_label="municipalities", codename=f"act_as_{old}").update(
            codename=f"act_as_{new}", name=f"Act as {new.replace('_', ' ')}"
        )


def memberships_from_regions(apps, schema_editor):
    Municipality = apps.get_model("municipalities", "Municipality")
    Membership = apps.get_model("municipalities", "Membership")
    Procurement = apps.get_model("procurement", "Procurement")
    now = datetime.datetime.now(datetime.timezone.utc)
    for municipality in Municipality.objects.select_related("region"):
        municipality.country = municipality.region.country
        municipality.save(update_fields=["country"])
        first = Procurement.objects.filter(region_id=municipality.region_id).aggregate(first=Min("created_at"))["first"]
        # Dates as the region's own calendar has them: a case reported at 00:30 in Oslo
        # was reported on that day, not on the day before as UTC has it.
        zone = ZoneInfo(municipality.region.time_zone)
        today = now.astimezone(zone).date()
        Membership.objects.create(
            collaboration_id=municipality.region_id,
            municipality=municipality,
            joined_on=min(first.astimezone(zone).date(), today) if first else today,
            agreement="",
        )


def bodies_and_roles(apps, schema_editor):
    Body = apps.get_model("municipalities", "Body")
    RoleAssignment = apps.get_model("municipalities", "RoleAssignment")
    for old, new in BODY_KINDS.items():
        Body.objects.filter(kind=old).update(kind=new)
    for old, new in ROLES.items():
        RoleAssignment.objects.filter(role=old).update(role=new)


class Migration(migrations.Migration):
    dependencies = [
        ("municipalities", "0002_role_assignment_unique_per_scope"),
        ("procurement", "0003_deadline_phase"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RenameModel("Region", "Collaboration"),
        migrations.AlterModelOptions(
            name="collaboration",
            options={
                "ordering": ["name"],
                "permissions": [("coordinate_collaboration", "Run procurements for the collaboration")],
                "verbose_name": "samarbeid",
                "verbose_name_plural": "samarbeid",
            },
        ),
        migrations.RemoveConstraint(model_name="body", name="body_one_kind_per_region"),
        migrations.RenameField("body", "region", "collaboration"),
        migrations.AddField(
            model_name="municipality",
            name="country",
            field=models.CharField(choices=[("NO", "Norge"), ("DK", "Danmark")], default="NO", max_length=2, verbose_name="land"),
        ),
        migrations.CreateModel(
            name="Membership",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("joined_on", models.DateField(verbose_name="medlem fra")),
                ("left_on", models.DateField(blank=True, help_text="Tom: fortsatt medlem.", null=True, verbose_name="medlem til")),
                (
                    "agreement",
                    models.CharField(
                        blank=True,
                        help_text="For eksempel tilslutningsavtalens dato og saksnummer.",
                        max_length=255,
                        verbose_name="avtale om deltakelse",
                    ),
                ),
                (
                    "collaboration",
                    models.ForeignKey(
                        on_delete=models.deletion.PROTECT,
                        related_name="memberships",
                        to="municipalities.collaboration",
                        verbose_name="samarbeid",
                    ),
                ),
                (
                    "municipality",
                    models.ForeignKey(
                        on_delete=models.deletion.PROTECT,
                        related_name="memberships",
                        to="municipalities.municipality",
                        verbose_name="kommune",
                    ),
                ),
            ],
            options={
                "verbose_name": "medlemskap",
                "verbose_name_plural": "medlemskap",
                "ordering": ["collaboration__name", "municipality__name", "joined_on"],
                "constraints": [
                    models.UniqueConstraint(fields=("collaboration", "municipality", "joined_on"), name="membership_unique_start"),
                    models.CheckConstraint(
                        condition=Q(left_on__isnull=True) | Q(left_on__gt=models.F("joined_on")),
                        name="membership_ends_after_it_starts",
                        violation_error_message="Medlemskapet må slutte etter at det begynte.",
                    ),
                ],
            },
        ),
        migrations.RunPython(memberships_from_regions, migrations.RunPython.noop),
        migrations.RemoveConstraint(model_name="municipality", name="municipality_unique_name_in_region"),
        migrations.RemoveField(model_name="municipality", name="region"),
        migrations.AddConstraint(
            model_name="municipality",
            constraint=models.UniqueConstraint(fields=("country", "name"), name="municipality_unique_name_in_country"),
        ),
        migrations.AlterField(
            model_name="body",
            name="kind",
            field=models.SlugField(
                help_text="Kort kode for hva organet er, for eksempel «styringsgruppe». Godkjenningsstegene i prosessen viser til den.",
                max_length=32,
                verbose_name="type",
            ),
        ),
        migrations.AlterField(
            model_name="body",
            name="collaboration",
            field=models.ForeignKey(
                on_delete=models.deletion.PROTECT, related_name="bodies", to="municipalities.collaboration", verbose_name="samarbeid"
            ),
        ),
        migrations.AlterModelOptions(
            name="body",
            options={
                "ordering": ["collaboration__name", "kind"],
                "permissions": act_as_permissions() + [("act_for_body", "Act for the body")],
                "verbose_name": "organ",
                "verbose_name_plural": "organer",
            },
        ),
        migrations.AddConstraint(
            model_name="body",
            constraint=models.UniqueConstraint(fields=("collaboration", "kind"), name="body_one_kind_per_collaboration"),
        ),
        migrations.AlterModelOptions(
            name="municipality",
            options={
                "ordering": ["name"],
                "permissions": act_as_permissions() + [("act_for_municipality", "Act for the municipality")],
                "verbose_name": "kommune",
                "verbose_name_plural": "kommuner",
            },
        ),
        migrations.AlterField(
            model_name="roleassignment",
            name="role",
            field=models.CharField(
                choices=[(value, value) for value in ROLE_VALUES], max_length=40, verbose_name="rolle"
            ),
        ),
        migrations.RunPython(bodies_and_roles, migrations.RunPython.noop),
        migrations.RunPython(permissions_rename, migrations.RunPython.noop),
    ]
