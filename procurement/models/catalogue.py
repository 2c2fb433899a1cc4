"""What each phase demands (seed 004) as data an administrator edits in the admin:
deliverables, checklist items and the sign-off gates with their steps."""
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from municipalities.roles import BodyKind, Role

from .procurement import ProcurementState


class Bilingual(models.Model):
    """Bokmål text with an optional English translation chosen by the active language."""

    name = models.CharField(_("navn (bokmål)"), max_length=255)
    name_en = models.CharField(_("navn (engelsk)"), max_length=255, blank=True)

    class Meta:
        abstract = True

    @property
    def label(self) -> str:
        if (get_language() or "nb").startswith("en") and self.name_en:
            return self.name_en
        return self.name

    def __str__(self) -> str:
        return self.name


PHASE_CHOICES = [(value, label) for value, label in ProcurementState.choices]


class PhaseDefinition(Bilingual):
    code = models.CharField(_("fase"), max_length=32, choices=PHASE_CHOICES, unique=True)
    guide_step = models.CharField(_("steg i veilederen"), max_length=255, blank=True)
    description = models.TextField(_("beskrivelse"), blank=True)
    decision = models.TextField(_("beslutning i fasen"), blank=True)
    order = models.PositiveSmallIntegerField(_("rekkefølge"), default=0)

    class Meta:
        verbose_name = _("fasedefinisjon")
        verbose_name_plural = _("fasedefinisjoner")
        ordering = ["order"]


class DeliverableKind(models.TextChoices):
    DOCUMENT = "document", _("Dokument")
    TEXT = "text", _("Tekst")
    EITHER = "either", _("Dokument eller tekst")


class DeliverableDefinition(Bilingual):
    phase = models.ForeignKey(PhaseDefinition, on_delete=models.CASCADE, related_name="deliverables", verbose_name=_("fase"))
    code = models.SlugField(_("kode"), max_length=64, unique=True)
    description = models.TextField(_("beskrivelse"), blank=True)
    kind = models.CharField(_("form"), max_length=10, choices=DeliverableKind.choices, default=DeliverableKind.EITHER)
    required = models.BooleanField(_("påkrevd for å fullføre fasen"), default=True)
    order = models.PositiveSmallIntegerField(_("rekkefølge"), default=0)

    class Meta:
        verbose_name = _("leveransedefinisjon")
        verbose_name_plural = _("leveransedefinisjoner")
        ordering = ["phase__order", "order", "id"]


class ChecklistItemDefinition(Bilingual):
    phase = models.ForeignKey(PhaseDefinition, on_delete=models.CASCADE, related_name="checklist_items", verbose_name=_("fase"))
    order = models.PositiveSmallIntegerField(_("rekkefølge"), default=0)

    class Meta:
        verbose_name = _("sjekklistepunkt")
        verbose_name_plural = _("sjekklistepunkter")
        ordering = ["phase__order", "order", "id"]


class GateDefinition(Bilingual):
    """A sign-off gate: the phase it guards cannot be completed until every step has
    approved the current version of the gate's document."""

    code = models.SlugField(_("kode"), max_length=64, unique=True)
    phase = models.ForeignKey(PhaseDefinition, on_delete=models.CASCADE, related_name="gates", verbose_name=_("fase"))
    document = models.ForeignKey(
        DeliverableDefinition, on_delete=models.PROTECT, related_name="gates", verbose_name=_("dokument som godkjennes")
    )
    description = models.TextField(_("beskrivelse"), blank=True)

    class Meta:
        verbose_name = _("godkjenningsport")
        verbose_name_plural = _("godkjenningsporter")
        ordering = ["phase__order", "id"]


class StepScope(models.TextChoices):
    BODY = "body", _("Én beslutning for organet")
    EACH_PARTICIPANT = "each_participant", _("Én signatur per deltakende kommune")


class GateStep(Bilingual):
    gate = models.ForeignKey(GateDefinition, on_delete=models.CASCADE, related_name="steps", verbose_name=_("port"))
    order = models.PositiveSmallIntegerField(_("rekkefølge"), default=1)
    role = models.CharField(_("rolle som signerer"), max_length=40, choices=Role.choices)
    scope = models.CharField(_("omfang"), max_length=20, choices=StepScope.choices)
    body_kind = models.CharField(_("organ"), max_length=32, choices=BodyKind.choices, blank=True)

    class Meta:
        verbose_name = _("godkjenningssteg")
        verbose_name_plural = _("godkjenningssteg")
        ordering = ["gate", "order"]
        constraints = [
            models.UniqueConstraint(fields=["gate", "order"], name="gate_step_unique_order"),
            models.CheckConstraint(
                condition=~models.Q(scope="body") | ~models.Q(body_kind=""), name="gate_step_body_scope_names_body"
            ),
        ]
