import zoneinfo

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from stdnum.dk import cvr
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.no import orgnr

from .roles import ACT_AS_PERMISSIONS, BodyKind, Role


class Country(models.TextChoices):
    NORWAY = "NO", _("Norge")
    DENMARK = "DK", _("Danmark")


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("Ukjent tidssone: %(value)s"), params={"value": value})


class Region(models.Model):
    name = models.CharField(_("navn"), max_length=120, unique=True)
    country = models.CharField(_("land"), max_length=2, choices=Country.choices, default=Country.NORWAY)
    time_zone = models.CharField(
        _("tidssone"), max_length=64, default="Europe/Oslo", validators=[validate_time_zone]
    )

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regioner")
        ordering = ["name"]
        permissions = [("coordinate_region", "Run procurements for the region")]

    def __str__(self) -> str:
        return self.name

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)


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
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("region"))
    name = models.CharField(_("navn"), max_length=120)
    organisation_number = models.CharField(_("organisasjonsnummer"), max_length=9, unique=True)
    population = models.PositiveIntegerField(_("innbyggertall"))

    class Meta:
        verbose_name = _("kommune")
        verbose_name_plural = _("kommuner")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="municipality_unique_name_in_region")]
        permissions = ACT_AS_PERMISSIONS + [("act_for_municipality", "Act for the municipality")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        number = (self.organisation_number or "").replace(" ", "")
        self.organisation_number = number
        if self.region_id:
            message = organisation_number_error(number, self.region.country)
            if message:
                raise ValidationError({"organisation_number": message})


class Body(models.Model):
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="bodies", verbose_name=_("region"))
    kind = models.CharField(_("type"), max_length=32, choices=BodyKind.choices)
    name = models.CharField(_("navn"), max_length=120)

    class Meta:
        verbose_name = _("organ")
        verbose_name_plural = _("organer")
        ordering = ["region__name", "kind"]
        constraints = [models.UniqueConstraint(fields=["region", "kind"], name="body_one_kind_per_region")]
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

    @property
    def region(self) -> Region:
        return (self.municipality or self.body).region

    def clean(self) -> None:
        if not self.municipality_id and not self.body_id:
            raise ValidationError(_("Velg kommune, organ eller begge."))
        if self.municipality_id and self.body_id and self.municipality.region_id != self.body.region_id:
            raise ValidationError(_("Kommunen og organet må høre til samme region."))
