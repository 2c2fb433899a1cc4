"""Comments on a procurement's deliverables and gates: one thread per item, visible to
everyone who may see the item, each comment able to name one person, who then has a task
until they mark it done."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

TEXT_MAX = 4000


class Subject(models.TextChoices):
    DELIVERABLE = "deliverable", _("Leveranse")
    GATE = "gate", _("Port")


class Comment(models.Model):
    procurement = models.ForeignKey(
        "procurement.Procurement", on_delete=models.CASCADE, related_name="comments", verbose_name=_("anskaffelse")
    )
    # The item by its code in the procurement's pinned process version: a thread follows the
    # item through every version of its document.
    subject = models.CharField(_("gjelder"), max_length=16, choices=Subject.choices)
    code = models.SlugField(_("kode"), max_length=64)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("skrevet av"))
    text = models.TextField(_("kommentar"), max_length=TEXT_MAX)
    mentioned = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="comment_mentions",
        verbose_name=_("nevnt"),
    )
    mention_done_at = models.DateTimeField(_("fulgt opp"), null=True, blank=True)
    created_at = models.DateTimeField(_("skrevet"), auto_now_add=True)

    class Meta:
        verbose_name = _("kommentar")
        verbose_name_plural = _("kommentarer")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["procurement", "subject", "code"], name="comment_thread"),
            models.Index(fields=["mentioned", "mention_done_at"], name="comment_open_mention"),
        ]

    def __str__(self) -> str:
        return f"{self.author}: {self.text[:40]}"
