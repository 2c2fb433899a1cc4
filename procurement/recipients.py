"""Who is told about what. Reads role assignments; used by the notification tasks."""
from django.db.models import Q

from municipalities.models import Person, RoleAssignment
from municipalities.roles import ANSWERING_ROLES, COORDINATING_ROLES

from .models import Procurement
from .readiness import readiness_for


def coordinators(procurement: Procurement):
    collaboration = procurement.collaboration_id
    # Coordinating roles are held in a body of the collaboration (RoleAssignment.clean).
    return Person.objects.filter(
        role_assignments__body__collaboration_id=collaboration,
        role_assignments__role__in=COORDINATING_ROLES,
        is_active=True,
    ).distinct()


def answerers(municipality_ids: list[int]):
    return Person.objects.filter(
        role_assignments__municipality_id__in=municipality_ids, role_assignments__role__in=ANSWERING_ROLES, is_active=True
    ).distinct()


def pending_signers(procurement: Procurement):
    """People who could give a signature the open gate step is still waiting for."""
    query = Q(pk__in=[])
    for step, slot in readiness_for(procurement, whole_process=False).missing_signatures:
        where = Q(role_assignments__municipality_id=slot.municipality_id) if slot.municipality_id else Q(
            role_assignments__body_id=slot.body_id
        )
        query |= where & Q(role_assignments__role=step.step.role)
    return Person.objects.filter(query, is_active=True).distinct()


def recipients_for(event: str, procurement: Procurement, municipality_ids: list[int]):
    if event == "invitations_sent":
        return answerers(municipality_ids)
    if event in {"signoff_recorded", "signatures_voided", "phase_changed"}:
        return (coordinators(procurement) | pending_signers(procurement)).distinct()
    return coordinators(procurement)


# Set-based variants for the reminder sweep: one query for any number of collaborations or
# municipalities, people with an e-mail address only.


def coordinators_by_collaboration(collaboration_ids, *, roles=COORDINATING_ROLES) -> dict[int, set[int]]:
    """{collaboration id: the active people with an e-mail address holding one of ROLES in
    one of its bodies}; by default those who run its procurements."""
    found: dict[int, set[int]] = {}
    rows = RoleAssignment.objects.filter(
        body__collaboration_id__in=list(collaboration_ids),
        role__in=roles,
        person__is_active=True,
    ).exclude(person__email="")
    for collaboration_id, person_id in rows.values_list("body__collaboration_id", "person_id"):
        found.setdefault(collaboration_id, set()).add(person_id)
    return found


def answerers_by_municipality(municipality_ids) -> dict[int, set[int]]:
    found: dict[int, set[int]] = {}
    rows = RoleAssignment.objects.filter(
        municipality_id__in=list(municipality_ids), role__in=ANSWERING_ROLES, person__is_active=True
    ).exclude(person__email="")
    for municipality_id, person_id in rows.values_list("municipality_id", "person_id"):
        found.setdefault(municipality_id, set()).add(person_id)
    return found


def coordinators_by_deadline(*, deadlines, roles=COORDINATING_ROLES) -> dict[int, set[int]]:
    """The recipients of a registered deadline rule (procurement.extensions) whose deadlines
    the collaboration's people holding ROLES watch (by default the coordinator and regional
    buyer): DEADLINES is [(id, rule_inputs), ...]; two queries for any number."""
    from .models import Deadline

    rows = list(Deadline.objects.filter(pk__in=[pk for pk, _inputs in deadlines]).values_list("pk", "procurement__collaboration_id"))
    coordinators = coordinators_by_collaboration({collaboration_id for _pk, collaboration_id in rows}, roles=roles)
    return {pk: coordinators.get(collaboration_id, set()) for pk, collaboration_id in rows}
