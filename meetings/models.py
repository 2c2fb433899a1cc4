"""A meeting of a group (a procurement's project, steering or evaluation group, or a
collaboration's network), its minutes and the corrections to them. What follows from the
dates (when the minutes are due, the last day a correction can arrive, whether the series is
planned too tight) is never stored: it is worked out from the meeting and the next one in its
series by the pure functions of procurement.deadlines (see meetings/selectors.py)."""
from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class MeetingGroup(models.TextChoices):
    PROJECT_GROUP = "project_group", _("Prosjektgruppe")
    STEERING_GROUP = "steering_group", _("Styringsgruppe")
    EVALUATION_GROUP = "evaluation_group", _("Evalueringsgruppe")
    NETWORK = "network", _("Nettverk")


def series_key(*, collaboration_id: int, procurement_id: int | None, group: str) -> str:
    """Meetings of the same group of the same procurement (or of the collaboration itself)
    form a series; the next meeting of the series decides when minutes count as approved."""
    return f"{collaboration_id}:{procurement_id or '-'}:{group}"


class Meeting(models.Model):
    collaboration = models.ForeignKey(
        "municipalities.Collaboration", on_delete=models.PROTECT, related_name="meetings", verbose_name=_("samarbeid")
    )
    procurement = models.ForeignKey(
        "procurement.Procurement",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("anskaffelse"),
    )
    group = models.CharField(_("gruppe"), max_length=30, choices=MeetingGroup.choices)
    series = models.CharField(max_length=60, editable=False, db_index=True)
    title = models.CharField(_("tittel"), max_length=200)
    starts_at = models.DateTimeField(_("starter"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("varighet (minutter)"), default=120, validators=[MinValueValidator(15), MaxValueValidator(24 * 60)]
    )
    place = models.CharField(_("sted"), max_length=200, blank=True)
    link = models.URLField(_("lenke til møtet"), max_length=500, blank=True)
    agenda = models.TextField(_("saksliste"), blank=True)
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="meetings", blank=True, verbose_name=_("deltakere")
    )
    secretary = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("referent")
    )
    minutes = models.TextField(_("referat"), blank=True)
    minutes_file = models.FileField(_("referat som fil"), upload_to="meetings/%Y/%m/", blank=True)
    minutes_file_type = models.CharField(max_length=120, blank=True, editable=False)
    minutes_sent_at = models.DateTimeField(_("referat sendt"), null=True, blank=True)
    minutes_approved_at = models.DateTimeField(_("referat godkjent"), null=True, blank=True)
    minutes_approved_automatically = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("møte")
        verbose_name_plural = _("møter")
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["series", "starts_at"]),
            # What the reminder sweep and the approval task read: minutes still to come or to approve.
            models.Index(fields=["starts_at"], condition=Q(minutes_approved_at__isnull=True), name="meeting_minutes_open"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes_approved_at__isnull=True) | Q(minutes_sent_at__isnull=False),
                name="meeting_approved_minutes_were_sent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({timezone.localtime(self.starts_at, self.collaboration.tzinfo):%d.%m.%Y})"

    @property
    def ends_at(self):
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def local_start(self):
        return timezone.localtime(self.starts_at, self.collaboration.tzinfo)

    @property
    def meeting_on(self):
        """The meeting's date where the collaboration is: the day legal time counts from."""
        return self.local_start.date()


class MinutesCorrection(models.Model):
    """A participant's correction to the minutes. One arriving in time keeps the minutes from
    counting as approved by themselves; the secretary mends the minutes and approves them."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="corrections")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("fra"))
    text = models.TextField(_("rettelse"))
    created_at = models.DateTimeField(_("sendt"), default=timezone.now)

    class Meta:
        verbose_name = _("rettelse til referat")
        verbose_name_plural = _("rettelser til referat")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.author}: {self.text[:40]}"
