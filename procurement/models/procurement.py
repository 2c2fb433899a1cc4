import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, ConcurrentTransitionMixin, FSMField, transition

from procurement import conditions, phases


class ProcurementState(models.TextChoices):
    INTAKE = phases.INTAKE, _("Innmeldt")
    NEEDS = phases.NEEDS, _("Kartlegge behov")
    TARGET_PICTURE = phases.TARGET_PICTURE, _("Lage målbilde")
    MARKET_DIALOGUE = phases.MARKET_DIALOGUE, _("Markedsdialog")
    STRATEGY = phases.STRATEGY, _("Strategi og business case")
    PROCEDURE = phases.PROCEDURE, _("Prosedyre og plan")
    TENDER_DOCUMENTS = phases.TENDER_DOCUMENTS, _("Konkurransegrunnlag")
    EVALUATION = phases.EVALUATION, _("Evaluering og tildeling")
    CONTRACT = phases.CONTRACT, _("Kontrakt")
    ACCEPTANCE_TEST = phases.ACCEPTANCE_TEST, _("Akseptansetest")
    CONTRACT_MANAGEMENT = phases.CONTRACT_MANAGEMENT, _("Avtaleforvaltning")
    CLOSED = phases.CLOSED, _("Avsluttet")
    CANCELLED = phases.CANCELLED, _("Avlyst")


class NeedKind(models.TextChoices):
    REPLACE = "replace", _("Bytte ut en løsning")
    INTRODUCE = "introduce", _("Innføre en ny løsning")
    UPGRADE = "upgrade", _("Større oppgradering")


class Funding(models.TextChoices):
    ACTION_PLAN = "action_plan", _("I samarbeidets tiltaksplan og budsjett")
    OWN_BUDGET = "own_budget", _("Kommunenes egne budsjetter")


class CostSharingMethod(models.TextChoices):
    EQUAL = "equal", _("Likt fordelt")
    POPULATION = "population", _("Etter innbyggertall")
    CUSTOM = "custom", _("Egendefinert")


def private_upload_path(instance, filename: str) -> str:
    """Random names under MEDIA_ROOT: the original name is kept in the database only, so
    nothing a user typed ends up in a path."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"documents/{uuid.uuid4().hex}{suffix}"


def can_manage(instance: "Procurement", user) -> bool:
    return user.has_perm("procurement.manage_procurement", instance)


class Procurement(ConcurrentTransitionMixin, models.Model):
    collaboration = models.ForeignKey(
        "municipalities.Collaboration", on_delete=models.PROTECT, related_name="procurements", verbose_name=_("samarbeid")
    )
    # The process the case runs under, pinned when it was reported: later versions of the
    # template do not change a running or closed case.
    process_version = models.ForeignKey(
        "procurement.ProcessVersion", on_delete=models.PROTECT, related_name="procurements", verbose_name=_("prosessversjon")
    )
    lead_municipality = models.ForeignKey(
        "municipalities.Municipality", on_delete=models.PROTECT, related_name="led_procurements", verbose_name=_("meldt inn av kommune")
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reported_procurements", verbose_name=_("meldt inn av")
    )
    title = models.CharField(_("tittel"), max_length=200)
    kind = models.CharField(_("type behov"), max_length=20, choices=NeedKind.choices)
    description = models.TextField(_("beskrivelse av behovet"))
    funding = models.CharField(_("finansiering"), max_length=20, choices=Funding.choices)
    estimated_value = models.DecimalField(
        _("estimert kontraktsverdi (NOK eks. mva.)"), max_digits=14, decimal_places=0, null=True, blank=True
    )
    state = FSMField(_("fase"), default=phases.INTAKE, choices=ProcurementState.choices, protected=True)
    invitation_deadline = models.DateField(_("svarfrist for invitasjonen"), null=True, blank=True)
    invitations_sent_at = models.DateTimeField(null=True, blank=True)
    cost_sharing_method = models.CharField(
        _("kostnadsfordeling"), max_length=20, choices=CostSharingMethod.choices, default=CostSharingMethod.EQUAL
    )
    cancel_reason = models.TextField(_("begrunnelse for avlysning"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Counts every change to the rows a judgement of the case reads (deliverables,
    # signatures, participations, deadlines, checklist ticks, records of other apps, the
    # names of its municipalities and bodies). Kept by database triggers
    # (procurement.revisions), so no writer can forget it; a cached verdict is keyed by it.
    revision = models.PositiveBigIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("anskaffelse")
        verbose_name_plural = _("anskaffelser")
        ordering = ["-created_at"]
        permissions = [
            ("manage_procurement", "Run the procurement: phases, invitations, cost sharing"),
            ("contribute_procurement", "Write deliverables in the procurement"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state=phases.CANCELLED) | ~Q(cancel_reason=""), name="procurement_cancel_has_reason"
            ),
        ]
        indexes = [models.Index(fields=["collaboration", "state"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.state in phases.OPEN_STATES

    @property
    def phase_number(self) -> int | None:
        return phases.phase_number(self.state)

    # Transition bodies change only this instance; services save, audit and notify. One
    # condition for every forward move: the phase's definition in the pinned process version
    # is met (required deliverables present, every gate passed), judged on the snapshot the
    # service loaded once (procurement.engine).
    @transition(
        field=state,
        source=phases.INTAKE,
        target=phases.NEEDS,
        conditions=[conditions.phase_ready],
        permission=can_manage,
        custom={"label": _("Start anskaffelsen"), "button": "primary"},
    )
    def start(self):
        pass

    @transition(
        field=state,
        source=list(phases.PHASES[:-1]),
        target=RETURN_VALUE(*phases.PHASES[1:]),
        conditions=[conditions.phase_ready],
        permission=can_manage,
        custom={"label": _("Fullfør fasen"), "button": "primary"},
    )
    def complete_phase(self):
        return phases.next_phase(self.state)

    @transition(
        field=state,
        source=phases.CONTRACT_MANAGEMENT,
        target=phases.CLOSED,
        conditions=[conditions.phase_ready],
        permission=can_manage,
        custom={"label": _("Avslutt anskaffelsen"), "button": "primary"},
    )
    def close(self):
        pass

    @transition(
        field=state,
        source=list(phases.PHASES[1:]),
        target=RETURN_VALUE(*phases.PHASES[:-1]),
        permission=can_manage,
        custom={"label": _("Gå tilbake til en tidligere fase"), "button": "secondary", "needs_phase": True},
    )
    def reopen(self, *, phase: str):
        if phase not in phases.earlier_phases(self.state):
            raise ValueError(f"{phase} is not before {self.state}")
        return phase

    @transition(
        field=state,
        source=list(phases.OPEN_STATES),
        target=phases.CANCELLED,
        permission=can_manage,
        custom={"label": _("Avlys anskaffelsen"), "button": "danger", "needs_reason": True},
    )
    def cancel(self, *, reason: str):
        self.cancel_reason = reason
