from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Decision(models.TextChoices):
    APPROVE = "approve", _("Godkjent")
    REJECT = "reject", _("Avvist")


class VoidReason(models.TextChoices):
    NEW_VERSION = "new_version", _("Ny versjon av dokumentet")
    REOPENED = "reopened", _("Fasen ble åpnet igjen")


class SignOff(models.Model):
    """One signature at a gate step for one slot: a participating municipality (each
    participant signs) or the body (one decision). A new version of the gate's document
    voids the earlier signatures; they stay on record, marked void."""

    procurement = models.ForeignKey("procurement.Procurement", on_delete=models.CASCADE, related_name="signoffs")
    step = models.ForeignKey("procurement.GateStep", on_delete=models.PROTECT, related_name="signoffs")
    slot = models.CharField(max_length=40, help_text="m:<municipality id> or b:<body id>")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="signoffs")
    role = models.CharField(_("rolle"), max_length=40)
    municipality = models.ForeignKey("municipalities.Municipality", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    body = models.ForeignKey("municipalities.Body", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decision = models.CharField(_("beslutning"), max_length=10, choices=Decision.choices)
    comment = models.TextField(_("kommentar"), blank=True)
    # A body's decision recorded by its designated recorder: the meeting and its case number.
    meeting_on = models.DateField(_("møtedato"), null=True, blank=True)
    case_number = models.CharField(_("saksnummer"), max_length=50, blank=True)
    document_version = models.ForeignKey("procurement.DeliverableVersion", on_delete=models.PROTECT, related_name="signoffs")
    document_sha256 = models.CharField(max_length=64)
    signed_at = models.DateTimeField(auto_now_add=True)
    voided_at = models.DateTimeField(null=True, blank=True)
    voided_by_version = models.ForeignKey(
        "procurement.DeliverableVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="voided_signoffs"
    )
    void_reason = models.CharField(_("ugyldig fordi"), max_length=20, choices=VoidReason.choices, blank=True)
    voided_by_change = models.ForeignKey(
        "procurement.PhaseChange", on_delete=models.PROTECT, null=True, blank=True, related_name="voided_signoffs"
    )

    class Meta:
        verbose_name = _("signatur")
        verbose_name_plural = _("signaturer")
        ordering = ["signed_at", "id"]
        constraints = [
            # The database, not only the lock, guarantees one live signature per slot.
            models.UniqueConstraint(
                fields=["procurement", "step", "slot"], condition=Q(voided_at__isnull=True), name="signoff_one_live_per_slot"
            ),
            models.CheckConstraint(
                condition=~Q(decision="reject") | ~Q(comment=""), name="signoff_reject_has_comment"
            ),
            models.CheckConstraint(
                condition=Q(municipality__isnull=False) | Q(body__isnull=False), name="signoff_for_municipality_or_body"
            ),
        ]

    @property
    def is_void(self) -> bool:
        return self.voided_at is not None
