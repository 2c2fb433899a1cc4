"""The outbox. A row is one message to one person, under a key that says which message it
is (``event:<event id>:<person>``, ``deadline:<deadline>:<offset>:<due date>:<person>`` ...);
the key is UNIQUE, so however often a sweep or a retried task records a message, it exists
once. A row is sent when ``sent_at`` is set, which happens only after the mail server took
the message."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(sent_at__isnull=True)

    def available(self, now):
        """Pending rows a worker may take now: not claimed by a live lease, their back-off
        over, and not given up on (failed too often: those wait for someone in the admin)."""
        return self.pending().filter(
            Q(claimed_until__isnull=True) | Q(claimed_until__lte=now),
            next_attempt_at__lte=now,
            attempts__lt=settings.OUTBOX_MAX_ATTEMPTS,
        )

    def failed(self):
        return self.pending().filter(attempts__gte=settings.OUTBOX_MAX_ATTEMPTS)


class Outbox(models.Model):
    key = models.CharField(_("nøkkel"), max_length=255, unique=True)
    kind = models.CharField(_("type"), max_length=60)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="outbox", verbose_name=_("mottaker"),
        null=True, blank=True,
    )
    # A message to someone who is not a user (a supplier's contact: the award notice) goes
    # to ADDRESS; ATTACHMENT is a stored file (default storage) sent with it as ATTACHMENT_NAME.
    address = models.EmailField(_("adresse"), blank=True, default="")
    attachment = models.CharField(_("vedlegg"), max_length=255, blank=True, default="")
    attachment_name = models.CharField(_("vedleggets navn"), max_length=255, blank=True, default="")
    procurement = models.ForeignKey(
        "procurement.Procurement", on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("anskaffelse")
    )
    subject = models.CharField(_("emne"), max_length=255)
    body = models.TextField(_("tekst"))
    created_at = models.DateTimeField(_("registrert"), default=timezone.now)
    # When a worker may try (again): now for a new row, later after a failure (back-off).
    next_attempt_at = models.DateTimeField(_("neste forsøk"), default=timezone.now)
    # The lease: a worker that claimed the row owns it until then; one that died with it
    # leaves it to the next worker once the lease has run out.
    claimed_until = models.DateTimeField(_("tatt av en arbeider til"), null=True, blank=True)
    claim_token = models.UUIDField(null=True, blank=True, editable=False)
    attempts = models.PositiveIntegerField(_("forsøk"), default=0)
    last_error = models.TextField(_("siste feil"), blank=True)
    sent_at = models.DateTimeField(_("sendt"), null=True, blank=True)

    objects = OutboxQuerySet.as_manager()

    class Meta:
        verbose_name = _("utgående melding")
        verbose_name_plural = _("utgående meldinger")
        ordering = ["-created_at", "-id"]
        indexes = [
            # What the dispatcher reads every minute: the pending rows in the order they are due.
            models.Index(fields=["next_attempt_at", "id"], condition=Q(sent_at__isnull=True), name="outbox_pending"),
            models.Index(fields=["recipient", "-created_at"], name="outbox_recipient"),
        ]

    def __str__(self) -> str:
        return self.key

    @property
    def state(self) -> str:
        if self.sent_at is not None:
            return "sent"
        if self.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
            return "failed"
        if self.claimed_until is not None and self.claimed_until > timezone.now():
            return "sending"
        return "retrying" if self.attempts else "pending"


class Event(models.Model):
    """Something a service decided that people are to be told about, written in the same
    transaction as the decision. After the commit a task turns it into one outbox row per
    person (``expanded_at``); the dispatcher does it for any event whose task was lost."""

    name = models.CharField(_("hendelse"), max_length=40)
    procurement = models.ForeignKey(
        "procurement.Procurement", on_delete=models.CASCADE, related_name="+", verbose_name=_("anskaffelse")
    )
    municipality_ids = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(_("registrert"), default=timezone.now)
    expanded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("hendelse")
        verbose_name_plural = _("hendelser")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["created_at"], condition=Q(expanded_at__isnull=True), name="event_unexpanded")]

    def __str__(self) -> str:
        return f"{self.name} ({self.procurement_id})"

