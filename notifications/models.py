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


class Channel(models.TextChoices):
    EMAIL = "email", _("E-post")
    IN_APP = "in_app", _("Bare i løsningen")


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
    # to ADDRESS. ATTACHMENTS: the stored files (default storage) sent with it, in order, as
    # [[stored name, file name in the mail], ...]: references, not bytes, so a row stays small
    # and the 100 000-row INSERT of a sweep stays one statement.
    address = models.EmailField(_("adresse"), blank=True, default="")
    attachments = models.JSONField(_("vedlegg"), default=list, blank=True)
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
    # How it reached the person: by e-mail, or only in the list in the app because they
    # chose that for its kind (notifications/channels.py). Every row is also in that list.
    # db_default: the sweep records rows with one INSERT that names only its own columns.
    channel = models.CharField(_("levert som"), max_length=10, choices=Channel.choices, blank=True, db_default="")
    read_at = models.DateTimeField(_("lest"), null=True, blank=True)

    objects = OutboxQuerySet.as_manager()

    class Meta:
        verbose_name = _("utgående melding")
        verbose_name_plural = _("utgående meldinger")
        ordering = ["-created_at", "-id"]
        indexes = [
            # What the dispatcher reads every minute: the pending rows in the order they are due.
            models.Index(fields=["next_attempt_at", "id"], condition=Q(sent_at__isnull=True), name="outbox_pending"),
            models.Index(fields=["recipient", "-created_at"], name="outbox_recipient"),
            # The unread count in every page's header.
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="outbox_unread"),
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



class Language(models.TextChoices):
    BOKMAAL = "nb", _("Norsk (bokmål)")
    ENGLISH = "en", _("Engelsk")


class NotificationSettings(models.Model):
    """What a person chose: the language of their e-mails and the kinds of message they want
    only in the app (notifications/channels.py names the kinds). No row: every kind by
    e-mail, in bokmål."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings", verbose_name=_("person")
    )
    language = models.CharField(_("språk i e-post"), max_length=5, choices=Language.choices, default=Language.BOKMAAL)
    in_app_only = models.JSONField(_("bare i løsningen"), default=list, blank=True)
    updated_at = models.DateTimeField(_("endret"), auto_now=True)

    class Meta:
        verbose_name = _("varslingsvalg")
        verbose_name_plural = _("varslingsvalg")

    def __str__(self) -> str:
        return str(self.person)


class CalendarFeed(models.Model):
    """A calendar address Outlook or Google Calendar subscribes to: a person's deadlines and
    meetings, or those of one procurement. The secret TOKEN in the address is the only key,
    since a calendar program cannot log in; revoking the feed makes the address answer 404,
    and a new address is made instead."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds", verbose_name=_("person")
    )
    procurement = models.ForeignKey(
        "procurement.Procurement", on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("anskaffelse")
    )
    token = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("laget"), default=timezone.now)
    revoked_at = models.DateTimeField(_("trukket tilbake"), null=True, blank=True)

    class Meta:
        verbose_name = _("kalenderabonnement")
        verbose_name_plural = _("kalenderabonnementer")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(procurement__isnull=True, revoked_at__isnull=True), name="calendar_feed_one_personal"
            ),
            models.UniqueConstraint(
                fields=["person", "procurement"], condition=Q(revoked_at__isnull=True), name="calendar_feed_one_per_procurement"
            ),
        ]

    def __str__(self) -> str:
        scope = self.procurement if self.procurement is not None else _("alle anskaffelser")
        return f"{self.person} – {scope}"
