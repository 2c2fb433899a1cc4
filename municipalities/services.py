"""The only writers of regions' people and roles. Every role change re-derives the
person's guardian object permissions and the access to the procurements of the region."""
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from guardian.models import UserObjectPermission

from audit.services import audit_record, record_language

from .models import Body, Municipality, Person, Region, RoleAssignment
from .permissions import Grant, grants_apply, permission_ids
from .roles import ACT_AS_PERMISSIONS, REGION_COORDINATING_ROLES, Role, act_as_codename

ACT_AS_CODENAMES = [codename for codename, _ in ACT_AS_PERMISSIONS]


def _person_grants(person: Person) -> set[Grant]:
    municipality_ct = ContentType.objects.get_for_model(Municipality)
    body_ct = ContentType.objects.get_for_model(Body)
    region_ct = ContentType.objects.get_for_model(Region)
    municipality_perms = permission_ids(Municipality, [*ACT_AS_CODENAMES, "act_for_municipality"])
    body_perms = permission_ids(Body, [*ACT_AS_CODENAMES, "act_for_body"])
    region_perms = permission_ids(Region, ["coordinate_region"])
    grants: set[Grant] = set()
    if not person.is_active:
        return grants
    for assignment in person.role_assignments.select_related("municipality", "body"):
        codename = act_as_codename(assignment.role)
        if assignment.municipality_id:
            pk = str(assignment.municipality_id)
            grants.add((person.pk, municipality_ct.pk, pk, municipality_perms[codename]))
            grants.add((person.pk, municipality_ct.pk, pk, municipality_perms["act_for_municipality"]))
        if assignment.body_id:
            pk = str(assignment.body_id)
            grants.add((person.pk, body_ct.pk, pk, body_perms[codename]))
            grants.add((person.pk, body_ct.pk, pk, body_perms["act_for_body"]))
        if assignment.role in REGION_COORDINATING_ROLES:
            grants.add((person.pk, region_ct.pk, str(assignment.region.pk), region_perms["coordinate_region"]))
    return grants


def person_permissions_sync(*, person: Person) -> None:
    """Re-derive PERSON's permissions on municipalities, bodies and regions from their role
    assignments, then the access lists of every procurement in the regions involved."""
    from procurement.services.access import procurement_access_sync_for_regions

    scoped_types = ContentType.objects.get_for_models(Municipality, Body, Region).values()
    existing = UserObjectPermission.objects.filter(user=person, content_type__in=list(scoped_types))
    before_regions = _regions_of(person, existing)
    with transaction.atomic():
        grants_apply(desired=_person_grants(person), existing=existing)
        regions = before_regions | {a.region.pk for a in person.role_assignments.select_related("municipality", "body")}
        procurement_access_sync_for_regions(region_ids=regions)


def _regions_of(person: Person, existing) -> set[int]:
    """Regions the person had access to before a change, so revoking a role also removes
    the procurement access it gave."""
    region_ct = ContentType.objects.get_for_model(Region)
    municipality_ct = ContentType.objects.get_for_model(Municipality)
    body_ct = ContentType.objects.get_for_model(Body)
    regions = {int(pk) for pk in existing.filter(content_type=region_ct).values_list("object_pk", flat=True)}
    municipality_pks = existing.filter(content_type=municipality_ct).values_list("object_pk", flat=True)
    body_pks = existing.filter(content_type=body_ct).values_list("object_pk", flat=True)
    regions |= set(Municipality.objects.filter(pk__in=[int(p) for p in municipality_pks]).values_list("region_id", flat=True))
    regions |= set(Body.objects.filter(pk__in=[int(p) for p in body_pks]).values_list("region_id", flat=True))
    return regions


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


def login_failure_record(*, username: str, ip_address: str | None, path: str, locked_out: bool) -> None:
    """A failed login, for the audit log. Nobody is logged in, so there is no actor; the
    username is what was typed (it may name nobody) and the password is never recorded."""
    username = username[:150]
    where = ip_address or "ukjent adresse"
    message = f"Mislykket innlogging med brukernavnet «{username}» fra {where}."
    if locked_out:
        message += " Innloggingen er sperret for en periode etter for mange forsøk."
    audit_record(
        actor=None,
        action="login.failed",
        message=message,
        data={"username": username, "ip_address": ip_address, "path": path[:200], "locked_out": locked_out},
    )
