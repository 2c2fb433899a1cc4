from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from municipalities.models import Country
from procurement import phases

from .procurement import ProcurementState


class DeadlineKind(models.TextChoices):
    INVITATION_ANSWER = "invitation_answer", _("Svarfrist for invitasjon")
    PHASE = "phase", _("Fasefrist")
    OTHER = "other", _("Annen frist")
    STANDSTILL = "standstill", _("Karensperiode")
    QUESTIONS = "questions", _("Frist for spørsmål fra tilbydere")
    ANSWERS = "answers", _("Frist for å publisere svar")
    TENDER = "tender", _("Tilbudsfrist")
    COMPLAINT = "complaint", _("Klagefrist")
    COMPLAINT_ANSWER = "complaint_answer", _("Frist for å svare på klage")
    ACCEPTANCE_TEST = "acceptance_test", _("Godkjenningsprøven slutter")
    CONTRACT_EXPIRY = "contract_expiry", _("Kontrakten løper ut")
    CONTRACT_OPTION = "contract_option", _("Frist for å bruke en opsjon")
    JOINING = "joining", _("Frist for tilslutning")
    WORK_PACKAGE = "work_package", _("Frist for arbeidspakke")


# Deadlines a gate can name (kind deadline_passed): the case has at most one live deadline
# of each, set by the service that owns the rule (intake, the award notice ...).
NAMED_DEADLINE_KINDS = [
    (kind.value, kind.label) for kind in (DeadlineKind.INVITATION_ANSWER, DeadlineKind.STANDSTILL)
]


# The ten phases a phase deadline can belong to, in order, with the labels of the states.
PHASE_CHOICES = [(code, label) for code, label in ProcurementState.choices if code in phases.PHASES]


class Deadline(models.Model):
    procurement = models.ForeignKey("procurement.Procurement", on_delete=models.CASCADE, related_name="deadlines")
    kind = models.CharField(_("type"), max_length=20, choices=DeadlineKind.choices, default=DeadlineKind.OTHER)
    # A phase deadline belongs to one phase and is done when the procurement leaves it;
    # the other kinds belong to no phase.
    phase = models.CharField(_("fase"), max_length=30, choices=PHASE_CHOICES, blank=True, default="")
    title = models.CharField(_("tittel"), max_length=200)
    due_date = models.DateField(_("frist"))
    done_at = models.DateTimeField(null=True, blank=True)
    # A deadline derived from a legal rule keeps the rule and its inputs, so it can be
    # recomputed (procurement.deadlines); a deadline someone typed in has neither.
    rule = models.CharField(_("regel"), max_length=40, blank=True)
    rule_inputs = models.JSONField(_("grunnlag"), default=dict, blank=True)

    @property
    def derived(self) -> bool:
        """Computed from its rule (the standstill end, a tender date, a contract's end ...)
        or from the invitations: it moves with its inputs, never by hand."""
        return bool(self.rule) or self.kind == DeadlineKind.INVITATION_ANSWER

    class Meta:
        verbose_name = _("frist")
        verbose_name_plural = _("frister")
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["procurement", "done_at", "due_date"])]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind=DeadlineKind.PHASE) & ~Q(phase="")) | (~Q(kind=DeadlineKind.PHASE) & Q(phase="")),
                name="deadline_phase_only_for_phase_kind",
                violation_error_message=_("En fasefrist må høre til en fase, og bare en fasefrist kan ha en fase."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.due_date:%d.%m.%Y})"



class DeclaredHoliday(models.Model):
    """A public holiday the government declared that the holidays library does not know
    (yet), such as a one-off day off: data an administrator adds, so every deadline counted
    in working days moves with it (procurement.services.holidays)."""

    country = models.CharField(_("land"), max_length=2, choices=Country.choices)
    day = models.DateField(_("dato"))
    name = models.CharField(_("navn"), max_length=120)
    source = models.CharField(_("kilde"), max_length=255, help_text=_("Hvor vedtaket står, for eksempel en lenke til Lovdata."))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("vedtatt helligdag")
        verbose_name_plural = _("vedtatte helligdager")
        ordering = ["country", "day"]
        constraints = [models.UniqueConstraint(fields=["country", "day"], name="declared_holiday_unique_day")]

    def __str__(self) -> str:
        return f"{self.name} ({self.day:%d.%m.%Y}, {self.get_country_display()})"
