from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .procurement import private_upload_path


class Deliverable(models.Model):
    procurement = models.ForeignKey("procurement.Procurement", on_delete=models.CASCADE, related_name="deliverables")
    definition = models.ForeignKey("procurement.DeliverableDefinition", on_delete=models.PROTECT, related_name="+")
    current_version = models.ForeignKey(
        "procurement.DeliverableVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("leveranse")
        verbose_name_plural = _("leveranser")
        constraints = [models.UniqueConstraint(fields=["procurement", "definition"], name="deliverable_unique")]

    def __str__(self) -> str:
        return f"{self.definition} ({self.procurement})"


class DeliverableVersion(models.Model):
    """One immutable version of a deliverable: an uploaded file or written text. Its SHA-256
    is what a sign-off approves."""

    deliverable = models.ForeignKey(Deliverable, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    file = models.FileField(upload_to=private_upload_path, blank=True)
    original_name = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    text = models.TextField(blank=True)
    sha256 = models.CharField(max_length=64)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("versjon")
        verbose_name_plural = _("versjoner")
        ordering = ["deliverable", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["deliverable", "number"], name="deliverable_version_unique_number"),
            models.CheckConstraint(condition=~Q(file="") | ~Q(text=""), name="deliverable_version_has_content"),
        ]

    def __str__(self) -> str:
        return f"v{self.number}"

    @property
    def is_file(self) -> bool:
        return bool(self.file)


class ChecklistCheck(models.Model):
    procurement = models.ForeignKey("procurement.Procurement", on_delete=models.CASCADE, related_name="checklist_checks")
    item = models.ForeignKey("procurement.ChecklistItemDefinition", on_delete=models.CASCADE, related_name="+")
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    checked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["procurement", "item"], name="checklist_check_unique")]
