"""The only writers of collaborations' people and roles. Every role change re-derives the
person's guardian object permissions and the access to the procurements of the collaboration."""
from collections.abc import Callable

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from guardian.models import UserObjectPermission

from audit.services import audit_record, record_language

from .models import Body, Collaboration, Membership, Municipality, Person, RoleAssignment
from .permissions import Grant, grants_apply, permission_ids
from .roles import ACT_AS_PERMISSIONS, COORDINATING_ROLES, Role, act_as_codename

ACT_AS_CODENAMES = [codename for codename, _ in ACT_AS_PERMISSIONS]


def _person_grants(person: Person) -> set[Grant]:
    municipality_ct = ContentType.objects.get_for_model(Municipality)
    body_ct = ContentType.objects.get_for_model(Body)
    collaboration_ct = ContentType.objects.get_for_model(Collaboration)
    municipality_perms = permission_ids(Municipality, [*ACT_AS_CODENAMES, "act_for_municipality"])
    body_perms = permission_ids(Body, [*ACT_AS_CODENAMES, "act_for_body"])
    collaboration_perms = permission_ids(Collaboration, ["coordinate_collaboration"])
    grants: set[Grant] = set()
    if not person.is_active:
        return grants
    for assignment in person.role_assignments.select_related("body"):
        codename = act_as_codename(assignment.role)
        if assignment.municipality_id:
            pk = str(assignment.municipality_id)
            grants.add((person.pk, municipality_ct.pk, pk, municipality_perms[codename]))
            grants.add((person.pk, municipality_ct.pk, pk, municipality_perms["act_for_municipality"]))
        if assignment.body_id:
            pk = str(assignment.body_id)
            grants.add((person.pk, body_ct.pk, pk, body_perms[codename]))
            grants.add((person.pk, body_ct.pk, pk, body_perms["act_for_body"]))
            if assignment.role in COORDINATING_ROLES:
                grants.add(
                    (person.pk, collaboration_ct.pk, str(assignment.body.collaboration_id), collaboration_perms["coordinate_collaboration"])
                )
    return grants


# Called with the ids of the collaborations whose people changed and the person whose roles
# changed (what else that person's grants reach is for the subscriber to find); procurement
# subscribes in its AppConfig.ready(), so this app never imports the apps built on it.
_role_change_subscribers: list[Callable[..., None]] = []


def role_changes_subscribe(callback: Callable[..., None]) -> None:
    if callback not in _role_change_subscribers:
        _role_change_subscribers.append(callback)


def collaborations_of_assignments(assignments) -> set[int]:
    """The collaborations a person's roles reach: those of their bodies, and every
    collaboration their municipalities are (or were) members of."""
    collaborations = {a.body.collaboration_id for a in assignments if a.body_id}
    municipality_ids = {a.municipality_id for a in assignments if a.municipality_id}
    if municipality_ids:
        collaborations |= set(
            Membership.objects.filter(municipality_id__in=municipality_ids).values_list("collaboration_id", flat=True)
        )
    return collaborations


def person_permissions_sync(*, person: Person) -> None:
    """Re-derive PERSON's permissions on municipalities, bodies and collaborations from their
    role assignments, then tell the subscribers which collaborations' access may have changed."""
    scoped_types = ContentType.objects.get_for_models(Municipality, Body, Collaboration).values()
    existing = UserObjectPermission.objects.filter(user=person, content_type__in=list(scoped_types))
    before = _collaborations_of(person, existing)
    with transaction.atomic():
        grants_apply(desired=_person_grants(person), existing=existing)
        after = collaborations_of_assignments(list(person.role_assignments.select_related("body")))
        for callback in _role_change_subscribers:
            callback(collaboration_ids=before | after, person=person)


def _collaborations_of(person: Person, existing) -> set[int]:
    """Collaborations the person had access to before a change, so revoking a role also
    removes the procurement access it gave."""
    collaboration_ct = ContentType.objects.get_for_model(Collaboration)
    municipality_ct = ContentType.objects.get_for_model(Municipality)
    body_ct = ContentType.objects.get_for_model(Body)
    collaborations = {int(pk) for pk in existing.filter(content_type=collaboration_ct).values_list("object_pk", flat=True)}
    municipality_pks = [int(pk) for pk in existing.filter(content_type=municipality_ct).values_list("object_pk", flat=True)]
    body_pks = [int(pk) for pk in existing.filter(content_type=body_ct).values_list("object_pk", flat=True)]
    collaborations |= set(
        Membership.objects.filter(municipality_id__in=municipality_pks).values_list("collaboration_id", flat=True)
    )
    collaborations |= set(Body.objects.filter(pk__in=body_pks).values_list("collaboration_id", flat=True))
    return collaborations


@transaction.atomic
def role_assign(
    *, actor, person: Person, role: str, municipality: Municipality | None = None, body: Body | None = None
) -> RoleAssignment:
    if role not in Role.values:
        raise ValidationError({"role": _("Ukjent rolle.")})
    assignment = RoleAssignment(person=person, role=role, municipality=municipality, body=body)
    assignment.full_clean(validate_unique=False, validate_constraints=False)  # an existing row is fine
    assignment, created = RoleAssignment.objects.get_or_create(
        person=person, role=role, municipality=municipality, body=body
    )
    if created:
        with record_language():
            role_label = assignment.get_role_display()
        audit_record(
            actor=actor,
            action="role.assigned",
            municipality=municipality,
            message=f"{person} fikk rollen {role_label} ({municipality or body}).",
            data={"person": person.pk, "role": role, "body": body.pk if body else None},
        )
    person_permissions_sync(person=person)
    return assignment


@transaction.atomic
def role_revoke(*, actor, assignment: RoleAssignment) -> None:
    person = assignment.person
    with record_language():
        role_label = assignment.get_role_display()
    audit_record(
        actor=actor,
        action="role.revoked",
        municipality=assignment.municipality,
        message=f"{person} mistet rollen {role_label} ({assignment.municipality or assignment.body}).",
        data={"person": person.pk, "role": assignment.role},
    )
    assignment.delete()
    person_permissions_sync(person=person)
