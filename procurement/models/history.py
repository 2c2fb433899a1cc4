from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .procurement import ProcurementState


class PhaseChangeKind(models.TextChoices):
    START = "start", _("Startet")
    COMPLETE = "complete_phase", _("Fase fullført")
    REOPEN = "reopen", _("Gått tilbake")
    CLOSE = "close", _("Avsluttet")
    CANCEL = "cancel", _("Avlyst")


class PhaseChange(models.Model):
    """Every move of a procurement between phases, forwards or back, with who, when and why:
    the timeline reads these rows, the audit log says the same in words."""

    procurement = models.ForeignKey("procurement.Procurement", on_delete=models.CASCADE, related_name="phase_changes")
    kind = models.CharField(_("type"), max_length=20, choices=PhaseChangeKind.choices)
    from_state = models.CharField(_("fra"), max_length=32, choices=ProcurementState.choices)
    to_state = models.CharField(_("til"), max_length=32, choices=ProcurementState.choices)
    reason = models.TextField(_("begrunnelse"), blank=True)
    automatic = models.BooleanField(_("automatisk"), default=False)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    at = models.DateTimeField(_("tidspunkt"), auto_now_add=True)

    class Meta:
        verbose_name = _("faseendring")
        verbose_name_plural = _("faseendringer")
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="reopen") | ~models.Q(reason=""), name="phase_change_reopen_has_reason"
            )
        ]
