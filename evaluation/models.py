"""Tender period, qualification, evaluation and negotiation (issue 7). What the tender
documents fixed (criteria, weights, price model, scale) is read from tendering; this app
holds what comes back: suppliers, questions, tenders and their versions, the evaluators'
impartiality and scores, the group's consensus and the printed report."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from municipalities.models import Country
from procurement.models.procurement import private_upload_path

NAME_MAX_LENGTH = 200
TEXT_MAX_LENGTH = 5000


class TenderPeriod(models.Model):
    """The deadlines of the competition: questions by QUESTION_DEADLINE, answers published to
    every supplier by ANSWERS_BY, tenders by TENDER_DEADLINE."""

    procurement = models.OneToOneField("procurement.Procurement", on_delete=models.CASCADE, related_name="tender_period")
    question_deadline = models.DateTimeField(_("frist for spørsmål"))
    answers_by = models.DateTimeField(_("svar publiseres senest"))
    tender_deadline = models.DateTimeField(_("tilbudsfrist"))
    prequalification = models.BooleanField(_("prekvalifisering"), default=False)
    negotiation = models.BooleanField(_("prosedyren tillater forhandling"), default=False)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("tilbudsperiode")
        verbose_name_plural = _("tilbudsperioder")
        constraints = [
            models.CheckConstraint(condition=Q(question_deadline__lte=models.F("answers_by")), name="tender_period_answers_after_questions"),
            models.CheckConstraint(condition=Q(answers_by__lte=models.F("tender_deadline")), name="tender_period_answers_before_deadline"),
        ]


class Supplier(models.Model):
    procurement = models.ForeignKey("procurement.Procurement", on_delete=models.CASCADE, related_name="suppliers")
    name = models.CharField(_("navn"), max_length=NAME_MAX_LENGTH)
    country = models.CharField(_("land"), max_length=2, choices=Country.choices, default=Country.NORWAY)
    org_number = models.CharField(_("organisasjonsnummer"), max_length=20)
    contact_name = models.CharField(_("kontaktperson"), max_length=NAME_MAX_LENGTH)
    contact_email = models.EmailField(_("e-post"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("leverandør")
        verbose_name_plural = _("leverandører")
        ordering = ["procurement", "name", "id"]
        constraints = [models.UniqueConstraint(fields=["procurement", "country", "org_number"], name="supplier_unique_org_number")]

    def __str__(self) -> str:
        return self.name


class Question(models.Model):
    """A supplier's question. Its answer is published to every supplier at the same moment
    (PUBLISHED_AT, shared by all answers of one publication), without the asker's name."""

    procurement = models.ForeignKey("procurement.Procurement", on_delete=models.CASCADE, related_name="supplier_questions")
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="questions")
    number = models.PositiveIntegerField(_("nummer"))
    text = models.TextField(_("spørsmål"))
    received_at = models.DateTimeField(_("mottatt"))
    answer = models.TextField(_("svar"), blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    published_at = models.DateTimeField(_("publisert"), null=True, blank=True)

    class Meta:
        verbose_name = _("spørsmål")
        verbose_name_plural = _("spørsmål")
        ordering = ["procurement", "number"]
        constraints = [
            models.UniqueConstraint(fields=["procurement", "number"], name="question_unique_number"),
            models.CheckConstraint(condition=Q(published_at__isnull=True) | ~Q(answer=""), name="question_published_has_answer"),
        ]


class Qualification(models.TextChoices):
    PENDING = "pending", _("Ikke vurdert")
    QUALIFIED = "qualified", _("Kvalifisert")
    REJECTED = "rejected", _("Avvist")


class Tender(models.Model):
    """A tender received (per lot where lots are used). Its documents are versions: a
    revised tender after negotiation is a new version, and every version is kept."""

    procurement = models.ForeignKey("procurement.Procurement", on_delete=models.CASCADE, related_name="tenders")
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="tenders")
    lot = models.CharField(_("delkontrakt"), max_length=100, blank=True)
    received_at = models.DateTimeField(_("mottatt"))
    price = models.DecimalField(_("evaluert pris (kr)"), max_digits=14, decimal_places=2)
    qualification = models.CharField(_("kvalifikasjon"), max_length=20, choices=Qualification.choices, default=Qualification.PENDING)
    qualification_reason = models.TextField(_("begrunnelse"), blank=True)
    qualified_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    qualified_at = models.DateTimeField(null=True, blank=True)
    characteristics = models.TextField(_("egenskaper og relative fortrinn"), blank=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("tilbud")
        verbose_name_plural = _("tilbud")
        ordering = ["procurement", "lot", "received_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["procurement", "supplier", "lot"], name="tender_one_per_supplier_and_lot"),
            models.CheckConstraint(condition=Q(price__gt=0), name="tender_price_positive"),
            models.CheckConstraint(
                condition=Q(qualification="pending") | ~Q(qualification_reason=""), name="tender_qualification_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.supplier.name}{f' ({self.lot})' if self.lot else ''}"


class NegotiationMeeting(models.Model):
    procurement = models.ForeignKey("procurement.Procurement", on_delete=models.CASCADE, related_name="negotiation_meetings")
    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="negotiation_meetings")
    held_on = models.DateField(_("møtedato"))
    minutes = models.TextField(_("referat"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("forhandlingsmøte")
        verbose_name_plural = _("forhandlingsmøter")
        ordering = ["tender", "held_on", "id"]


class TenderVersion(models.Model):
    """One version of a tender's documents and price. Version 1 is the tender as received;
    later versions are revised tenders after negotiation. Never changed, never deleted."""

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("versjon"))
    file = models.FileField(upload_to=private_upload_path)
    original_name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64)
    price = models.DecimalField(_("pris (kr)"), max_digits=14, decimal_places=2)
    meeting = models.ForeignKey(NegotiationMeeting, on_delete=models.PROTECT, null=True, blank=True, related_name="revisions")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tilbudsversjon")
        verbose_name_plural = _("tilbudsversjoner")
        ordering = ["tender", "number"]
        constraints = [models.UniqueConstraint(fields=["tender", "number"], name="tender_version_unique_number")]


class EvaluatorAssignment(models.Model):
    """PERSON evaluates CRITERION (a criterion or sub-criterion of the tender documents)."""

    procurement = models.ForeignKey("procurement.Procurement", on_delete=models.CASCADE, related_name="evaluator_assignments")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="evaluator_assignments")
    criterion = models.ForeignKey("tendering.AwardCriterion", on_delete=models.CASCADE, related_name="evaluators")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("evaluator")
        verbose_name_plural = _("evaluatorer")
        constraints = [models.UniqueConstraint(fields=["criterion", "person"], name="evaluator_once_per_criterion")]


class ImpartialityDeclaration(models.Model):
    """An evaluator's declaration that they are impartial (not *inhabil*) towards every
    tenderer, given before they may open a tender. Append-only."""

    procurement = models.ForeignKey("procurement.Procurement", on_delete=models.CASCADE, related_name="impartiality_declarations")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="impartiality_declarations")
    declared_at = models.DateTimeField(_("erklært"))
    statement = models.TextField(_("erklæring"))

    class Meta:
        verbose_name = _("habilitetserklæring")
        verbose_name_plural = _("habilitetserklæringer")
        constraints = [models.UniqueConstraint(fields=["procurement", "person"], name="impartiality_once")]


