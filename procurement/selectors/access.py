"""Who sees which procurement and who may sign for which municipality or body: the two
questions every other selector starts with."""
from collections import defaultdict

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db.models import BigIntegerField, Q, QuerySet, Subquery
from django.db.models.functions import Cast
from guardian.models import UserObjectPermission

from municipalities.models import Body, Municipality, RoleAssignment

from ..models import Participation, ParticipationStatus, Procurement
from ..readiness import SlotStatus, StepStatus


def procurements_permitted(*, user, codename: str, among: QuerySet[Procurement] | None = None) -> QuerySet[Procurement]:
    """The procurements (of AMONG) on which USER holds the object permission CODENAME, as
    one subquery on the permissions the role assignments wrote. What guardian's
    get_objects_for_user answers here, without its queries for the content type, the
    permission and the user's groups on every call: permissions come from role
    assignments only (Django's groups are read-only in the admin), a superuser sees all."""
    among = Procurement.objects.all() if among is None else among
    if not user.is_authenticated:
        return among.none()
    if user.is_superuser:
        return among
    # The permission's id as a scalar subquery rather than a join on the codename: the
    # database then reads the user's grants of that one permission from guardian's
    # (permission, user) index instead of every grant the user holds.
    permission = Permission.objects.filter(content_type=ContentType.objects.get_for_model(Procurement), codename=codename)
    granted = (
        UserObjectPermission.objects.filter(user_id=user.pk, permission_id=Subquery(permission.values("pk")[:1]))
        .annotate(procurement_id=Cast("object_pk", BigIntegerField()))
        .values("procurement_id")
    )
    return among.filter(pk__in=granted)


def procurements_visible(*, user) -> QuerySet[Procurement]:
    return procurements_permitted(user=user, codename="view_procurement")


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
    rights = {(codename.removeprefix("act_as_"), kind_of[ct], int(pk)) for codename, ct, pk in rows}
    rights.add(("person", "p", user.pk))  # who records a body's decisions (slot.recorder_id)
    return rights


def slot_signable(rights: set, step: StepStatus, slot: SlotStatus) -> bool:
    if getattr(slot, "recorder_id", None) is not None:
        return ("person", "p", slot.recorder_id) in rights
    if slot.municipality_id is not None:
        return (step.step.role, "m", slot.municipality_id) in rights
    return (step.step.role, "b", slot.body_id) in rights


def roles_in_procurement(*, user, procurement: Procurement) -> set[str]:
    """The roles USER holds in PROCUREMENT: roles in a body of its collaboration, and roles
    for a municipality that takes part (held in no body, or in one of this collaboration).
    What a restricted document and a gate's document are judged by. One query."""
    if not user.is_authenticated:
        return set()
    return roles_by_person(procurement=procurement, person_ids=[user.pk]).get(user.pk, set())


def roles_by_person(*, procurement: Procurement, person_ids) -> dict[int, set[str]]:
    """roles_in_procurement for many people: {person id: roles}, one query."""
    joined = procurement.participations.filter(status=ParticipationStatus.JOINED).values("municipality_id")
    in_collaboration = Q(body__isnull=True) | Q(body__collaboration_id=procurement.collaboration_id)
    rows = RoleAssignment.objects.filter(person_id__in=list(person_ids)).filter(
        Q(municipality__isnull=True, body__collaboration_id=procurement.collaboration_id)
        | (Q(municipality_id__in=joined) & in_collaboration)
    )
    roles: dict[int, set[str]] = {}
    for person_id, role in rows.values_list("person_id", "role"):
        roles.setdefault(person_id, set()).add(role)
    return roles


def roles_by_procurement(*, user, procurements) -> dict[int, set[str]]:
    """roles_in_procurement for many procurements at once: {procurement id: roles}, two queries."""
    assignments = list(RoleAssignment.objects.filter(person=user).values_list("role", "municipality_id", "body__collaboration_id"))
    if not assignments:
        return {}
    municipalities = {m for _r, m, _c in assignments if m is not None}
    joined: dict[int, set[int]] = defaultdict(set)
    if municipalities:
        for procurement_id, municipality_id in Participation.objects.filter(
            procurement__in=[p.pk for p in procurements], municipality_id__in=municipalities, status=ParticipationStatus.JOINED
        ).values_list("procurement_id", "municipality_id"):
            joined[procurement_id].add(municipality_id)
    roles: dict[int, set[str]] = defaultdict(set)
    for procurement in procurements:
        for role, municipality_id, collaboration_id in assignments:
            in_collaboration = collaboration_id is None or collaboration_id == procurement.collaboration_id
            if municipality_id is None:
                if collaboration_id == procurement.collaboration_id:
                    roles[procurement.pk].add(role)
            elif in_collaboration and municipality_id in joined[procurement.pk]:
                roles[procurement.pk].add(role)
    return roles
