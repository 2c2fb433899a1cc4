"""The benefit-realisation plan (gevinstrealiseringsplan) of a procurement on the common
template (legal.md: Prosjektveiviseren, DFØ, KS): its sections, its benefits with every
column of the template, each municipality's own part of a benefit (owner, baseline, target,
value) and the measurements over time, the versions frozen at the end of every phase, and
each collaboration's settings for the arithmetic."""
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from procurement.models.procurement import private_upload_path

from . import value

MONEY = {"max_digits": 14, "decimal_places": 0}
AMOUNT = {"max_digits": 14, "decimal_places": 2}


class BenefitSettings(models.Model):
    """The numbers a collaboration decides for itself: how many working hours make one
    full-time equivalent, and how far a measurement may lie from the plan before it must be
    explained. A collaboration without a row uses the defaults."""

    collaboration = models.OneToOneField(
        "municipalities.Collaboration", on_delete=models.CASCADE, related_name="benefit_settings", verbose_name=_("samarbeid")
    )
    hours_per_fte = models.DecimalField(
        _("timer per årsverk"),
        max_digits=6,
        decimal_places=1,
        default=value.DEFAULT_HOURS_PER_FTE,
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("8784"))],
        help_text=_("Arbeidstimer i ett årsverk, brukt når timer regnes om til årsverk. Kontroller tallet mot egen praksis."),
    )
    deviation_tolerance_percent = models.DecimalField(
        _("toleranse for avvik (%)"),
        max_digits=5,
        decimal_places=2,
        default=value.DEFAULT_DEVIATION_TOLERANCE_PERCENT,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text=_("En måling som ligger lenger unna planen enn denne andelen av den planlagte endringen, må forklares."),
    )
    hourly_cost = models.DecimalField(
        _("timekostnad (NOK)"),
        max_digits=8,
        decimal_places=0,
        default=Decimal("650"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Brukes til å verdsette et årsverk ved gevinstdeling med leverandøren."),
    )

    class Meta:
        verbose_name = _("innstillinger for gevinstrealisering")
        verbose_name_plural = _("innstillinger for gevinstrealisering")

    def __str__(self) -> str:
        return str(self.collaboration)


class GainSharing(models.TextChoices):
    NONE = value.GAIN_SHARE_NONE, _("Ingen gevinstdeling")
    PERCENT = value.GAIN_SHARE_PERCENT, _("En prosentandel av realisert gevinst")
    FTE = value.GAIN_SHARE_FTE, _("Verdien av et antall årsverk når gevinsten er nådd")


class BenefitPlan(models.Model):
    """One per procurement, started as a draft at intake. Its sections follow the common
    template; the benefits overview is the table of benefits below it."""

    procurement = models.OneToOneField(
        "procurement.Procurement", on_delete=models.CASCADE, related_name="benefit_plan", verbose_name=_("anskaffelse")
    )
    rationale = models.TextField(_("Begrunnelse, mål og hovedprodukter"), blank=True)
    owner_responsibilities = models.TextField(_("Gevinsteiere og hva de svarer for"), blank=True)
    overview = models.TextField(_("Gevinstoversikt"), blank=True)
    measures_and_risk = models.TextField(_("Realiseringstiltak og risiko"), blank=True)
    baseline_follow_up = models.TextField(_("Oppfølging av nullpunkt"), blank=True)
    benefit_map = models.TextField(_("Gevinstkart"), blank=True)
    gain_sharing = models.CharField(_("gevinstdeling med leverandøren"), max_length=20, choices=GainSharing.choices, default=GainSharing.NONE)
    gain_sharing_amount = models.DecimalField(
        _("andel eller antall årsverk"), max_digits=7, decimal_places=2, default=Decimal("0"), validators=[MinValueValidator(Decimal("0"))]
    )
    gain_sharing_terms = models.TextField(_("vilkår for gevinstdelingen"), blank=True)
    # The draft plan a municipality uploaded with the reported need (before the plan was
    # structured: Procurement.draft_benefit_plan, moved here by benefits 0002).
    attachment = models.FileField(_("vedlegg"), upload_to=private_upload_path, blank=True)
    attachment_name = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    SECTIONS = ("rationale", "owner_responsibilities", "overview", "measures_and_risk", "baseline_follow_up", "benefit_map")

    class Meta:
        verbose_name = _("gevinstrealiseringsplan")
        verbose_name_plural = _("gevinstrealiseringsplaner")
        constraints = [
            models.CheckConstraint(
                condition=Q(gain_sharing__in=[c.value for c in GainSharing]), name="benefit_plan_gain_sharing_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name}: {self.procurement}"


class BenefitType(models.TextChoices):
    # KS's kinds of benefit (legal.md).
    AVOIDED_COST = "avoided_cost", _("Unngått kostnad")
    TIME_SAVED = "time_saved", _("Spart tid")
    BETTER_QUALITY = "better_quality", _("Bedre kvalitet")


class BenefitCategory(models.TextChoices):
    # Prosjektveiviseren's categories (legal.md).
    BUDGET_EFFECT = "budget_effect", _("Budsjettvirkning")
    ALTERNATIVE_USE = "alternative_use", _("Alternativ bruk av ressurser")
    PRICED_ELSEWHERE = "priced_elsewhere", _("Prissatt gevinst ellers i offentlig sektor")
    NON_PRICED = "non_priced", _("Ikke-prissatt virkning")


class Frequency(models.IntegerChoices):
    """How often a benefit is measured, in months."""

    MONTHLY = 1, _("Hver måned")
    QUARTERLY = 3, _("Hvert kvartal")
    HALF_YEARLY = 6, _("Hvert halvår")
    YEARLY = 12, _("Hvert år")


class Benefit(models.Model):
    """One row of the benefits overview: what is common to every municipality that expects
    it. Each municipality's own owner, baseline, target and value are its BenefitShare."""

    plan = models.ForeignKey(BenefitPlan, on_delete=models.CASCADE, related_name="benefits", verbose_name=_("gevinstplan"))
    number = models.PositiveSmallIntegerField(_("nummer"))
    title = models.CharField(_("Gevinst"), max_length=200)
    type = models.CharField(_("Gevinsttype"), max_length=20, choices=BenefitType.choices)
    category = models.CharField(_("Kategori"), max_length=20, choices=BenefitCategory.choices)
    beneficiaries = models.CharField(_("Hvem får gevinsten"), max_length=200)
    indicator = models.CharField(_("Indikator"), max_length=200)
    unit = models.CharField(_("Måleenhet"), max_length=40)
    additive = models.BooleanField(
        _("Kommunenes verdier kan legges sammen"),
        default=True,
        help_text=_("Ja for timer, kroner og antall; nei for snitt og andeler (minutter per besøk, prosent)."),
    )
    baseline_method = models.CharField(_("Metode for nullpunktsmåling"), max_length=300)
    frequency = models.PositiveSmallIntegerField(_("Målefrekvens"), choices=Frequency.choices, default=Frequency.QUARTERLY)
    measures = models.TextField(_("Tiltak"), blank=True)
    assumptions = models.TextField(_("Forutsetninger"), blank=True)
    risk = models.TextField(_("Risiko"), blank=True)
    planned = models.BooleanField(
        _("Planlagt gevinst"), default=True, help_text=_("Nei for en gevinst som ble oppdaget underveis eller etter kontrakt.")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("gevinst")
        verbose_name_plural = _("gevinster")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="benefit_unique_number_in_plan"),
            models.CheckConstraint(condition=Q(frequency__in=[c.value for c in Frequency]), name="benefit_frequency_known"),
        ]

    def __str__(self) -> str:
        return f"G{self.number} {self.title}"

    @property
    def code(self) -> str:
        return f"G{self.number}"


class BenefitShare(models.Model):
    """A municipality's own part of a benefit (seed 000: each municipality realises its own
    benefits): who owns it there, that municipality's baseline and target, and what it is
    worth a year in kroner and hours."""

    benefit = models.ForeignKey(Benefit, on_delete=models.CASCADE, related_name="shares", verbose_name=_("gevinst"))
    municipality = models.ForeignKey(
        "municipalities.Municipality", on_delete=models.PROTECT, related_name="benefit_shares", verbose_name=_("kommune")
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_benefits", verbose_name=_("Gevinsteier")
    )
    baseline_value = models.DecimalField(_("Nullpunkt"), **AMOUNT)
    baseline_date = models.DateField(_("Dato for nullpunkt"))
    target_value = models.DecimalField(_("Målverdi"), **AMOUNT)
    target_date = models.DateField(_("Måldato"))
    nok_per_year = models.DecimalField(_("Verdi i kroner per år"), default=Decimal("0"), validators=[MinValueValidator(0)], **MONEY)
    hours_per_year = models.DecimalField(
        _("Timer spart per år"), default=Decimal("0"), validators=[MinValueValidator(0)], **AMOUNT
    )
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("kommunens del av en gevinst")
        verbose_name_plural = _("kommunenes deler av gevinster")
        ordering = ["benefit", "municipality__name"]
        constraints = [
            models.UniqueConstraint(fields=["benefit", "municipality"], name="benefit_share_one_per_municipality"),
            models.CheckConstraint(condition=Q(target_date__gt=models.F("baseline_date")), name="benefit_share_target_after_baseline"),
            models.CheckConstraint(condition=Q(nok_per_year__gte=0) & Q(hours_per_year__gte=0), name="benefit_share_values_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.benefit} – {self.municipality}"

    @property
    def amounts(self) -> value.Amounts:
        return value.Amounts(self.nok_per_year, self.hours_per_year)


class Measurement(models.Model):
    """A realised value of one municipality's benefit on a date. One that lies off the
    planned path by more than the collaboration's tolerance carries its explanation.
    Measurements go on after the contract is signed and after the case is closed."""

    share = models.ForeignKey(BenefitShare, on_delete=models.CASCADE, related_name="measurements", verbose_name=_("gevinst i kommunen"))
    measured_on = models.DateField(_("Målt dato"))
    value = models.DecimalField(_("Målt verdi"), **AMOUNT)
    planned_value = models.DecimalField(_("Planlagt verdi på datoen"), **AMOUNT)
    deviates = models.BooleanField(_("avviker fra planen"), default=False)
    explanation = models.TextField(_("Forklaring av avvik"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("måling")
        verbose_name_plural = _("målinger")
        ordering = ["share", "measured_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["share", "measured_on"], name="measurement_one_per_day"),
            models.CheckConstraint(condition=Q(deviates=False) | ~Q(explanation=""), name="measurement_deviation_explained"),
        ]

    def __str__(self) -> str:
        return f"{self.share}: {self.value} ({self.measured_on:%d.%m.%Y})"


class PlanVersion(models.Model):
    """The plan as it stood when a phase ended, frozen: its content as data (rendered with
    the same template as the live plan) and the SHA-256 of that content."""

    plan = models.ForeignKey(BenefitPlan, on_delete=models.CASCADE, related_name="versions", verbose_name=_("gevinstplan"))
    number = models.PositiveIntegerField(_("versjon"))
    phase = models.CharField(_("fase som ble avsluttet"), max_length=32)
    phase_change = models.OneToOneField(
        "procurement.PhaseChange", on_delete=models.PROTECT, null=True, blank=True, related_name="benefit_plan_version"
    )
    reviewed = models.BooleanField(_("planen ble gjennomgått"), null=True, help_text=_("Tom: ikke spurt (fasen gikk videre av seg selv)."))
    content = models.JSONField(_("innhold"))
    sha256 = models.CharField(max_length=64)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("versjon av gevinstplanen")
        verbose_name_plural = _("versjoner av gevinstplanen")
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="plan_version_unique_number")]

    def __str__(self) -> str:
        return f"{self.plan} v{self.number}"
