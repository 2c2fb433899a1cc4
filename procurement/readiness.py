"""What stands between a procurement and its next step, judged by the process engine:
the required deliverables of the phase and every gate of the phase in the procurement's
pinned process version. Loaded in bulk for any number of procurements with a fixed number
of queries, so the dashboard, the procurement page and the services share one judgement."""
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.utils.translation import gettext as _

from .engine.evaluators import GateStatus, SlotStatus, StepStatus, body_slot, evaluate, municipality_slot
from .engine.snapshot import CaseSnapshot, SnapshotLoader
from .models import DeliverableDefinition, GateKind, Participation, PhaseDefinition, Procurement, ProcurementState

__all__ = [
    "GateStatus",
    "Readiness",
    "ReadinessLoader",
    "SlotStatus",
    "StepStatus",
    "assess",
    "body_slot",
    "municipality_slot",
    "readiness_for",
]


@dataclass
class Readiness:
    snapshot: CaseSnapshot
    state: str  # the state judged: a transition fired since makes this judgement stale
    phase: PhaseDefinition | None
    missing: list[DeliverableDefinition] = field(default_factory=list)
    gates: list[GateStatus] = field(default_factory=list)

    @property
    def procurement(self) -> Procurement:
        return self.snapshot.procurement

    @property
    def joined(self) -> list[Participation]:
        return self.snapshot.joined

    @property
    def unanswered(self) -> list[Participation]:
        return self.snapshot.unanswered

    @property
    def deliverables_present(self) -> bool:
        return not self.missing

    @property
    def gates_passed(self) -> bool:
        return all(gate.passed for gate in self.gates)

    @property
    def ready(self) -> bool:
        """The phase may be completed (intake: the procurement may start)."""
        return self.phase is not None and self.deliverables_present and self.gates_passed

    @property
    def phase_label(self) -> str:
        """The phase in the collaboration's own words (its process template), or the state's
        name where the template has no phase (closed, cancelled)."""
        if self.phase is not None:
            return self.phase.label
        return str(ProcurementState(self.state).label)

    @property
    def signature_gates(self) -> list[GateStatus]:
        return [gate for gate in self.gates if gate.is_signatures]

    @property
    def condition_gates(self) -> list[GateStatus]:
        return [gate for gate in self.gates if not gate.is_signatures]

    def gate(self, kind: str) -> GateStatus | None:
        return next((gate for gate in self.gates if gate.gate.kind == kind), None)

    @property
    def invitations_settled(self) -> bool:
        gate = self.gate(GateKind.INVITATIONS_SETTLED)
        return gate is None or gate.passed

    @property
    def cost_shares_complete(self) -> bool:
        gate = self.gate(GateKind.COST_SHARES_COMPLETE)
        return gate is None or gate.passed

    @property
    def missing_signatures(self) -> list[tuple[StepStatus, SlotStatus]]:
        return [
            (step, slot)
            for gate in self.signature_gates
            if (step := gate.open_step) is not None and gate.document is not None
            for slot in step.waiting_for
        ]

    @property
    def blockers(self) -> list[str]:
        """Short sentences for the dashboard: why the procurement cannot move on now."""
        reasons = [_("Mangler leveranse: %(name)s") % {"name": definition.label} for definition in self.missing]
        for gate in self.gates:
            if not gate.passed:
                reasons.extend(gate.reasons)
        return reasons

    def signoff_added(self, signoff) -> "Readiness":
        """The judgement again after SIGNOFF, from memory."""
        self.snapshot.signoff_add(signoff)
        return assess(self.snapshot)


def assess(snapshot: CaseSnapshot) -> Readiness:
    """Judge the current phase of the snapshot's procurement (pure: no queries)."""
    phase = snapshot.phase
    readiness = Readiness(snapshot=snapshot, state=snapshot.procurement.state, phase=phase)
    if phase is None:
        return readiness
    for definition in phase.deliverables.all():
        deliverable = snapshot.deliverables.get(definition.pk)
        if definition.required and (deliverable is None or deliverable.current_version_id is None):
            readiness.missing.append(definition)
    readiness.gates = [evaluate(snapshot, gate) for gate in phase.gates.all()]
    return readiness


class ReadinessLoader:
    """Loads the snapshots of a batch of procurements in a fixed number of queries, then
    judges each from memory. WHOLE_PROCESS=False: the snapshots' catalogue holds only the
    current phases (see SnapshotLoader), for callers that judge and do not draw the process."""

    def __init__(self, procurements: Iterable[Procurement], *, now: datetime | None = None, whole_process: bool = True):
        self.loader = SnapshotLoader(procurements, now=now, whole_process=whole_process)

    def snapshot(self, procurement: Procurement) -> CaseSnapshot:
        return self.loader.snapshot(procurement)

    def for_procurement(self, procurement: Procurement) -> Readiness:
        return assess(self.loader.snapshot(procurement))


def readiness_for(procurement: Procurement, *, whole_process: bool = True) -> Readiness:
    """The judgement of PROCUREMENT's current phase. WHOLE_PROCESS=False for callers that
    only judge (the services, the state machine's condition, the recipients of a mail): the
    snapshot then holds the current phase alone (see SnapshotLoader)."""
    return ReadinessLoader([procurement], whole_process=whole_process).for_procurement(procurement)


# What completing a phase asks the coordinator to confirm: a deliverable this short is most
# likely a placeholder ("kommer", "se vedlegg"), and a checklist left unticked may be work
# forgotten. They do not stop the phase (the gates decide that); they are said out loud.
TEXT_MINIMUM_CHARACTERS = 200
FILE_MINIMUM_BYTES = 2_000


@dataclass(frozen=True)
class CompletionWarning:
    kind: str  # "checklist" or "short"
    label: str  # in the reader's language
    anchor: str
    detail: str = ""
    name: str = ""  # in the collaboration's own language, for the audit log


def completion_warnings(readiness: Readiness) -> list[CompletionWarning]:
    """The unticked checklist items of the judged phase and its delivered deliverables that
    are shorter than a sensible minimum (pure: reads the snapshot)."""
    phase = readiness.phase
    if phase is None:
        return []
    snapshot = readiness.snapshot
    warnings = [
        CompletionWarning("checklist", item.label, "sjekkliste", name=item.name)
        for item in phase.checklist_items.all()
        if item.pk not in snapshot.checked_items
    ]
    for definition in phase.deliverables.all():
        deliverable = snapshot.deliverables.get(definition.pk)
        version = deliverable.current_version if deliverable is not None else None
        if version is None:
            continue
        if version.file:
            if version.size < FILE_MINIMUM_BYTES:
                detail = _("Dokumentet er bare %(size)s byte.") % {"size": version.size}
            else:
                continue
        elif len(version.text.strip()) < TEXT_MINIMUM_CHARACTERS:
            detail = _("Teksten er bare %(count)s tegn (minst %(minimum)s ventes).") % {
                "count": len(version.text.strip()),
                "minimum": TEXT_MINIMUM_CHARACTERS,
            }
        else:
            continue
        warnings.append(CompletionWarning("short", definition.label, f"leveranse-{definition.code}", detail, name=definition.name))
    return warnings
