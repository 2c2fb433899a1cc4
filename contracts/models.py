"""Award notice, standstill and complaints: the records the contract phase's gates ask
about (procurement.engine.records), registered by this app in its AppConfig."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from municipalities.models import Country
from procurement.models.procurement import private_upload_path


class NoticeChannel(models.TextChoices):
    ELECTRONIC = "electronic", _("Elektronisk")
    OTHER = "other", _("Brev eller annet")


class AwardNoticeState(models.TextChoices):
    SENT = "sent", _("Sendt")
    WITHDRAWN = "withdrawn", _("Trukket tilbake")


class AwardNotice(models.Model):
    """The award notice (meddelelse om tildeling) sent to all tenderers at the same time.
    Its sending starts the standstill period; the standstill deadline on the case is derived
    from SENT_ON, CHANNEL and STANDSTILL_DAYS by procurement.deadlines.standstill_last_day
    (standstill_end gives the instant it ends)."""

    procurement = models.ForeignKey("procurement.Procurement", on_delete=models.CASCADE, related_name="award_notices")
    state = models.CharField(_("tilstand"), max_length=20, choices=AwardNoticeState.choices, default=AwardNoticeState.SENT)
    sent_on = models.DateField(_("sendt"))
    channel = models.CharField(_("sendt som"), max_length=20, choices=NoticeChannel.choices, default=NoticeChannel.ELECTRONIC)
    standstill_days = models.PositiveSmallIntegerField(_("karensperiode (dager)"))
    standstill_ends_on = models.DateField(_("karensperioden løper til og med"))
    note = models.TextField(_("merknad"), blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # The moment the letters to every tenderer were recorded for sending, all in one transaction.
    sent_at = models.DateTimeField(_("sendt (tidspunkt)"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("begrunnelse for tilbaketrekking"), blank=True)

    class Meta:
        verbose_name = _("meddelelse om tildeling")
        verbose_name_plural = _("meddelelser om tildeling")
        ordering = ["-sent_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["procurement"], condition=Q(state="sent"), name="award_notice_one_live_per_procurement"
            ),
            models.CheckConstraint(
                condition=~Q(state="withdrawn") | ~Q(withdrawn_reason=""), name="award_notice_withdrawn_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.sent_on:%d.%m.%Y}"

    @property
    def standstill_ends_at(self):
        """The instant the standstill ends (24:00 of STANDSTILL_ENDS_ON in the country's zone)."""
        from procurement.deadlines import standstill_end

        return standstill_end(self.sent_on, self.standstill_days, self.procurement.collaboration.country)


class AwardLetter(models.Model):
    """The award notice to one tenderer: a PDF naming the chosen tenderer, the winning
    tender's characteristics and relative advantages, this tenderer's own scores and the
    standstill period, e-mailed to the supplier's contact through the outbox (one row, key
    OUTBOX_KEY, so it is sent once)."""

    notice = models.ForeignKey(AwardNotice, on_delete=models.CASCADE, related_name="letters")
    tender = models.ForeignKey("evaluation.Tender", on_delete=models.PROTECT, related_name="award_letters")
    address = models.EmailField(_("sendt til"))
    file = models.FileField(upload_to=private_upload_path)
    sha256 = models.CharField(max_length=64)
    outbox_key = models.CharField(max_length=255, unique=True)
    created_at = models.DateTimeField(_("registrert for sending"))

    class Meta:
        verbose_name = _("meddelelse til tilbyder")
        verbose_name_plural = _("meddelelser til tilbydere")
        ordering = ["notice", "id"]
        constraints = [models.UniqueConstraint(fields=["notice", "tender"], name="award_letter_once_per_tender")]


class ComplaintKind(models.TextChoices):
    BUYER = "buyer", _("Klage til oppdragsgiver")
    APPEALS_BOARD = "appeals_board", _("Klage til klagenemnda (KOFA / Klagenævnet for Udbud)")
    INJUNCTION = "injunction", _("Begjæring om midlertidig forføyning i retten")


class ComplaintState(models.TextChoices):
    OPEN = "open", _("Til behandling")
    UPHELD = "upheld", _("Tatt til følge")
    DISMISSED = "dismissed", _("Ikke tatt til følge")
    WITHDRAWN = "withdrawn", _("Trukket")


OPEN_COMPLAINT_STATES = frozenset({ComplaintState.OPEN.value})


class Complaint(models.Model):
    """A complaint from a tenderer. While one is open the contract may not be signed; an
    upheld complaint usually sends the case back to evaluation (the coordinator reopens it)."""

    procurement = models.ForeignKey("procurement.Procurement", on_delete=models.CASCADE, related_name="complaints")
    state = models.CharField(_("tilstand"), max_length=20, choices=ComplaintState.choices, default=ComplaintState.OPEN)
    received_on = models.DateField(_("mottatt"))
    complainant = models.CharField(_("klager"), max_length=200)
    kind = models.CharField(_("type klage"), max_length=20, choices=ComplaintKind.choices, default=ComplaintKind.BUYER)
    summary = models.TextField(_("hva klagen gjelder"))
    resolution = models.TextField(_("avgjørelse"), blank=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("klage")
        verbose_name_plural = _("klager")
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state="open") | (~Q(resolution="") & Q(resolved_at__isnull=False)),
                name="complaint_resolved_has_resolution",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.complainant} ({self.received_on:%d.%m.%Y})"


class ComplaintDocument(models.Model):
    """A document of a complaint (the complaint itself, the buyer's answer, the board's or
    the court's decision). Never changed; a new document is a new row."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(upload_to=private_upload_path)
    original_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("dokument i klagesak")
        verbose_name_plural = _("dokumenter i klagesaker")
        ordering = ["complaint", "uploaded_at", "id"]


class StandstillMinimum(models.Model):
    """The shortest standstill period the law allows, per country and channel, as dated
    rows an administrator can correct (the Norwegian values are marked [check] in the
    project's legal notes). A buyer may choose a longer period (Fosen used 14 days)."""

    country = models.CharField(_("land"), max_length=2, choices=Country.choices)
    channel = models.CharField(_("sendt som"), max_length=20, choices=NoticeChannel.choices)
    days = models.PositiveSmallIntegerField(_("dager"))
    valid_from = models.DateField(_("gjelder fra"))
    valid_to = models.DateField(_("gjelder til"), null=True, blank=True)
    source = models.CharField(_("kilde"), max_length=255)
    verified = models.BooleanField(_("bekreftet i kilden"), default=False)

    class Meta:
        verbose_name = _("minste karensperiode")
        verbose_name_plural = _("minste karensperioder")
        ordering = ["country", "channel", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["country", "channel", "valid_from"], name="standstill_minimum_unique_start"),
            models.CheckConstraint(condition=Q(days__gte=1), name="standstill_minimum_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_country_display()} {self.get_channel_display()}: {self.days}"
