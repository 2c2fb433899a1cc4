"""'My tasks': three lists, each a page at a time.

A chief executive's municipality may take part in a thousand procurements, and judging each
of them (its readiness) to find the few signatures waiting would cost a thousand snapshots.
So each list is first narrowed in SQL to the procurements where the task can exist, then
paginated, and only the page's procurements are judged by the engine, which stays the one
that decides what the rows say.

The SQL mirrors conditions the engine checks, as necessary conditions: for a signature, the
procurement is in the phase of a gate with a step for one of the user's roles, the gate's
document is delivered, the user's slot (their municipality taking part, or their body) has
no live signature, and every earlier step of the gate is approved by all its slots; for a
missing deliverable, a required deliverable of the current phase has no current version.
tests/procurement/test_views_tasks.py checks the pages against judging every procurement."""
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, Q, QuerySet

from municipalities.models import Body
from municipalities.roles import ANSWERING_ROLES

from .. import phases
from ..models import (
    Decision,
    Deliverable,
    DeliverableDefinition,
    GateKind,
    GateStep,
    Participation,
    ParticipationStatus,
    Procurement,
    SignOff,
    StepScope,
    VoidReason,
)
from ..verdicts import Verdict, WaitingSlot, WaitingStep, verdicts_for
from .access import procurements_permitted, procurements_visible, slot_signable, user_signing_rights
from .paging import PROCUREMENT_ORDER, page_of

SECTIONS = ("invitations", "signatures", "missing_deliverables")


@dataclass
class SignatureTask:
    procurement: Procurement
    step: WaitingStep
    slot: WaitingSlot
    gate_name: str
    again: bool = False  # a new version of the document voided a signature in this slot: "Signer på nytt"


def _live_signoffs(step_id: int, **slot) -> QuerySet[SignOff]:
    return SignOff.objects.filter(procurement_id=OuterRef("pk"), step_id=step_id, voided_at__isnull=True, **slot)


def _joined(**extra) -> QuerySet[Participation]:
    return Participation.objects.filter(procurement_id=OuterRef("pk"), status=ParticipationStatus.JOINED, **extra)


def _step_complete(step: GateStep) -> Q:
    """Every slot of STEP approved (a live approval; a rejection leaves it incomplete)."""
    approvals = SignOff.objects.filter(step_id=step.pk, voided_at__isnull=True, decision=Decision.APPROVE)
    if step.scope == StepScope.EACH_PARTICIPANT:
        unapproved = _joined().exclude(
            Exists(approvals.filter(procurement_id=OuterRef("procurement_id"), municipality_id=OuterRef("municipality_id")))
        )
        return Q(Exists(_joined())) & ~Q(Exists(unapproved))
    # One body of each kind per collaboration, so the step has one slot.
    return Q(Exists(approvals.filter(procurement_id=OuterRef("pk"))))


def _my_slot_unsigned(step: GateStep, rights: set, bodies: dict[int, Body]) -> Q | None:
    """STEP has a slot USER signs for in the procurement, still without a live signature."""
    if step.scope == StepScope.EACH_PARTICIPANT:
        mine = [obj for role, kind, obj in rights if kind == "m" and role == step.role]
        if not mine:
            return None
        unsigned = _joined(municipality_id__in=mine).exclude(
            Exists(
                SignOff.objects.filter(
                    procurement_id=OuterRef("procurement_id"),
                    step_id=step.pk,
                    voided_at__isnull=True,
                    municipality_id=OuterRef("municipality_id"),
                )
            )
        )
        return Q(Exists(unsigned))
    mine = [
        bodies[obj]
        for role, kind, obj in rights
        if kind == "b" and role == step.role and obj in bodies and bodies[obj].kind == step.body_kind
    ]
    if not mine:
        return None
    return Q(collaboration_id__in={b.collaboration_id for b in mine}) & ~Q(
        Exists(_live_signoffs(step.pk, body_id__in=[b.pk for b in mine]))
    )


def signature_candidates(*, user, rights: set) -> QuerySet[Procurement]:
    """The procurements where a signature waits for USER (see the module docstring). Two
    queries to build: the gate steps for the user's roles, and the user's bodies."""
    roles = {role for role, _kind, _obj in rights}
    if not roles:
        return Procurement.objects.none()
    steps = list(
        GateStep.objects.filter(gate__kind=GateKind.SIGNATURES, gate__steps__role__in=roles)
        .select_related("gate__phase")
        .distinct()
        .order_by("gate_id", "order", "id")
    )
    bodies = Body.objects.in_bulk({obj for _role, kind, obj in rights if kind == "b"})
    by_gate: dict[int, list[GateStep]] = defaultdict(list)
    for step in steps:
        by_gate[step.gate_id].append(step)
    wanted = Q(pk__in=[])
    for gate_steps in by_gate.values():
        gate = gate_steps[0].gate
        if gate.document_id is None:
            continue
        for position, step in enumerate(gate_steps):
            if step.role not in roles:
                continue
            mine = _my_slot_unsigned(step, rights, bodies)
            if mine is None:
                continue
            condition = (
                Q(process_version_id=gate.phase.version_id, state=gate.phase.code)
                & Q(
                    Exists(
                        Deliverable.objects.filter(
                            procurement_id=OuterRef("pk"), definition_id=gate.document_id, current_version__isnull=False
                        )
                    )
                )
                & mine
            )
            for earlier in gate_steps[:position]:
                condition &= _step_complete(earlier)
            wanted |= condition
    return procurements_visible(user=user).filter(state__in=phases.PHASES).filter(wanted)


