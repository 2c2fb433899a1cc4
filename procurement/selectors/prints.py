"""Readers for printed documents. Like the screen selectors each takes the user, applies
visibility once and loads in a fixed number of queries whatever the amount of data."""
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone

from municipalities.roles import Role

from .. import phases
from ..engine.evaluators import GateStatus, StepStatus, signatures
from ..engine.snapshot import SnapshotLoader
from ..models import (
    DeliverableVersion,
    GateDefinition,
    GateKind,
    ParticipationStatus,
    PhaseChange,
    PhaseChangeKind,
    PhaseDefinition,
    Procurement,
    SignOff,
)
from .access import procurements_visible


def role_label(role: str) -> str:
    return Role(role).label if role in Role.values else role


@dataclass
class PrintSignature:
    """One signature as it stands in the record, live or void."""

    signoff: SignOff
    version: DeliverableVersion
    voided_by: DeliverableVersion | None

    @property
    def is_void(self) -> bool:
        return self.signoff.is_void

    @property
    def signed_for(self):
        return self.signoff.municipality or self.signoff.body

    @property
    def role_label(self) -> str:
        return role_label(self.signoff.role)


@dataclass
class PrintStep:
    status: StepStatus
    signatures: list[PrintSignature] = field(default_factory=list)

    @property
    def missing(self):
        return self.status.waiting_for


@dataclass
class PrintVersion:
    version: DeliverableVersion
    is_current: bool


@dataclass
class PrintGate:
    gate: GateDefinition
    phase: PhaseDefinition
    phase_number: int
    phase_status: str  # "done", "current" or "cancelled" (the phase a cancelled procurement stopped in)
    status: GateStatus
    current_version: DeliverableVersion | None
    versions: list[PrintVersion]
    steps: list[PrintStep]

    @property
    def missing_count(self) -> int:
        return sum(len(step.missing) for step in self.steps)


def _reached_phases(procurement: Procurement) -> dict[str, str]:
    """Phase code -> "done" / "current" / "cancelled" for every phase the procurement has
    reached. A cancelled procurement reached the phase its cancellation was made in, which
    its phase change records (one query, only then)."""
    state = procurement.state
    if state == phases.CLOSED:
        return {code: "done" for code in phases.PHASES}
    if state in phases.PHASES:
        index = phases.PHASES.index(state)
        return {code: "done" if i < index else "current" for i, code in enumerate(phases.PHASES[: index + 1])}
    if state == phases.CANCELLED:
        stopped = (
            PhaseChange.objects.filter(procurement=procurement, kind=PhaseChangeKind.CANCEL)
            .order_by("-at", "-id")
            .values_list("from_state", flat=True)
            .first()
        )
        if stopped in phases.PHASES:
            index = phases.PHASES.index(stopped)
            return {code: "done" if i < index else "cancelled" for i, code in enumerate(phases.PHASES[: index + 1])}
    return {}


def signoff_record_for_print(*, user, procurement_id: int) -> dict:
    """The sign-off record ("signaturprotokoll") of one procurement: the participants with
    their cost shares and, for every signature gate of every phase reached in the process
    version the procurement is pinned to, the versions of the gate's document that were
    signed (with their SHA-256), every signature live or void, and the slots still missing.
    A later version of the process template changes nothing here. Raises
    Procurement.DoesNotExist when the user may not see it.

    Queries: visibility and the procurement, the snapshot (fixed), the gate documents'
    versions, every sign-off; one more for a cancelled procurement. The number does not grow
    with participants, gates or signatures."""
    procurement = (
        procurements_visible(user=user).select_related("collaboration", "lead_municipality").get(pk=procurement_id)
    )
    snapshot = SnapshotLoader([procurement]).snapshot(procurement)
    participations = sorted(snapshot.participations, key=lambda p: (not p.is_lead, p.municipality.name))
    joined = [p for p in participations if p.status == ParticipationStatus.JOINED]

    reached = _reached_phases(procurement)
    gates = [
        gate
        for phase in snapshot.catalogue.ordered_phases()
        if phase.code in reached
        for gate in phase.gates.all()
        if gate.kind == GateKind.SIGNATURES
    ]
    versions: dict[int, DeliverableVersion] = {}
    signoffs: list[SignOff] = []
    if gates:
        document_ids = {gate.document_id for gate in gates}
        for version in DeliverableVersion.objects.filter(
            deliverable__procurement=procurement, deliverable__definition_id__in=document_ids
        ).select_related("created_by"):
            versions[version.pk] = version
        signoffs = list(
            SignOff.objects.filter(procurement=procurement, step__gate__in=gates)
            .select_related("person", "municipality", "body")
            .order_by("signed_at", "id")
        )
    by_step: dict[int, list[PrintSignature]] = defaultdict(list)
    for signoff in signoffs:
        by_step[signoff.step_id].append(
            PrintSignature(
                signoff=signoff,
                version=versions[signoff.document_version_id],
                voided_by=versions.get(signoff.voided_by_version_id),
            )
        )

    print_gates: list[PrintGate] = []
    for gate in gates:
        status = signatures(snapshot, gate)
        current = versions.get(status.document.current_version_id) if status.document is not None else None
        steps = [PrintStep(status=step, signatures=by_step.get(step.step.pk, [])) for step in status.steps]
        listed: dict[int, PrintVersion] = {}
        for step in steps:
            for signature in step.signatures:
                listed.setdefault(
                    signature.version.pk,
                    PrintVersion(version=signature.version, is_current=signature.version == current),
                )
                if signature.voided_by is not None:
                    listed.setdefault(
                        signature.voided_by.pk,
                        PrintVersion(version=signature.voided_by, is_current=signature.voided_by == current),
                    )
        if current is not None:
            listed.setdefault(current.pk, PrintVersion(version=current, is_current=True))
        print_gates.append(
            PrintGate(
                gate=gate,
                phase=gate.phase,
                phase_number=phases.PHASES.index(gate.phase.code) + 1,
                phase_status=reached[gate.phase.code],
                status=status,
                current_version=current,
                versions=sorted(listed.values(), key=lambda row: row.version.number),
                steps=steps,
            )
        )

    generated_at: datetime = timezone.localtime(timezone.now(), procurement.collaboration.tzinfo)
    shares = [p.cost_share for p in joined if p.cost_share is not None]
    return {
        "procurement": procurement,
        "collaboration": procurement.collaboration,
        "time_zone": procurement.collaboration.time_zone,
        "participations": joined,
        "share_total": sum(shares) if shares else None,
        "gates": print_gates,
        "phase_count": len(phases.PHASES),
        "generated_at": generated_at,
        "generated_by": user,
    }
