import zoneinfo
from datetime import date

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum.dk import cvr
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.no import orgnr

from .roles import ACT_AS_PERMISSIONS, COORDINATING_ROLES, Role


class Country(models.TextChoices):
    NORWAY = "NO", _("Norge")
    DENMARK = "DK", _("Danmark")


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("Ukjent tidssone: %(value)s"), params={"value": value})


class Collaboration(models.Model):
    """Municipalities that procure together: an IT collaboration of a region, a network
    joined by an agreement (KOMBIT), a merger project. Its country decides the public
    holidays and the rules; its time zone the end of every deadline day."""

    name = models.CharField(_("navn"), max_length=120, unique=True)
    country = models.CharField(_("land"), max_length=2, choices=Country.choices, default=Country.NORWAY)
    time_zone = models.CharField(
        _("tidssone"), max_length=64, default="Europe/Oslo", validators=[validate_time_zone]
    )
    # Every municipality that is or was a member; Membership says when.
    municipalities = models.ManyToManyField(
        "Municipality", through="Membership", related_name="collaborations", verbose_name=_("kommuner")
    )
    # Raised by database triggers whenever a meeting of no case, its minutes, a member or a
    # body of the collaboration changes (procurement.revisions); read by kept pages.
    revision = models.PositiveBigIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("samarbeid")
        verbose_name_plural = _("samarbeid")
        ordering = ["name"]
        permissions = [("coordinate_collaboration", "Run procurements for the collaboration")]

    def __str__(self) -> str:
        return self.name

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def today(self) -> date:
        return timezone.localdate(timezone=self.tzinfo)


def organisation_number_error(number: str, country: str) -> str | None:
    """Norwegian organisation numbers are 9 digits with a mod-11 check digit; Danish
    CVR numbers 8. Returns a message for the form, or None when the number is valid."""
    validator = orgnr if country == Country.NORWAY else cvr
    try:
        validator.validate(number)
    except StdnumError:
        if country == Country.NORWAY:
            return _("Organisasjonsnummeret må ha 9 siffer og gyldig kontrollsiffer.")
        return _("CVR-nummeret må ha 8 siffer og gyldig kontrollsiffer.")
    return None