def deliverable_missing() -> Exists:
    """A procurement's current phase has a required deliverable without a current version:
    exactly when its readiness lists one missing (and so is not ready)."""
    delivered = Deliverable.objects.filter(
        procurement_id=OuterRef(OuterRef("pk")), definition_id=OuterRef("pk"), current_version__isnull=False
    )
    return Exists(
        DeliverableDefinition.objects.filter(
            version_id=OuterRef("process_version_id"), phase__code=OuterRef("state"), required=True
        ).exclude(Exists(delivered))
    )


def signature_step_unsigned() -> Exists:
    """A step of a signatures gate of the procurement's current phase without one live
    approval: the case cannot be ready, since a step is complete only when it has slots and
    every one approved."""
    approved = SignOff.objects.filter(
        procurement_id=OuterRef(OuterRef("pk")), step_id=OuterRef("pk"), voided_at__isnull=True, decision=Decision.APPROVE
    )
    return Exists(
        GateStep.objects.filter(
            gate__phase__version_id=OuterRef("process_version_id"),
            gate__phase__code=OuterRef("state"),
            gate__kind=GateKind.SIGNATURES,
        ).exclude(Exists(approved))
    )


def gate_rejected() -> Exists:
    """A live "no" on a step of a gate of the procurement's current phase."""
    return Exists(
        SignOff.objects.filter(
            procurement_id=OuterRef("pk"),
            voided_at__isnull=True,
            decision=Decision.REJECT,
            step__gate__phase__version_id=OuterRef("process_version_id"),
            step__gate__phase__code=OuterRef("state"),
        )
    )


def missing_deliverable_candidates(*, user) -> QuerySet[Procurement]:
    """The running procurements USER writes for where a required deliverable of the current
    phase has no current version: exactly those whose readiness lists one missing."""
    contributable = procurements_permitted(
        user=user, codename="contribute_procurement", among=procurements_visible(user=user).filter(state__in=phases.PHASES)
    )
    return contributable.filter(deliverable_missing())


def invitations_waiting(*, rights: set) -> QuerySet[Participation]:
    answer_for = {obj for role, kind, obj in rights if kind == "m" and role in ANSWERING_ROLES}
    return (
        Participation.objects.filter(
            municipality_id__in=answer_for, status=ParticipationStatus.INVITED, procurement__state=phases.INTAKE
        )
        .select_related("procurement", "municipality")
        .order_by(F("procurement__invitation_deadline").asc(nulls_last=True), "procurement_id", "municipality__name", "pk")
    )


def signature_tasks_of(procurements, *, verdicts: dict[int, Verdict], rights: set) -> list[SignatureTask]:
    """The signatures waiting for the holder of RIGHTS in PROCUREMENTS (their VERDICTS),
    each marked "again" where a new version of the document voided a signature in that
    slot. One query besides the judgement."""
    signatures: list[SignatureTask] = []
    for procurement in procurements:
        for step, slot in verdicts[procurement.pk].missing_signatures:
            if slot_signable(rights, step, slot):
                signatures.append(SignatureTask(procurement, step, slot, step.gate_label))
    if signatures:
        voided = set(
            SignOff.objects.filter(
                procurement_id__in={task.procurement.pk for task in signatures},
                step_id__in={task.step.step.pk for task in signatures},
                void_reason=VoidReason.NEW_VERSION,
            ).values_list("procurement_id", "step_id", "slot")
        )
        for task in signatures:
            task.again = (task.procurement.pk, task.step.step.pk, task.slot.slot) in voided
    return signatures


def _ids(procurements: QuerySet[Procurement]) -> list[int]:
    return list(procurements.order_by(*PROCUREMENT_ORDER).values_list("pk", flat=True))


def tasks_for(*, user, pages: dict | None = None) -> dict:
    """'My tasks': invitations to answer, signatures waiting for me, and for those who write
    deliverables, phases held up by missing ones. PAGES maps a section (SECTIONS) to the
    page asked for. Returns each section's rows on its page, and under "pages" each
    section's Page. A fixed number of queries whatever the number of procurements."""
    pages = pages or {}
    rights = user_signing_rights(user=user)
    invitations = page_of(invitations_waiting(rights=rights), pages.get("invitations"))
    # The candidates' conditions are costly, so they are evaluated once, for the ids in
    # order, instead of once for the count and again for the page.
    signing = page_of(_ids(signature_candidates(user=user, rights=rights)), pages.get("signatures"))
    writing = page_of(_ids(missing_deliverable_candidates(user=user)), pages.get("missing_deliverables"))
    rows = Procurement.objects.select_related("collaboration", "lead_municipality").in_bulk(
        [*signing.object_list, *writing.object_list]
    )
    signing_rows = [rows[pk] for pk in signing.object_list]
    writing_rows = [rows[pk] for pk in writing.object_list]
    # One judgement for both pages; a procurement on both is judged once.
    verdicts = verdicts_for(rows.values())

    signatures = signature_tasks_of(signing_rows, verdicts=verdicts, rights=rights)
    missing_deliverables: list[tuple[Procurement, Verdict]] = []
    for procurement in writing_rows:
        verdict = verdicts[procurement.pk]
        if verdict.missing:
            missing_deliverables.append((procurement, verdict))
    return {
        "invitations": list(invitations.object_list),
        "signatures": signatures,
        "missing_deliverables": missing_deliverables,
        # The signatures' and deliverables' pages hold procurement ids.
        "pages": {"invitations": invitations, "signatures": signing, "missing_deliverables": writing},
    }
