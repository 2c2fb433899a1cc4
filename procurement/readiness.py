"""What stands between a procurement and its next step: missing deliverables, gates and
the signatures they still need, unanswered invitations. Loaded in bulk for any number of
procurements with a fixed number of queries, so the dashboard and the procurement page
share one implementation and the dashboard's query count does not grow with the data."""
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from municipalities.models import Body
from municipalities.roles import Role

from . import phases
from .models import (
    Deliverable,
    DeliverableDefinition,
    GateDefinition,
    GateStep,
    Participation,
    ParticipationStatus,
    PhaseDefinition,
    Procurement,
    SignOff,
    StepScope,
)


def municipality_slot(municipality_id: int) -> str:
    return f"m:{municipality_id}"


def body_slot(body_id: int) -> str:
    return f"b:{body_id}"


@dataclass
class SlotStatus:
    slot: str
    label: str
    municipality_id: int | None
    body_id: int | None
    signoff: SignOff | None = None

    @property
    def approved(self) -> bool:
        return self.signoff is not None and self.signoff.decision == "approve"

    @property
    def rejected(self) -> bool:
        return self.signoff is not None and self.signoff.decision == "reject"


@dataclass
class StepStatus:
    step: GateStep
    slots: list[SlotStatus]
    is_open: bool

    @property
    def complete(self) -> bool:
        return bool(self.slots) and all(slot.approved for slot in self.slots)

    @property
    def rejected(self) -> bool:
        return any(slot.rejected for slot in self.slots)

    @property
    def waiting_for(self) -> list[SlotStatus]:
        return [slot for slot in self.slots if slot.signoff is None]

    @property
    def role_label(self) -> str:
        return Role(self.step.role).label


@dataclass
class GateStatus:
    gate: GateDefinition
    document: Deliverable | None
    steps: list[StepStatus]

    @property
    def passed(self) -> bool:
        return self.document is not None and all(step.complete for step in self.steps)

    @property
    def rejected(self) -> bool:
        return any(step.rejected for step in self.steps)

    @property
    def open_step(self) -> StepStatus | None:
        return next((step for step in self.steps if step.is_open and not step.complete), None)


@dataclass
class Readiness:
    procurement: Procurement
    phase: PhaseDefinition | None
    missing: list[DeliverableDefinition] = field(default_factory=list)
    gates: list[GateStatus] = field(default_factory=list)
    unanswered: list[Participation] = field(default_factory=list)
    joined: list[Participation] = field(default_factory=list)

    @property
    def deliverables_present(self) -> bool:
        return not self.missing

    @property
    def gates_passed(self) -> bool:
        return all(gate.passed for gate in self.gates)

    @property
    def cost_shares_complete(self) -> bool:
        shares = [p.cost_share for p in self.joined]
        return bool(shares) and None not in shares and sum(shares, Decimal("0")) == Decimal("100.00")

    @property
    def invitations_settled(self) -> bool:
        p = self.procurement
        if p.invitations_sent_at is None:
            return False
        if not self.unanswered:
            return True
        today = timezone.localdate(timezone=p.region.tzinfo)
        return p.invitation_deadline is not None and today > p.invitation_deadline

    @property
    def missing_signatures(self) -> list[tuple[StepStatus, SlotStatus]]:
        return [
            (step, slot)
            for gate in self.gates
            if (step := gate.open_step) is not None and gate.document is not None
            for slot in step.waiting_for
        ]

    @property
    def blockers(self) -> list[str]:
        """Short sentences for the dashboard: why the procurement cannot move on now."""
        p = self.procurement
        reasons: list[str] = []
        if p.state == phases.INTAKE:
            if p.invitations_sent_at is None:
                reasons.append(_("Invitasjon til de andre kommunene er ikke sendt"))
            elif not self.invitations_settled:
                names = ", ".join(str(part.municipality) for part in self.unanswered)
                reasons.append(_("Venter på svar fra %(names)s") % {"names": names})
            if not self.cost_shares_complete:
                reasons.append(_("Kostnadsfordelingen er ikke satt til 100 %"))
        for definition in self.missing:
            reasons.append(_("Mangler leveranse: %(name)s") % {"name": definition.label})
        for gate in self.gates:
            if gate.passed:
                continue
            if gate.document is None:
                continue  # the missing document is already listed above
            if gate.rejected:
                reasons.append(_("%(gate)s er avvist – nytt dokument trengs") % {"gate": gate.gate.label})
            elif (step := gate.open_step) is not None:
                names = ", ".join(slot.label for slot in step.waiting_for)
                reasons.append(
                    _("%(gate)s venter på %(role)s: %(names)s")
                    % {"gate": gate.gate.label, "role": step.role_label.lower(), "names": names}
                )
        return reasons


