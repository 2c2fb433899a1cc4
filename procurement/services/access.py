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


def _desired_grants(
    procurement: Procurement, assignments: list[RoleAssignment], participations: list[Participation], members: set[int]
) -> set[Grant]:
    """MEMBERS: the municipalities that are or were members of the procurement's collaboration."""
    ct = ContentType.objects.get_for_model(Procurement).pk
    perms = permission_ids(Procurement, ACCESS_CODENAMES)
    involved = {p.municipality_id for p in participations}
    taking_part = {p.municipality_id for p in participations if p.status == ParticipationStatus.JOINED}
    pk = str(procurement.pk)
    grants: set[Grant] = set()
    for a in assignments:
        if a.body_id is not None and a.body.collaboration_id != procurement.collaboration_id:
            continue  # a role held in another collaboration's body
        if a.body_id is None and a.municipality_id not in members:
            continue  # a municipality that was never in this collaboration (the batch spans several)
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
    members: dict[int, set[int]] = {pk: set() for pk in collaboration_ids}
    for collaboration_id, municipality_id in Membership.objects.filter(collaboration_id__in=collaboration_ids).values_list(
        "collaboration_id", "municipality_id"
    ):
        members[collaboration_id].add(municipality_id)
    member_ids = set().union(*members.values())
    assignments = list(
        RoleAssignment.objects.filter(Q(municipality_id__in=member_ids) | Q(body__collaboration_id__in=collaboration_ids))
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
        desired = _desired_grants(procurement, assignments, participations[procurement.pk], members[procurement.collaboration_id])
        grants_apply(desired=desired, existing=existing)


def procurement_access_sync_for_collaborations(*, collaboration_ids: Iterable[int], person=None) -> None:
    """Re-derive the access to every procurement of COLLABORATION_IDS; with PERSON (a role
    change), also of the collaborations whose procurements PERSON can reach now: once their
    municipality's membership is gone nothing else leads there, and the grant would stay."""
    ids = set(collaboration_ids)
    if person is not None:
        ct = ContentType.objects.get_for_model(Procurement)
        granted = UserObjectPermission.objects.filter(user=person, content_type=ct).values_list("object_pk", flat=True)
        ids |= set(Procurement.objects.filter(pk__in=[int(pk) for pk in granted]).values_list("collaboration_id", flat=True))
    procurement_access_sync_many(procurements=Procurement.objects.filter(collaboration_id__in=list(ids)))
