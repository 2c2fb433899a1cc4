"""Who may see, contribute to and run each procurement, derived from role assignments and
participation and written as guardian object permissions."""
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from guardian.models import UserObjectPermission

from municipalities.models import Membership, RoleAssignment
from municipalities.permissions import Grant, grants_apply, permission_ids
from municipalities.roles import CONTRIBUTING_ROLES, COORDINATING_ROLES

from ..models import Participation, ParticipationStatus, Procurement

ACCESS_CODENAMES = ["view_procurement", "contribute_procurement", "manage_procurement"]


def _desired_grants(procurement: Procurement, assignments: list[RoleAssignment], participations: list[Participation]) -> set[Grant]:
    ct = ContentType.objects.get_for_model(Procurement).pk
    perms = permission_ids(Procurement, ACCESS_CODENAMES)
    involved = {p.municipality_id for p in participations}
    taking_part = {p.municipality_id for p in participations if p.status == ParticipationStatus.JOINED}
    pk = str(procurement.pk)
    grants: set[Grant] = set()
    for a in assignments:
        if a.body_id is not None and a.body.collaboration_id != procurement.collaboration_id:
            continue  # a role held in another collaboration's body
        codenames: list[str] = []
        if a.role in COORDINATING_ROLES:
            codenames = ACCESS_CODENAMES
        elif a.municipality_id is None:
            # Members of a body of the collaboration (shared IT, the archive network, the
            # chief executives' committee ...) follow all of its procurements; those who write
            # requirements also contribute.
            codenames = ["view_procurement"] + (["contribute_procurement"] if a.role in CONTRIBUTING_ROLES else [])
        elif a.municipality_id in involved:
            codenames = ["view_procurement"]
            if a.municipality_id in taking_part and a.role in CONTRIBUTING_ROLES:
                codenames.append("contribute_procurement")
        for codename in codenames:
            grants.add((a.person_id, ct, pk, perms[codename]))
    return grants


def procurement_access_sync(*, procurement: Procurement) -> None:
    procurement_access_sync_many(procurements=[procurement])


def procurement_access_sync_many(*, procurements: Iterable[Procurement]) -> None:
    procurements = list(procurements)
    if not procurements:
        return
    collaboration_ids = {p.collaboration_id for p in procurements}
    members = Membership.objects.filter(collaboration_id__in=collaboration_ids).values("municipality_id")
    assignments = list(
        RoleAssignment.objects.filter(Q(municipality_id__in=members) | Q(body__collaboration_id__in=collaboration_ids))
        .filter(person__is_active=True)
        .select_related("body")
    )
    participations: dict[int, list[Participation]] = {p.pk: [] for p in procurements}
    for participation in Participation.objects.filter(procurement__in=procurements):
        participations[participation.procurement_id].append(participation)
    ct = ContentType.objects.get_for_model(Procurement)
    perms = permission_ids(Procurement, ACCESS_CODENAMES)
    for procurement in procurements:
        existing = UserObjectPermission.objects.filter(
            content_type=ct, object_pk=str(procurement.pk), permission_id__in=perms.values()
        )
        grants_apply(desired=_desired_grants(procurement, assignments, participations[procurement.pk]), existing=existing)


def procurement_access_sync_for_collaborations(*, collaboration_ids: Iterable[int]) -> None:
    procurement_access_sync_many(procurements=Procurement.objects.filter(collaboration_id__in=list(collaboration_ids)))