class ReadinessLoader:
    """Loads everything readiness needs for a batch of procurements in a fixed number of
    queries, then answers per procurement from memory."""

    def __init__(self, procurements: Iterable[Procurement]):
        self.procurements = list(procurements)
        ids = [p.pk for p in self.procurements]
        states = {p.state for p in self.procurements}
        self.phase_defs = {
            pd.code: pd
            for pd in PhaseDefinition.objects.filter(code__in=states).prefetch_related(
                "deliverables", "gates__steps", "gates__document"
            )
        }
        self.deliverables = {
            (d.procurement_id, d.definition_id): d
            for d in Deliverable.objects.filter(procurement_id__in=ids).select_related("current_version", "definition")
        }
        self.signoffs: dict[tuple[int, int], dict[str, SignOff]] = defaultdict(dict)
        for signoff in SignOff.objects.filter(procurement_id__in=ids, voided_at__isnull=True).select_related(
            "person", "municipality", "body"
        ):
            self.signoffs[(signoff.procurement_id, signoff.step_id)][signoff.slot] = signoff
        self.participations: dict[int, list[Participation]] = defaultdict(list)
        for participation in Participation.objects.filter(procurement_id__in=ids).select_related("municipality"):
            self.participations[participation.procurement_id].append(participation)
        region_ids = {p.region_id for p in self.procurements}
        self.bodies = {(b.region_id, b.kind): b for b in Body.objects.filter(region_id__in=region_ids)}

    def for_procurement(self, procurement: Procurement) -> Readiness:
        participations = self.participations[procurement.pk]
        joined = [p for p in participations if p.status == ParticipationStatus.JOINED]
        readiness = Readiness(
            procurement=procurement,
            phase=self.phase_defs.get(procurement.state),
            joined=joined,
            unanswered=[p for p in participations if p.status == ParticipationStatus.INVITED],
        )
        if readiness.phase is None:
            return readiness
        for definition in readiness.phase.deliverables.all():
            deliverable = self.deliverables.get((procurement.pk, definition.pk))
            if definition.required and (deliverable is None or deliverable.current_version_id is None):
                readiness.missing.append(definition)
        for gate in readiness.phase.gates.all():
            readiness.gates.append(self._gate_status(procurement, gate, joined))
        return readiness

    def _gate_status(self, procurement: Procurement, gate: GateDefinition, joined: list[Participation]) -> GateStatus:
        document = self.deliverables.get((procurement.pk, gate.document_id))
        if document is not None and document.current_version_id is None:
            document = None
        steps: list[StepStatus] = []
        previous_complete = True
        for step in gate.steps.all():
            slots = self._slots(procurement, step, joined)
            signed = self.signoffs.get((procurement.pk, step.pk), {})
            for slot in slots:
                slot.signoff = signed.get(slot.slot)
            status = StepStatus(step=step, slots=slots, is_open=previous_complete and document is not None)
            steps.append(status)
            previous_complete = previous_complete and status.complete
        return GateStatus(gate=gate, document=document, steps=steps)

    def _slots(self, procurement: Procurement, step: GateStep, joined: list[Participation]) -> list[SlotStatus]:
        if step.scope == StepScope.EACH_PARTICIPANT:
            return [
                SlotStatus(
                    slot=municipality_slot(p.municipality_id),
                    label=str(p.municipality),
                    municipality_id=p.municipality_id,
                    body_id=None,
                )
                for p in joined
            ]
        body = self.bodies.get((procurement.region_id, step.body_kind))
        if body is None:
            return []
        return [SlotStatus(slot=body_slot(body.pk), label=str(body), municipality_id=None, body_id=body.pk)]


def readiness_for(procurement: Procurement) -> Readiness:
    return ReadinessLoader([procurement]).for_procurement(procurement)
