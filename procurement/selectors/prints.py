"""Readers for printed documents. Like the screen selectors each takes the user, applies
visibility once and loads in a fixed number of queries whatever the amount of data."""
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone

from audit.models import AuditEntry
from municipalities.models import Body
from municipalities.roles import Role

from .. import phases
from ..models import (
    DeliverableVersion,
    GateDefinition,
    Participation,
    ParticipationStatus,
    PhaseDefinition,
    Procurement,
    SignOff,
)
from ..readiness import GateStatus, ReadinessLoader, StepStatus
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


class _GateLoader(ReadinessLoader):
    """Readiness' gate and slot logic (which slots a step has, which step is open) applied
    to data loaded here for every phase reached, not only the current one."""

    def __init__(self, *, deliverables: dict, signoffs: dict, bodies: dict):  # noqa: D107 - no queries here
        self.deliverables = deliverables
        self.signoffs = signoffs
        self.bodies = bodies

    def gate_status(self, procurement: Procurement, gate: GateDefinition, joined: list[Participation]) -> GateStatus:
        return self._gate_status(procurement, gate, joined)


def _reached_phases(procurement: Procurement) -> dict[str, str]:
    """Phase code -> "done" / "current" / "cancelled" for every phase the procurement has
    reached. A cancelled procurement reached the phase its cancellation was made in, which
    only the audit entry of the cancellation records (one query, only then)."""
    state = procurement.state
    if state == phases.CLOSED:
        return {code: "done" for code in phases.PHASES}
    if state in phases.PHASES:
        index = phases.PHASES.index(state)
        return {code: "done" if i < index else "current" for i, code in enumerate(phases.PHASES[: index + 1])}
    if state == phases.CANCELLED:
        entry = (
            AuditEntry.objects.filter(procurement=procurement, action="procurement.cancel")
            .order_by("-at", "-id")
            .values_list("data", flat=True)
            .first()
        )
        stopped = (entry or {}).get("from")
        if stopped in phases.PHASES:
            index = phases.PHASES.index(stopped)
            return {code: "done" if i < index else "cancelled" for i, code in enumerate(phases.PHASES[: index + 1])}
    return {}


def signoff_record_for_print(*, user, procurement_id: int) -> dict:
    """The sign-off record ("signaturprotokoll") of one procurement: the participants with
    their cost shares and, for every gate of every phase reached, the versions of the gate's
    document that were signed (with their SHA-256), every signature live or void, and the
    slots still missing. Raises Procurement.DoesNotExist when the user may not see it.

    Queries: visibility and the procurement, participations, gates and their steps (2),
    the gate documents' versions, sign-offs, the region's bodies; one more for a cancelled
    procurement. The number does not grow with participants, gates or signatures."""
    procurement = (
        procurements_visible(user=user).select_related("region", "lead_municipality").get(pk=procurement_id)
    )
    participations = list(
        Participation.objects.filter(procurement=procurement).select_related("municipality").order_by(
            "-is_lead", "municipality__name"
        )
    )
    joined = [p for p in participations if p.status == ParticipationStatus.JOINED]

    reached = _reached_phases(procurement)
    gates = list(
        GateDefinition.objects.filter(phase__code__in=list(reached))
        .select_related("phase", "document")
        .prefetch_related("steps")
        .order_by("phase__order", "id")
    ) if reached else []
    document_ids = {gate.document_id for gate in gates}

    versions: dict[int, DeliverableVersion] = {}
    deliverables = {}
    signoffs: list[SignOff] = []
    bodies = {}
    if gates:
        for version in DeliverableVersion.objects.filter(
            deliverable__procurement=procurement, deliverable__definition_id__in=document_ids
        ).select_related("deliverable", "created_by"):
            versions[version.pk] = version
            deliverables[(procurement.pk, version.deliverable.definition_id)] = version.deliverable
        signoffs = list(
            SignOff.objects.filter(procurement=procurement, step__gate__in=gates)
            .select_related("person", "municipality", "body")
            .order_by("signed_at", "id")
        )
        bodies = {(b.region_id, b.kind): b for b in Body.objects.filter(region_id=procurement.region_id)}

    live: dict[tuple[int, int], dict[str, SignOff]] = defaultdict(dict)
    by_step: dict[int, list[PrintSignature]] = defaultdict(list)
    for signoff in signoffs:
        if not signoff.is_void:
            live[(procurement.pk, signoff.step_id)][signoff.slot] = signoff
        by_step[signoff.step_id].append(
            PrintSignature(
                signoff=signoff,
                version=versions[signoff.document_version_id],
                voided_by=versions.get(signoff.voided_by_version_id),
            )
        )
    loader = _GateLoader(deliverables=deliverables, signoffs=live, bodies=bodies)

    print_gates: list[PrintGate] = []
    for gate in gates:
        status = loader.gate_status(procurement, gate, joined)
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

    generated_at: datetime = timezone.localtime(timezone.now(), procurement.region.tzinfo)
    shares = [p.cost_share for p in joined if p.cost_share is not None]
    return {
        "procurement": procurement,
        "region": procurement.region,
        "time_zone": procurement.region.time_zone,
        "participations": joined,
        "share_total": sum(shares) if shares else None,
        "gates": print_gates,
        "phase_count": len(phases.PHASES),
        "generated_at": generated_at,
        "generated_by": user,
    }
