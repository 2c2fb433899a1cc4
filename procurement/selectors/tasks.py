"""'My tasks'."""
from dataclasses import dataclass

from guardian.shortcuts import get_objects_for_user

from municipalities.roles import ANSWERING_ROLES

from .. import phases
from ..models import Participation, ParticipationStatus, Procurement
from ..readiness import Readiness, ReadinessLoader, SlotStatus, StepStatus
from .access import procurements_visible, slot_signable, user_signing_rights


@dataclass
class SignatureTask:
    procurement: Procurement
    step: StepStatus
    slot: SlotStatus
    gate_name: str


def tasks_for(*, user) -> dict:
    """'My tasks': invitations to answer, signatures waiting for me, and for those who run
    procurements, phases held up by missing deliverables."""
    rights = user_signing_rights(user=user)
    answer_for = {obj_id for role, kind, obj_id in rights if kind == "m" and role in ANSWERING_ROLES}
    invitations = list(
        Participation.objects.filter(
            municipality_id__in=answer_for, status=ParticipationStatus.INVITED, procurement__state=phases.INTAKE
        ).select_related("procurement", "municipality")
    )
    visible = list(
        procurements_visible(user=user)
        .filter(state__in=phases.PHASES)
        .select_related("collaboration", "lead_municipality")
    )
    loader = ReadinessLoader(visible)
    signatures: list[SignatureTask] = []
    missing_deliverables: list[tuple[Procurement, Readiness]] = []
    contributable = set(
        get_objects_for_user(
            user, "procurement.contribute_procurement", klass=Procurement.objects.filter(pk__in=[p.pk for p in visible])
        ).values_list("pk", flat=True)
    ) if visible else set()
    for procurement in visible:
        readiness = loader.for_procurement(procurement)
        for step, slot in readiness.missing_signatures:
            if slot_signable(rights, step, slot):
                gate = next(g for g in readiness.gates if step in g.steps)
                signatures.append(SignatureTask(procurement, step, slot, gate.gate.label))
        if procurement.pk in contributable and readiness.missing:
            missing_deliverables.append((procurement, readiness))
    return {"invitations": invitations, "signatures": signatures, "missing_deliverables": missing_deliverables}
