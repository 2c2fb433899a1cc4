from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ParticipationStatus(models.TextChoices):
    INVITED = "invited", _("Invitert")
    JOINED = "joined", _("Blir med")
    DECLINED = "declined", _("Takket nei")


class Participation(models.Model):
    procurement = models.ForeignKey("procurement.Procurement", on_delete=models.CASCADE, related_name="participations")
    municipality = models.ForeignKey("municipalities.Municipality", on_delete=models.PROTECT, related_name="participations")
    status = models.CharField(_("svar"), max_length=10, choices=ParticipationStatus.choices, default=ParticipationStatus.INVITED)
    is_lead = models.BooleanField(_("meldte inn behovet"), default=False)
    decline_reason = models.TextField(_("begrunnelse"), blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)
    cost_share = models.DecimalField(_("kostnadsandel (%)"), max_digits=5, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("deltakelse")
        verbose_name_plural = _("deltakelser")
        ordering = ["-is_lead", "municipality__name"]
        constraints = [
            models.UniqueConstraint(fields=["procurement", "municipality"], name="participation_unique"),
            models.CheckConstraint(
                condition=~Q(status=ParticipationStatus.DECLINED) | ~Q(decline_reason=""),
                name="participation_decline_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(cost_share__isnull=True) | Q(status=ParticipationStatus.JOINED),
                name="participation_share_only_when_joined",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} – {self.get_status_display()}"


class InformationInitiative(models.Model):
    """A digitalisation initiative that will not become a procurement, reported to the collaboration
    for information so that the other municipalities avoid double work (seed 000, point 10)."""

    collaboration = models.ForeignKey("municipalities.Collaboration", on_delete=models.PROTECT, related_name="initiatives")
    municipality = models.ForeignKey("municipalities.Municipality", on_delete=models.PROTECT, related_name="initiatives")
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("tittel"), max_length=200)
    description = models.TextField(_("beskrivelse"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("initiativ til orientering")
        verbose_name_plural = _("initiativ til orientering")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title
