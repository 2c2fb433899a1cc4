from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DeadlineKind(models.TextChoices):
    INVITATION_ANSWER = "invitation_answer", _("Svarfrist for invitasjon")
    PHASE = "phase", _("Fasefrist")
    OTHER = "other", _("Annen frist")


class Deadline(models.Model):
    procurement = models.ForeignKey("procurement.Procurement", on_delete=models.CASCADE, related_name="deadlines")
    kind = models.CharField(_("type"), max_length=20, choices=DeadlineKind.choices, default=DeadlineKind.OTHER)
    title = models.CharField(_("tittel"), max_length=200)
    due_date = models.DateField(_("frist"))
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("frist")
        verbose_name_plural = _("frister")
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["procurement", "done_at", "due_date"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.due_date:%d.%m.%Y})"


class Reminder(models.Model):
    """One reminder sent to one person for one deadline; the unique key makes the reminder
    task idempotent however often beat runs it."""

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="reminders")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["deadline", "recipient"], name="reminder_once_per_recipient")]
