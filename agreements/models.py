"""The contract and the data processing agreement of a procurement, as data. The agreement's
PDF rendering is the dpa gate's document version (each chief executive signs its SHA-256);
the signed copies carry a signature page and a PAdES seal (agreements.signing)."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from procurement.models.procurement import private_upload_path


class DataProcessingAgreement(models.Model):
    """GDPR art. 28, on the structure of the EU standard contractual clauses 2021/915: every
    participating municipality is a controller (Annex I, read from the participations when
    printed), the supplier is the processor."""

    procurement = models.OneToOneField("procurement.Procurement", on_delete=models.CASCADE, related_name="dpa")
    processor_name = models.CharField(_("databehandler (leverandør)"), max_length=200)
    processor_org_number = models.CharField(_("organisasjonsnummer"), max_length=9)
    processor_address = models.CharField(_("adresse"), max_length=255, blank=True)
    processor_contact = models.CharField(_("kontaktperson hos databehandler"), max_length=200, blank=True)
    purpose = models.TextField(_("formål med behandlingen"))
    nature = models.TextField(_("behandlingens art"))
    duration = models.TextField(_("varighet"))
    data_subjects = models.TextField(_("kategorier av registrerte"), help_text=_("Én kategori per linje."))
    personal_data = models.TextField(_("kategorier av personopplysninger"), help_text=_("Én kategori per linje."))
    health_data = models.BooleanField(_("helseopplysninger behandles (velferdsteknologi)"), default=False)
    special_categories = models.TextField(_("særlige kategorier av personopplysninger"), blank=True)
    special_safeguards = models.TextField(_("særlige tiltak for de særlige kategoriene"), blank=True)
    security_measures = models.TextField(_("tekniske og organisatoriske tiltak"))
    sub_processors = models.TextField(
        _("underdatabehandlere"), blank=True, help_text=_("Én per linje: navn; land; hva de gjør.")
    )
    transfers = models.TextField(_("overføring til land utenfor EU/EØS"), blank=True)
    revision = models.PositiveIntegerField(_("revisjon"), default=0)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("sist endret"), auto_now=True)
    # Set when every chief executive has signed the current version.
    signed_copy = models.FileField(upload_to=private_upload_path, blank=True)
    signed_copy_sha256 = models.CharField(max_length=64, blank=True)
    signed_copy_at = models.DateTimeField(null=True, blank=True)
    signed_version = models.ForeignKey(
        "procurement.DeliverableVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("databehandleravtale")
        verbose_name_plural = _("databehandleravtaler")
        constraints = [
            models.CheckConstraint(
                condition=Q(health_data=False) | ~Q(special_categories=""), name="dpa_health_data_has_special_categories"
            ),
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name}: {self.procurement}"


class ContractType(models.TextChoices):
    SSA_L = "ssa_l", _("SSA-L (standard programvare med liten tilpasning)")
    SSA_T_D = "ssa_t_d", _("SSA-T med SSA-D (tilpasning og drift)")
    SSA_S = "ssa_s", _("SSA-S (smidig utvikling)")
    SSA_SKY = "ssa_sky", _("SSA-sky (skytjenester)")
    OTHER = "other", _("Annen avtale")


class ContractState(models.TextChoices):
    DRAFT = "draft", _("Utkast")
    SIGNED = "signed", _("Signert")


class Contract(models.Model):
    """The contract with the chosen supplier; its terms are data, set per agreement."""

    procurement = models.OneToOneField("procurement.Procurement", on_delete=models.CASCADE, related_name="contract")
    contract_type = models.CharField(_("avtaletype"), max_length=20, choices=ContractType.choices)
    other_type = models.CharField(_("annen avtaletype"), max_length=120, blank=True)
    supplier_name = models.CharField(_("leverandør"), max_length=200)
    supplier_org_number = models.CharField(_("leverandørens organisasjonsnummer"), max_length=9)
    subject = models.TextField(_("hva avtalen gjelder"))
    value = models.DecimalField(_("kontraktsverdi (kr eks. mva.)"), max_digits=14, decimal_places=2)
    one_off_cost = models.DecimalField(_("engangskostnader (kr eks. mva.)"), max_digits=14, decimal_places=2)
    yearly_cost = models.DecimalField(_("årlige kostnader (kr eks. mva.)"), max_digits=14, decimal_places=2)
    acceptance_test_days = models.PositiveSmallIntegerField(_("godkjenningsperiode (dager)"))
    delay_penalty_per_mille = models.DecimalField(_("dagbot (promille av prisen per kalenderdag)"), max_digits=5, decimal_places=2)
    delay_penalty_cap_percent = models.DecimalField(_("tak for dagbot (prosent av prisen)"), max_digits=5, decimal_places=2)
    duration_months = models.PositiveSmallIntegerField(_("varighet (måneder)"))
    extensions = models.PositiveSmallIntegerField(_("antall forlengelser"), default=0)
    extension_months = models.PositiveSmallIntegerField(_("måneder per forlengelse"), default=0)
    options = models.TextField(_("opsjoner"), blank=True)
    state = models.CharField(_("tilstand"), max_length=10, choices=ContractState.choices, default=ContractState.DRAFT)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("sist endret"), auto_now=True)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    signed_role = models.CharField(_("signert som"), max_length=120, blank=True)
    signed_at = models.DateTimeField(_("signert"), null=True, blank=True)
    document_sha256 = models.CharField(max_length=64, blank=True)
    signed_copy = models.FileField(upload_to=private_upload_path, blank=True)
    signed_copy_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("kontrakt")
        verbose_name_plural = _("kontrakter")
        constraints = [
            models.CheckConstraint(
                condition=Q(state="draft") | (Q(signed_by__isnull=False) & Q(signed_at__isnull=False) & ~Q(signed_copy="")),
                name="contract_signed_has_signer_and_copy",
            ),
            models.CheckConstraint(condition=~Q(contract_type="other") | ~Q(other_type=""), name="contract_other_type_named"),
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name}: {self.procurement}"

    @property
    def type_label(self) -> str:
        return self.other_type if self.contract_type == ContractType.OTHER else str(self.get_contract_type_display())


class Distribution(models.Model):
    """The signed contract and agreement were sent to the municipalities and K-IKT: once."""

    procurement = models.OneToOneField("procurement.Procurement", on_delete=models.CASCADE, related_name="agreements_distribution")
    at = models.DateTimeField(auto_now_add=True)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("utsending av signerte avtaler")
        verbose_name_plural = _("utsendinger av signerte avtaler")