class Municipality(models.Model):
    """A municipality in its own right; which collaborations it belongs to, and when, is
    in its memberships."""

    country = models.CharField(_("land"), max_length=2, choices=Country.choices, default=Country.NORWAY)
    name = models.CharField(_("navn"), max_length=120)
    organisation_number = models.CharField(_("organisasjonsnummer"), max_length=9, unique=True)
    population = models.PositiveIntegerField(_("innbyggertall"))

    class Meta:
        verbose_name = _("kommune")
        verbose_name_plural = _("kommuner")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["country", "name"], name="municipality_unique_name_in_country")]
        permissions = ACT_AS_PERMISSIONS + [("act_for_municipality", "Act for the municipality")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        number = (self.organisation_number or "").replace(" ", "")
        self.organisation_number = number
        message = organisation_number_error(number, self.country)
        if message:
            raise ValidationError({"organisation_number": message})


class MembershipQuerySet(models.QuerySet):
    def current(self, on: date | None = None):
        """Memberships in force on ON (today by default): joined on or before, not yet left."""
        on = on or timezone.localdate()
        return self.filter(joined_on__lte=on).filter(Q(left_on__isnull=True) | Q(left_on__gt=on))


class Membership(models.Model):
    """A municipality's membership of a collaboration over time. A KOMBIT-style network is
    joined by a joining agreement (tilslutningsaftale); its reference is kept here."""

    collaboration = models.ForeignKey(
        Collaboration, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("samarbeid")
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("kommune")
    )
    joined_on = models.DateField(_("medlem fra"))
    left_on = models.DateField(_("medlem til"), null=True, blank=True, help_text=_("Tom: fortsatt medlem."))
    agreement = models.CharField(
        _("avtale om deltakelse"), max_length=255, blank=True, help_text=_("For eksempel tilslutningsavtalens dato og saksnummer.")
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("medlemskap")
        verbose_name_plural = _("medlemskap")
        ordering = ["collaboration__name", "municipality__name", "joined_on"]
        constraints = [
            models.UniqueConstraint(fields=["collaboration", "municipality", "joined_on"], name="membership_unique_start"),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gt=models.F("joined_on")),
                name="membership_ends_after_it_starts",
                violation_error_message=_("Medlemskapet må slutte etter at det begynte."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} i {self.collaboration}"

    def clean(self) -> None:
        if self.collaboration_id and self.municipality_id and self.collaboration.country != self.municipality.country:
            raise ValidationError({"municipality": _("Kommunen må ligge i samme land som samarbeidet.")})
        if self.collaboration_id and self.municipality_id and self.joined_on:
            overlapping = Membership.objects.filter(
                collaboration_id=self.collaboration_id, municipality_id=self.municipality_id
            ).exclude(pk=self.pk)
            for other in overlapping:
                if (other.left_on is None or other.left_on > self.joined_on) and (
                    self.left_on is None or self.left_on > other.joined_on
                ):
                    raise ValidationError({"joined_on": _("Kommunen er allerede medlem av samarbeidet i denne perioden.")})


class Body(models.Model):
    """A body of a collaboration (its steering group, its committee of chief executives, its
    shared IT operations ...). KIND is the collaboration's own word for what the body is;
    process templates name kinds, never bodies, so one template fits several collaborations."""

    collaboration = models.ForeignKey(
        Collaboration, on_delete=models.PROTECT, related_name="bodies", verbose_name=_("samarbeid")
    )
    kind = models.SlugField(
        _("type"),
        max_length=32,
        help_text=_("Kort kode for hva organet er, for eksempel «styringsgruppe». Godkjenningsstegene i prosessen viser til den."),
    )
    name = models.CharField(_("navn"), max_length=120)
    # The person the collaboration names to record this body's decisions (RMU's secretary):
    # when set, a gate step of this body is recorded by this person, with the meeting date and
    # case number, not signed by any one member.
    decision_recorder = models.ForeignKey(
        "municipalities.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("protokollfører for vedtak"),
        help_text=_("Den som fører organets vedtak inn i løsningen, med møtedato og saksnummer."),
    )

    class Meta:
        verbose_name = _("organ")
        verbose_name_plural = _("organer")
        ordering = ["collaboration__name", "kind"]
        constraints = [models.UniqueConstraint(fields=["collaboration", "kind"], name="body_one_kind_per_collaboration")]
        permissions = ACT_AS_PERMISSIONS + [("act_for_body", "Act for the body")]

    def __str__(self) -> str:
        return self.name


class Person(AbstractUser):
    """A login. What the person may do comes from their role assignments."""

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("personer")
        ordering = ["last_name", "first_name", "username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class RoleAssignment(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("person"))
    role = models.CharField(_("rolle"), max_length=40, choices=Role.choices)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, null=True, blank=True, related_name="role_assignments", verbose_name=_("kommune")
    )
    body = models.ForeignKey(
        Body, on_delete=models.CASCADE, null=True, blank=True, related_name="role_assignments", verbose_name=_("organ")
    )

    class Meta:
        verbose_name = _("rolletildeling")
        verbose_name_plural = _("rolletildelinger")
        ordering = ["person__username", "role"]
        constraints = [
            models.CheckConstraint(
                condition=Q(municipality__isnull=False) | Q(body__isnull=False),
                name="role_assignment_has_municipality_or_body",
            ),
            # NULLs never compare equal, so each combination gets its own constraint.
            models.UniqueConstraint(
                fields=["person", "role", "municipality", "body"],
                condition=Q(municipality__isnull=False, body__isnull=False),
                name="role_assignment_unique_both",
            ),
            models.UniqueConstraint(
                fields=["person", "role", "municipality"],
                condition=Q(body__isnull=True),
                name="role_assignment_unique_municipality",
            ),
            models.UniqueConstraint(
                fields=["person", "role", "body"],
                condition=Q(municipality__isnull=True),
                name="role_assignment_unique_body",
            ),
        ]

    def __str__(self) -> str:
        where = self.municipality or self.body
        return f"{self.person} – {self.get_role_display()} ({where})"

    def clean(self) -> None:
        if not self.municipality_id and not self.body_id:
            raise ValidationError(_("Velg kommune, organ eller begge."))
        if self.role in COORDINATING_ROLES and not self.body_id:
            raise ValidationError({"body": _("Koordinator og regional innkjøper hører til et organ i samarbeidet. Velg organet.")})
        if self.role == Role.GENERAL_MANAGER and not self.body_id:
            raise ValidationError({"body": _("Daglig leder hører til et organ i samarbeidet. Velg organet.")})
        if self.municipality_id and self.body_id and not Membership.objects.filter(
            collaboration_id=self.body.collaboration_id, municipality_id=self.municipality_id
        ).exists():
            raise ValidationError(_("Kommunen må være medlem av samarbeidet organet hører til."))
