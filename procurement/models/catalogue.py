"""The process a procurement follows, as data: a versioned template of phases, their
deliverables, checklists and gates (seed 004 for the phases, seed 000 for who decides).

A collaboration has its own template, or uses the national one (no collaboration). A
procurement pins the version it started on; a published version never changes, so running
and closed procurements, and their printed records, keep the process they ran under.
Editing a published version means making a new draft from it and publishing that."""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from municipalities.roles import Role

from .deadlines import NAMED_DEADLINE_KINDS
from .procurement import ProcurementState


class Bilingual(models.Model):
    """Text in the collaboration's own language with an optional English translation chosen
    by the active language."""

    name = models.CharField(_("navn"), max_length=255)
    name_en = models.CharField(_("navn (engelsk)"), max_length=255, blank=True)

    class Meta:
        abstract = True

    @property
    def label(self) -> str:
        if (get_language() or "nb").startswith("en") and self.name_en:
            return self.name_en
        return self.name

    def __str__(self) -> str:
        return self.name


class ProcessTemplate(models.Model):
    collaboration = models.OneToOneField(
        "municipalities.Collaboration",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="process_template",
        verbose_name=_("samarbeid"),
        help_text=_("Tom: den nasjonale malen, som samarbeid uten egen mal bruker."),
    )
    name = models.CharField(_("navn"), max_length=200)

    class Meta:
        verbose_name = _("prosessmal")
        verbose_name_plural = _("prosessmaler")
        ordering = ["collaboration__name", "name"]
        constraints = [
            # One national template: the fallback must be unambiguous.
            models.UniqueConstraint(
                fields=["name"], condition=Q(collaboration__isnull=True), name="process_template_one_national_per_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ProcessVersion(models.Model):
    template = models.ForeignKey(ProcessTemplate, on_delete=models.PROTECT, related_name="versions", verbose_name=_("mal"))
    number = models.PositiveIntegerField(_("versjon"))
    note = models.TextField(_("hva er endret"), blank=True)
    based_on = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("laget fra")
    )
    created_at = models.DateTimeField(_("laget"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("laget av")
    )
    published_at = models.DateTimeField(_("publisert"), null=True, blank=True)

    class Meta:
        verbose_name = _("prosessversjon")
        verbose_name_plural = _("prosessversjoner")
        ordering = ["template", "-number"]
        constraints = [models.UniqueConstraint(fields=["template", "number"], name="process_version_unique_number")]

    def __str__(self) -> str:
        return f"{self.template} v{self.number}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


# Intake has a definition too: its gates (invitations answered, cost shares) are data.
PHASE_CHOICES = [
    (value, label) for value, label in ProcurementState.choices if value not in (ProcurementState.CLOSED, ProcurementState.CANCELLED)
]


class PhaseDefinition(Bilingual):
    version = models.ForeignKey(ProcessVersion, on_delete=models.CASCADE, related_name="phases", verbose_name=_("prosessversjon"))
    code = models.CharField(_("fase"), max_length=32, choices=PHASE_CHOICES)
    guide_step = models.CharField(_("steg i veilederen"), max_length=255, blank=True)
    description = models.TextField(_("beskrivelse"), blank=True)
    decision = models.TextField(_("beslutning i fasen"), blank=True)
    order = models.PositiveSmallIntegerField(_("rekkefølge"), default=0)

    class Meta:
        verbose_name = _("fasedefinisjon")
        verbose_name_plural = _("fasedefinisjoner")
        ordering = ["version", "order"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="phase_definition_unique_in_version")]


class DeliverableKind(models.TextChoices):
    DOCUMENT = "document", _("Dokument")
    TEXT = "text", _("Tekst")
    EITHER = "either", _("Dokument eller tekst")


class AccessClass(models.TextChoices):
    PARTICIPANTS = "participants", _("Alle deltakere")
    RESTRICTED = "restricted", _("Bare navngitte roller")


def validate_roles(value) -> None:
    if not isinstance(value, list) or any(role not in Role.values for role in value):
        raise ValidationError(_("Ukjent rolle i listen."))


class DeliverableDefinition(Bilingual):
    version = models.ForeignKey(ProcessVersion, on_delete=models.CASCADE, related_name="+", verbose_name=_("prosessversjon"))
    phase = models.ForeignKey(PhaseDefinition, on_delete=models.CASCADE, related_name="deliverables", verbose_name=_("fase"))
    code = models.SlugField(_("kode"), max_length=64)
    description = models.TextField(_("beskrivelse"), blank=True)
    kind = models.CharField(_("form"), max_length=10, choices=DeliverableKind.choices, default=DeliverableKind.EITHER)
    required = models.BooleanField(_("påkrevd for å fullføre fasen"), default=True)
    order = models.PositiveSmallIntegerField(_("rekkefølge"), default=0)
    access = models.CharField(
        _("tilgang"),
        max_length=20,
        choices=AccessClass.choices,
        default=AccessClass.PARTICIPANTS,
        help_text=_("Tilbud, priser og evalueringer skal bare åpnes av navngitte roller."),
    )
    access_roles = models.JSONField(
        _("roller med tilgang"), default=list, blank=True, validators=[validate_roles],
        help_text=_("Rollene som kan åpne dokumentet når tilgangen er begrenset."),
    )

    class Meta:
        verbose_name = _("leveransedefinisjon")
        verbose_name_plural = _("leveransedefinisjoner")
        ordering = ["phase__order", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="deliverable_definition_unique_in_version"),
            models.CheckConstraint(
                condition=~Q(access="restricted") | ~Q(access_roles=[]),
                name="deliverable_restricted_names_roles",
                violation_error_message=_("Begrenset tilgang må nevne minst én rolle."),
            ),
        ]

    @property
    def is_restricted(self) -> bool:
        return self.access == AccessClass.RESTRICTED

    def open_to(self, roles: set[str]) -> bool:
        """Whether someone holding ROLES in the procurement may open this document (they
        may see the procurement; that is checked before)."""
        return not self.is_restricted or bool(roles & set(self.access_roles))

    def clean(self) -> None:
        if self.phase_id and self.version_id and self.phase.version_id != self.version_id:
            raise ValidationError({"phase": _("Fasen må høre til samme prosessversjon.")})
        if self.access == AccessClass.RESTRICTED and not self.access_roles:
            raise ValidationError({"access_roles": _("Velg rollene som kan åpne dokumentet.")})