SCORE_CHECK = Q(score__gte=0) & Q(score__lte=10)


class Score(models.Model):
    """One evaluator's score (0–10) of one tender on one qualitative criterion, justified."""

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey("tendering.AwardCriterion", on_delete=models.CASCADE, related_name="scores")
    evaluator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(_("poeng"))
    justification = models.TextField(_("begrunnelse"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("poeng")
        verbose_name_plural = _("poeng")
        constraints = [
            models.UniqueConstraint(fields=["tender", "criterion", "evaluator"], name="score_once_per_evaluator"),
            models.CheckConstraint(condition=SCORE_CHECK, name="score_on_scale"),
            models.CheckConstraint(condition=~Q(justification=""), name="score_justified"),
        ]


class ConsensusScore(models.Model):
    """The score the evaluation group agreed on for one tender and criterion."""

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="consensus_scores")
    criterion = models.ForeignKey("tendering.AwardCriterion", on_delete=models.CASCADE, related_name="consensus_scores")
    score = models.PositiveSmallIntegerField(_("poeng"))
    justification = models.TextField(_("begrunnelse"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("konsensuspoeng")
        verbose_name_plural = _("konsensuspoeng")
        constraints = [
            models.UniqueConstraint(fields=["tender", "criterion"], name="consensus_once"),
            models.CheckConstraint(condition=SCORE_CHECK, name="consensus_on_scale"),
            models.CheckConstraint(condition=~Q(justification=""), name="consensus_justified"),
        ]
