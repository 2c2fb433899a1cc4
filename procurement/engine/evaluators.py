"""One pure function per gate kind: evaluate(snapshot, gate) -> GateStatus.

Nothing here touches the database: every fact comes from the CaseSnapshot the caller
loaded once, so judging a gate costs no query and the same judgement can be repeated after
a change made in memory (a signature just recorded). The reasons are short sentences for
the screens, in the reader's language."""
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from municipalities.roles import Role

from .. import deadlines as legal_time
from ..models import (
    Deliverable,
    GateDefinition,
    GateKind,
    GateStep,
    Participation,
    SignOff,
    StepScope,
)
from .records import record_kind
from .snapshot import CaseSnapshot


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
    recorder_id: int | None = None  # a body with a designated recorder of its decisions

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
    """The judgement of one gate. DOCUMENT and STEPS are filled for signature gates only."""

    gate: GateDefinition
    passed: bool
    reasons: list[str] = field(default_factory=list)
    document: Deliverable | None = None
    steps: list[StepStatus] = field(default_factory=list)

    @property
    def is_signatures(self) -> bool:
        return self.gate.kind == GateKind.SIGNATURES

    @property
    def rejected(self) -> bool:
        return any(step.rejected for step in self.steps)

    @property
    def open_step(self) -> StepStatus | None:
        return next((step for step in self.steps if step.is_open and not step.complete), None)


def _slots(snapshot: CaseSnapshot, step: GateStep, joined: list[Participation]) -> list[SlotStatus]:
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
    body = snapshot.bodies.get(step.body_kind)
    if body is None:
        return []
    return [
        SlotStatus(
            slot=body_slot(body.pk), label=str(body), municipality_id=None, body_id=body.pk,
            recorder_id=getattr(body, "decision_recorder_id", None),
        )
    ]


def signatures(snapshot: CaseSnapshot, gate: GateDefinition) -> GateStatus:
    """Every step, in order, approved the current version of the gate's document."""
    document = snapshot.deliverables.get(gate.document_id)
    if document is not None and document.current_version_id is None:
        document = None
    joined = snapshot.joined
    steps: list[StepStatus] = []
    previous_complete = True
    for step in gate.steps.all():
        slots = _slots(snapshot, step, joined)
        signed = snapshot.signoffs.get(step.pk, {})
        for slot in slots:
            slot.signoff = signed.get(slot.slot)
        status = StepStatus(step=step, slots=slots, is_open=previous_complete and document is not None)
        steps.append(status)
        previous_complete = previous_complete and status.complete
    result = GateStatus(gate=gate, passed=document is not None and all(s.complete for s in steps), document=document, steps=steps)
    if result.passed or document is None:
        # A missing document is reported once, as a missing deliverable.
        if document is None and gate.document is not None and not gate.document.required:
            result.reasons.append(_("%(gate)s mangler dokumentet «%(name)s»") % {"gate": gate.label, "name": gate.document.label})
        return result
    if result.rejected:
        result.reasons.append(_("%(gate)s er avvist – nytt dokument trengs") % {"gate": gate.label})
    elif (step := result.open_step) is not None:
        if not step.slots:
            result.reasons.append(
                _("%(gate)s kan ikke signeres: samarbeidet har ikke noe organ av typen «%(kind)s»")
                % {"gate": gate.label, "kind": step.step.body_kind}
                if step.step.scope == StepScope.BODY
                else _("%(gate)s kan ikke signeres: ingen kommune er med") % {"gate": gate.label}
            )
        else:
            names = ", ".join(slot.label for slot in step.waiting_for)
            result.reasons.append(
                _("%(gate)s venter på %(role)s: %(names)s")
                % {"gate": gate.label, "role": step.role_label.lower(), "names": names}
            )
    return result


def deadline_passed(snapshot: CaseSnapshot, gate: GateDefinition) -> GateStatus:
    """The case's deadline of the gate's kind has ended (24:00 of its day in the
    collaboration's time zone)."""
    deadline = snapshot.deadlines.get(gate.deadline_kind)
    if deadline is None:
        return GateStatus(gate=gate, passed=False, reasons=[_("%(gate)s – fristen er ikke satt ennå") % {"gate": gate.label}])
    if legal_time.has_passed(deadline.due_date, time_zone=snapshot.time_zone, now=snapshot.now):
        return GateStatus(gate=gate, passed=True)
    return GateStatus(
        gate=gate,
        passed=False,
        reasons=[_("%(gate)s – først etter %(date)s") % {"gate": gate.label, "date": deadline.due_date.strftime("%d.%m.%Y")}],
    )