class ChecklistItemDefinition(Bilingual):
    phase = models.ForeignKey(PhaseDefinition, on_delete=models.CASCADE, related_name="checklist_items", verbose_name=_("fase"))
    order = models.PositiveSmallIntegerField(_("rekkefølge"), default=0)

    class Meta:
        verbose_name = _("sjekklistepunkt")
        verbose_name_plural = _("sjekklistepunkter")
        ordering = ["phase__order", "order", "id"]


class GateKind(models.TextChoices):
    """Each kind has one evaluator (procurement.engine.evaluators); a gate of an existing
    kind is added to a phase in the admin, without code."""

    SIGNATURES = "signatures", _("Signaturer på et dokument")
    DEADLINE_PASSED = "deadline_passed", _("En frist er passert")
    NONE_OPEN = "none_open", _("Ingen åpne saker av en type")
    RECORD_STATE = "record_state", _("En sak har nådd en tilstand")
    CHECKLIST_COMPLETE = "checklist_complete", _("Sjekklisten er krysset av")
    INVITATIONS_SETTLED = "invitations_settled", _("Invitasjonene er besvart")
    COST_SHARES_COMPLETE = "cost_shares_complete", _("Kostnadsfordelingen er 100 %")


class GateDefinition(Bilingual):
    """A condition the phase must meet before it can be completed. Which fields matter
    depends on the kind: the document and steps for signatures, the deadline for
    deadline_passed, the record kind (and states) for none_open and record_state."""

    version = models.ForeignKey(ProcessVersion, on_delete=models.CASCADE, related_name="+", verbose_name=_("prosessversjon"))
    code = models.SlugField(_("kode"), max_length=64)
    phase = models.ForeignKey(PhaseDefinition, on_delete=models.CASCADE, related_name="gates", verbose_name=_("fase"))
    kind = models.CharField(_("type"), max_length=32, choices=GateKind.choices, default=GateKind.SIGNATURES)
    order = models.PositiveSmallIntegerField(_("rekkefølge"), default=0)
    document = models.ForeignKey(
        DeliverableDefinition,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="gates",
        verbose_name=_("dokument som godkjennes"),
    )
    document_roles = models.JSONField(
        _("roller som kan legge inn ny versjon"), default=list, blank=True, validators=[validate_roles],
        help_text=_(
            "I tillegg til dem som styrer anskaffelsen. En ny versjon gjør signaturene ugyldige, så bare disse kan legge den inn."
        ),
    )
    deadline_kind = models.CharField(_("frist"), max_length=32, choices=NAMED_DEADLINE_KINDS, blank=True)
    record_kind = models.CharField(_("sakstype"), max_length=32, blank=True)
    record_states = models.CharField(
        _("tilstander"), max_length=200, blank=True, help_text=_("Kommaseparert, for eksempel «sent».")
    )
    description = models.TextField(_("beskrivelse"), blank=True)

    class Meta:
        verbose_name = _("port")
        verbose_name_plural = _("porter")
        ordering = ["phase__order", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="gate_definition_unique_in_version")]

    @property
    def states(self) -> list[str]:
        return [state.strip() for state in self.record_states.split(",") if state.strip()]

    def clean(self) -> None:
        from ..engine.records import record_kind_problems  # the registry is filled by the apps

        errors: dict[str, str] = {}
        if self.phase_id and self.version_id and self.phase.version_id != self.version_id:
            errors["phase"] = _("Fasen må høre til samme prosessversjon.")
        if self.kind == GateKind.SIGNATURES:
            if not self.document_id:
                errors["document"] = _("En signaturport må ha et dokument som godkjennes.")
            elif self.phase_id and self.document.phase_id != self.phase_id:
                # A document from another phase would make the gate unpassable or pass it unseen.
                errors["document"] = _("Dokumentet må høre til samme fase som porten.")
        elif self.document_id:
            errors["document"] = _("Bare en signaturport har et dokument.")
        if self.kind == GateKind.DEADLINE_PASSED and not self.deadline_kind:
            errors["deadline_kind"] = _("Velg fristen som må være passert.")
        if self.kind in (GateKind.NONE_OPEN, GateKind.RECORD_STATE):
            problem = record_kind_problems(self.record_kind, self.states if self.kind == GateKind.RECORD_STATE else None)
            if problem:
                errors["record_kind"] = problem
        if errors:
            raise ValidationError(errors)


class StepScope(models.TextChoices):
    BODY = "body", _("Én beslutning for organet")
    EACH_PARTICIPANT = "each_participant", _("Én signatur per deltakende kommune")


class GateStep(Bilingual):
    gate = models.ForeignKey(GateDefinition, on_delete=models.CASCADE, related_name="steps", verbose_name=_("port"))
    order = models.PositiveSmallIntegerField(_("rekkefølge"), default=1)
    role = models.CharField(_("rolle som signerer"), max_length=40, choices=Role.choices)
    scope = models.CharField(_("omfang"), max_length=20, choices=StepScope.choices)
    body_kind = models.SlugField(
        _("type organ"), max_length=32, blank=True, help_text=_("Organtypen i samarbeidet som beslutter, for eksempel «styringsgruppe».")
    )

    class Meta:
        verbose_name = _("godkjenningssteg")
        verbose_name_plural = _("godkjenningssteg")
        ordering = ["gate", "order"]
        constraints = [
            models.UniqueConstraint(fields=["gate", "order"], name="gate_step_unique_order"),
            models.CheckConstraint(
                condition=~models.Q(scope="body") | ~models.Q(body_kind=""), name="gate_step_body_scope_names_body"
            ),
        ]
