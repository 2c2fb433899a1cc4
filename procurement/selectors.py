"""The only readers for screens: each takes the user and applies visibility once, and
loads in a fixed number of queries whatever the amount of data."""
from dataclasses import dataclass
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db.models import Min, Prefetch, Q, QuerySet
from guardian.models import UserObjectPermission
from guardian.shortcuts import get_objects_for_user

from audit.selectors import audit_entries_for_procurement
from municipalities.models import Body, Municipality, Region
from municipalities.selectors import coordinated_bodies
from municipalities.roles import ANSWERING_ROLES, act_as_codename

from . import phases
from .conditions import READINESS_SNAPSHOT
from .models import (
    ChecklistCheck,
    Deliverable,
    DeliverableVersion,
    InformationInitiative,
    Participation,
    ParticipationStatus,
    PhaseDefinition,
    Procurement,
    SignOff,
)
from .readiness import Readiness, ReadinessLoader, SlotStatus, StepStatus, readiness_for


def procurements_visible(*, user) -> QuerySet[Procurement]:
    if not user.is_authenticated:
        return Procurement.objects.none()
    return get_objects_for_user(
        user, "procurement.view_procurement", klass=Procurement.objects.all(), accept_global_perms=user.is_superuser
    )


@dataclass
class DashboardRow:
    procurement: Procurement
    readiness: Readiness
    next_deadline: date | None


def procurement_list(
    *, user, region_id: int | None = None, municipality_id: int | None = None, phase: str | None = None
) -> list[DashboardRow]:
    procurements = (
        procurements_visible(user=user)
        .select_related("region", "lead_municipality")
        .annotate(next_deadline=Min("deadlines__due_date", filter=Q(deadlines__done_at__isnull=True)))
        .order_by("region__name", "-created_at")
    )
    if region_id:
        procurements = procurements.filter(region_id=region_id)
    if municipality_id:
        procurements = procurements.filter(participations__municipality_id=municipality_id).distinct()
    if phase:
        procurements = procurements.filter(state=phase)
    procurements = list(procurements)
    loader = ReadinessLoader(procurements)
    return [DashboardRow(p, loader.for_procurement(p), p.next_deadline) for p in procurements]


def dashboard_filter_choices(*, user) -> dict:
    regions = Region.objects.filter(procurements__in=procurements_visible(user=user)).distinct()
    return {
        "regions": list(regions),
        "municipalities": list(Municipality.objects.filter(region__in=regions).select_related("region")),
        "phases": [(code, label) for code, label in Procurement._meta.get_field("state").choices],
    }


def user_signing_rights(*, user) -> set[tuple[str, str, int]]:
    """(role, 'm'|'b', object id) for every municipality or body the user acts for, read
    from the guardian permissions the role assignments wrote: one query."""
    if not user.is_authenticated:
        return set()
    types = ContentType.objects.get_for_models(Municipality, Body)
    kind_of = {types[Municipality].pk: "m", types[Body].pk: "b"}
    rows = UserObjectPermission.objects.filter(
        user=user, content_type__in=list(types.values()), permission__codename__startswith="act_as_"
    ).values_list("permission__codename", "content_type_id", "object_pk")
    return {(codename.removeprefix("act_as_"), kind_of[ct], int(pk)) for codename, ct, pk in rows}


def slot_signable(rights: set, step: StepStatus, slot: SlotStatus) -> bool:
    if slot.municipality_id is not None:
        return (step.step.role, "m", slot.municipality_id) in rights
    return (step.step.role, "b", slot.body_id) in rights


@dataclass
class PhaseView:
    definition: PhaseDefinition
    number: int
    status: str  # "done", "current", "upcoming"
    deliverables: list


def procurement_detail(*, user, procurement_id: int) -> dict:
    """Everything the procurement page shows. Raises Procurement.DoesNotExist when the user
    may not see it, so the view answers 404 without revealing that it exists."""
    procurement = (
        procurements_visible(user=user).select_related("region", "lead_municipality", "reported_by").get(pk=procurement_id)
    )
    readiness = readiness_for(procurement)
    definitions = PhaseDefinition.objects.prefetch_related("deliverables", "checklist_items").order_by("order")
    deliverables = {
        d.definition_id: d
        for d in Deliverable.objects.filter(procurement=procurement).prefetch_related(
            Prefetch("versions", queryset=DeliverableVersion.objects.select_related("created_by"))
        )
    }
    current_index = phases.PHASES.index(procurement.state) if procurement.state in phases.PHASES else None
    timeline: list[PhaseView] = []
    for index, definition in enumerate(d for d in definitions if d.code in phases.PHASES):
        position = phases.PHASES.index(definition.code)
        if procurement.state == phases.CLOSED or (current_index is not None and position < current_index):
            status = "done"
        elif current_index is not None and position == current_index:
            status = "current"
        else:
            status = "upcoming"
        items = [(dd, deliverables.get(dd.pk)) for dd in definition.deliverables.all()]
        timeline.append(PhaseView(definition=definition, number=index + 1, status=status, deliverables=items))
    rights = user_signing_rights(user=user)
    checked = set(ChecklistCheck.objects.filter(procurement=procurement).values_list("item_id", flat=True))
    voided = (
        SignOff.objects.filter(procurement=procurement, voided_at__isnull=False)
        .select_related("person", "municipality", "body", "step__gate", "document_version")
        .order_by("-voided_at")
    )
    return {
        "procurement": procurement,
        "readiness": readiness,
        "timeline": timeline,
        "current_phase": readiness.phase,
        "participations": list(procurement.participations.select_related("municipality", "answered_by")),
        "checked_items": checked,
        "signing_rights": rights,
        "voided_signoffs": list(voided),
        "history": list(audit_entries_for_procurement(procurement=procurement, limit=200)),
        "deadlines": list(procurement.deadlines.all()),
        "can_manage": user.has_perm("procurement.manage_procurement", procurement),
        "can_contribute": user.has_perm("procurement.contribute_procurement", procurement),
        "transitions": _transitions_for(procurement, readiness, user),
    }


def _transitions_for(procurement: Procurement, readiness: Readiness, user) -> list:
    setattr(procurement, READINESS_SNAPSHOT, readiness)
    try:
        return list(procurement.get_available_user_state_transitions(user))
    finally:
        delattr(procurement, READINESS_SNAPSHOT)


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
        .select_related("region", "lead_municipality")
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


def municipalities_for_reporting(*, user) -> QuerySet[Municipality]:
    """Municipalities the user may report a need for: their own as SuksIT member, every
    municipality of a region whose SuksIT they coordinate (the rule of can_report_for)."""
    own = get_objects_for_user(
        user, act_as_codename("suksit_member"), klass=Municipality, accept_global_perms=False
    )
    regions = coordinated_bodies(user).values("region_id")
    return Municipality.objects.filter(Q(pk__in=own.values("pk")) | Q(region_id__in=regions)).select_related("region")


def initiatives_visible(*, user) -> QuerySet[InformationInitiative]:
    """Initiatives reported for information (seed 000 point 10), visible to everyone with a
    role in a municipality or body of the region; a superuser sees them all."""
    if not user.is_authenticated:
        return InformationInitiative.objects.none()
    initiatives = InformationInitiative.objects.select_related("region", "municipality", "reported_by")
    if user.is_superuser:
        return initiatives
    regions = Region.objects.filter(
        Q(municipalities__role_assignments__person=user) | Q(bodies__role_assignments__person=user)
    ).values("pk")
    return initiatives.filter(region__in=regions)