def none_open(snapshot: CaseSnapshot, gate: GateDefinition) -> GateStatus:
    kind = record_kind(gate.record_kind)
    if kind is None:
        return GateStatus(gate=gate, passed=False, reasons=[_("%(gate)s – ukjent sakstype") % {"gate": gate.label}])
    counts = snapshot.records.get(gate.record_kind)
    open_count = sum(n for state, n in (counts or {}).items() if state in kind.open_states)
    if open_count == 0:
        return GateStatus(gate=gate, passed=True)
    return GateStatus(
        gate=gate,
        passed=False,
        reasons=[_("%(gate)s – %(count)d åpen sak (%(kind)s)") % {"gate": gate.label, "count": open_count, "kind": str(kind.label).lower()}],
    )


def record_state(snapshot: CaseSnapshot, gate: GateDefinition) -> GateStatus:
    kind = record_kind(gate.record_kind)
    if kind is None:
        return GateStatus(gate=gate, passed=False, reasons=[_("%(gate)s – ukjent sakstype") % {"gate": gate.label}])
    counts = snapshot.records.get(gate.record_kind) or {}
    wanted = gate.states
    if any(counts.get(state, 0) for state in wanted):
        return GateStatus(gate=gate, passed=True)
    return GateStatus(
        gate=gate,
        passed=False,
        reasons=[
            _("%(gate)s – ennå ingen %(kind)s med tilstand «%(states)s»")
            % {
                "gate": gate.label,
                "kind": str(kind.label).lower(),
                "states": " / ".join(kind.state_label(state).lower() for state in wanted),
            }
        ],
    )


def checklist_complete(snapshot: CaseSnapshot, gate: GateDefinition) -> GateStatus:
    open_items = [item for item in gate.phase.checklist_items.all() if item.pk not in snapshot.checked_items]
    if not open_items:
        return GateStatus(gate=gate, passed=True)
    return GateStatus(
        gate=gate,
        passed=False,
        reasons=[_("%(gate)s – %(count)d punkt gjenstår") % {"gate": gate.label, "count": len(open_items)}],
    )


def invitations_settled(snapshot: CaseSnapshot, gate: GateDefinition) -> GateStatus:
    """Every invited municipality has answered, or the answer deadline has ended."""
    procurement = snapshot.procurement
    if procurement.invitations_sent_at is None:
        return GateStatus(gate=gate, passed=False, reasons=[_("Invitasjon til de andre kommunene er ikke sendt")])
    unanswered = snapshot.unanswered
    if not unanswered:
        return GateStatus(gate=gate, passed=True)
    deadline = procurement.invitation_deadline
    if deadline is not None and legal_time.has_passed(deadline, time_zone=snapshot.time_zone, now=snapshot.now):
        return GateStatus(gate=gate, passed=True)
    names = ", ".join(str(part.municipality) for part in unanswered)
    return GateStatus(gate=gate, passed=False, reasons=[_("Venter på svar fra %(names)s") % {"names": names}])


def cost_shares_complete(snapshot: CaseSnapshot, gate: GateDefinition) -> GateStatus:
    shares = [p.cost_share for p in snapshot.joined]
    if shares and None not in shares and sum(shares, Decimal("0")) == Decimal("100.00"):
        return GateStatus(gate=gate, passed=True)
    return GateStatus(gate=gate, passed=False, reasons=[_("Kostnadsfordelingen er ikke satt til 100 %")])


EVALUATORS: dict[str, Callable[[CaseSnapshot, GateDefinition], GateStatus]] = {
    GateKind.SIGNATURES: signatures,
    GateKind.DEADLINE_PASSED: deadline_passed,
    GateKind.NONE_OPEN: none_open,
    GateKind.RECORD_STATE: record_state,
    GateKind.CHECKLIST_COMPLETE: checklist_complete,
    GateKind.INVITATIONS_SETTLED: invitations_settled,
    GateKind.COST_SHARES_COMPLETE: cost_shares_complete,
}


def evaluate(snapshot: CaseSnapshot, gate: GateDefinition) -> GateStatus:
    evaluator = EVALUATORS.get(gate.kind)
    if evaluator is None:
        return GateStatus(gate=gate, passed=False, reasons=[_("%(gate)s – ukjent porttype") % {"gate": gate.label}])
    return evaluator(snapshot, gate)
