"""The requirement specification and evaluation model of a procurement's tender documents:
requirements by category and the needs they serve, award criteria with sub-criteria and
weights, the price model and scoring scale, qualification requirements and the tender
documents' own text. Written by their owners (tendering.ownership) until the specification
is published; after that it is frozen and changes are clarifications."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from procurement.models.procurement import private_upload_path
from procurement.scoring import LINEAR, PROPORTIONAL

from .ownership import Category

REF_MAX_LENGTH = 20
TEXT_MAX_LENGTH = 4000
SECTION_MAX_LENGTH = 20000
SCALE = range(0, 11)

# What earns each score on the 0–10 scale (DFØ: use the whole scale, justify every score).
DEFAULT_SCALE = [
    "Ikke besvart, eller besvarelsen har ingen verdi for oppdragsgiver.",
    "Svært dårlig: nesten ingen merverdi, store mangler.",
    "Dårlig: liten merverdi, flere vesentlige mangler.",
    "Svakt: noe merverdi, vesentlige mangler.",
    "Under middels: noe merverdi, flere mangler.",
    "Middels: en akseptabel besvarelse med noen mangler.",
    "Over middels: god merverdi, enkelte mangler.",
    "God: god merverdi, små mangler.",
    "Meget god: høy merverdi, nesten ingen mangler.",
    "Svært god: svært høy merverdi, ingen vesentlige mangler.",
    "Best tenkelig: fullt ut som beskrevet, med tydelig merverdi ut over kravene.",
]


class SpecificationState(models.TextChoices):
    DRAFT = "draft", _("Utkast")
    PUBLISHED = "published", _("Publisert")


class PriceModel(models.TextChoices):
    LINEAR = LINEAR, _("Lineær")
    PROPORTIONAL = PROPORTIONAL, _("Forholdsmessig")


class RequirementKind(models.TextChoices):
    MUST = "must", _("Må-krav")
    SHOULD = "should", _("Bør-krav")


class CriterionStatus(models.TextChoices):
    PROPOSED = "proposed", _("Foreslått")
    DECIDED = "decided", _("Besluttet")


def default_scale() -> list[str]:
    return list(DEFAULT_SCALE)


ORIGIN_LABEL_MAX_LENGTH = 300


class CopiedFromLibrary(models.Model):
    """A row copied from another procurement's specification (tendering.services.library_copy):
    the source row while it exists, and the source procurement's title and the row's ref as
    they were at copy time, kept when the source goes."""

    origin_label = models.CharField(_("hentet fra"), max_length=ORIGIN_LABEL_MAX_LENGTH, blank=True)

    class Meta:
        abstract = True


class Specification(models.Model):
    procurement = models.OneToOneField(
        "procurement.Procurement", on_delete=models.CASCADE, related_name="specification", verbose_name=_("anskaffelse")
    )
    state = models.CharField(_("tilstand"), max_length=20, choices=SpecificationState.choices, default=SpecificationState.DRAFT)
    published_at = models.DateTimeField(_("publisert"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("publisert av")
    )
    instructions = models.TextField(_("instruks til tilbyderne"), blank=True)
    procedure_text = models.TextField(_("prosedyren"), blank=True)
    timetable = models.TextField(_("tidsplan"), blank=True)
    price_model = models.CharField(_("prismodell"), max_length=20, choices=PriceModel.choices, default=PriceModel.LINEAR)
    price_clamp_at_zero = models.BooleanField(_("ingen negative prispoeng"), default=False)
    scale = models.JSONField(_("poengskala"), default=default_scale)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("kravspesifikasjon")
        verbose_name_plural = _("kravspesifikasjoner")
        constraints = [
            models.CheckConstraint(
                condition=Q(state="draft") | Q(published_at__isnull=False), name="specification_published_has_time"
            ),
        ]

    def __str__(self) -> str:
        return str(self.procurement)

    @property
    def is_frozen(self) -> bool:
        return self.state == SpecificationState.PUBLISHED

    def scale_rows(self) -> list[tuple[int, str]]:
        texts = list(self.scale) if isinstance(self.scale, list) and len(self.scale) == len(SCALE) else DEFAULT_SCALE
        return list(zip(SCALE, texts, strict=True))


class Need(CopiedFromLibrary):
    """A need or user story a requirement serves."""

    specification = models.ForeignKey(Specification, on_delete=models.CASCADE, related_name="needs")
    ref = models.CharField(_("referanse"), max_length=REF_MAX_LENGTH)
    title = models.CharField(_("behov"), max_length=200)
    text = models.TextField(_("brukerhistorie"), blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    origin = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="copies")

    class Meta:
        verbose_name = _("behov")
        verbose_name_plural = _("behov")
        ordering = ["specification", "ref"]
        constraints = [models.UniqueConstraint(fields=["specification", "ref"], name="need_unique_ref")]

    def __str__(self) -> str:
        return f"{self.ref} {self.title}"


class AwardCriterion(CopiedFromLibrary):
    """An award criterion, or a sub-criterion of one (parent set; one level). Weights are
    percentages: the criteria total 100, and so do the sub-criteria of each criterion."""

    specification = models.ForeignKey(Specification, on_delete=models.CASCADE, related_name="criteria")
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="children")
    name = models.CharField(_("kriterium"), max_length=200)
    description = models.TextField(_("hva som vurderes"), blank=True)
    weight = models.DecimalField(_("vekt (%)"), max_digits=5, decimal_places=2, default=0)
    is_price = models.BooleanField(_("priskriterium"), default=False)
    order = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(_("status"), max_length=20, choices=CriterionStatus.choices, default=CriterionStatus.PROPOSED)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    origin = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="copies")

    class Meta:
        verbose_name = _("tildelingskriterium")
        verbose_name_plural = _("tildelingskriterier")
        ordering = ["specification", "order", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(weight__gte=0) & Q(weight__lte=100), name="criterion_weight_percent"),
            models.CheckConstraint(condition=Q(parent__isnull=True) | Q(is_price=False), name="criterion_price_is_top_level"),
        ]

    def __str__(self) -> str:
        return self.name


class Requirement(CopiedFromLibrary):
    specification = models.ForeignKey(Specification, on_delete=models.CASCADE, related_name="requirements")
    ref = models.CharField(_("referanse"), max_length=REF_MAX_LENGTH)
    category = models.CharField(_("kategori"), max_length=20, choices=Category.choices)
    kind = models.CharField(_("type krav"), max_length=10, choices=RequirementKind.choices)
    text = models.TextField(_("krav"))
    need = models.ForeignKey(
        Need, on_delete=models.SET_NULL, null=True, blank=True, related_name="requirements", verbose_name=_("behov")
    )
    weight = models.DecimalField(_("vekt (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    criterion = models.ForeignKey(
        AwardCriterion,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="requirements",
        verbose_name=_("tildelingskriterium"),
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    origin = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="copies")

    class Meta:
        verbose_name = _("krav")
        verbose_name_plural = _("krav")
        ordering = ["specification", "ref"]
        constraints = [
            models.UniqueConstraint(fields=["specification", "ref"], name="requirement_unique_ref"),
            # A must requirement is met or not: it carries no weight and no criterion.
            models.CheckConstraint(
                condition=Q(kind="should") | (Q(weight__isnull=True) & Q(criterion__isnull=True)),
                name="requirement_must_is_yes_no",
            ),
        ]

    def __str__(self) -> str:
        return self.ref


class QualificationRequirement(models.Model):
    specification = models.ForeignKey(Specification, on_delete=models.CASCADE, related_name="qualifications")
    text = models.TextField(_("kvalifikasjonskrav"))
    evidence = models.TextField(_("dokumentasjonskrav"), blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("kvalifikasjonskrav")
        verbose_name_plural = _("kvalifikasjonskrav")
        ordering = ["specification", "order", "id"]


class Comment(models.Model):
    """A reader's comment on a requirement or on a category as a whole."""

    specification = models.ForeignKey(Specification, on_delete=models.CASCADE, related_name="comments")
    category = models.CharField(_("kategori"), max_length=20, choices=Category.choices)
    requirement = models.ForeignKey(Requirement, on_delete=models.CASCADE, null=True, blank=True, related_name="comments")
    text = models.TextField(_("kommentar"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("kommentar")
        verbose_name_plural = _("kommentarer")
        ordering = ["specification", "created_at", "id"]


class Clarification(models.Model):
    """A change or explanation after the specification was published, sent to every supplier."""

    specification = models.ForeignKey(Specification, on_delete=models.CASCADE, related_name="clarifications")
    number = models.PositiveIntegerField(_("nummer"))
    requirement = models.ForeignKey(
        Requirement, on_delete=models.PROTECT, null=True, blank=True, related_name="clarifications", verbose_name=_("krav")
    )
    text = models.TextField(_("avklaring"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("avklaring")
        verbose_name_plural = _("avklaringer")
        ordering = ["specification", "number"]
        constraints = [models.UniqueConstraint(fields=["specification", "number"], name="clarification_unique_number")]


class PackageState(models.TextChoices):
    QUEUED = "queued", _("I kø")
    RUNNING = "running", _("Lages")
    DONE = "done", _("Ferdig")
    FAILED = "failed", _("Feilet")


class TenderPackage(models.Model):
    """One export of the tender package (ZIP), built in the background. Its SHA-256 is
    recorded when it is done, and every download is audited."""

    procurement = models.ForeignKey("procurement.Procurement", on_delete=models.CASCADE, related_name="tender_packages")
    state = models.CharField(_("tilstand"), max_length=20, choices=PackageState.choices, default=PackageState.QUEUED)
    progress = models.PositiveSmallIntegerField(_("fremdrift (%)"), default=0)
    step = models.CharField(_("steg"), max_length=200, blank=True)
    file = models.FileField(upload_to=private_upload_path, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    files = models.PositiveIntegerField(_("filer"), default=0)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("konkurransepakke")
        verbose_name_plural = _("konkurransepakker")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="tender_package_progress_percent"),
            models.CheckConstraint(condition=~Q(state="done") | ~Q(sha256=""), name="tender_package_done_has_hash"),
        ]

    @property
    def is_active(self) -> bool:
        return self.state in (PackageState.QUEUED, PackageState.RUNNING)
