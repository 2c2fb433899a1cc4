"""The only writers of collaborations, their members and bodies, municipalities, people and
roles (the screens and the Django admin both come here). Every role change re-derives the
person's guardian object permissions; every change of roles, memberships or bodies tells the
subscribers (procurement access) which collaborations it touched."""
from collections.abc import Callable

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from guardian.models import UserObjectPermission

from audit.actions import Action
from audit.changes import changes_data, changes_sentence, editable_fields, field_changes
from audit.services import audit_record, record_language

from .models import (
    Body,
    Collaboration,
    Membership,
    Municipality,
    Person,
    RoleAssignment,
)
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


def _collaborations_changed(collaboration_ids: set[int], *, person: Person | None = None) -> None:
    """Tell the subscribers; with PERSON (a role change) they also re-check where that person
    could reach before, which a lost membership no longer leads to."""
    collaboration_ids = {pk for pk in collaboration_ids if pk is not None}
    if not collaboration_ids and person is None:
        return
    for callback in _role_change_subscribers:
        callback(collaboration_ids=collaboration_ids, person=person)


# Called with (collaboration id, body kind); each returns sentences saying what still needs a
# body of that kind there (procurement: the gates of open procurements). Registered in the
# AppConfig.ready() of the apps built on this one, like the subscribers above.
_body_kind_uses: list[Callable[..., list[str]]] = []


def body_kind_uses_register(check: Callable[..., list[str]]) -> None:
    if check not in _body_kind_uses:
        _body_kind_uses.append(check)


def _body_kind_needed(collaboration_id: int, kind: str) -> list[str]:
    return [reason for check in _body_kind_uses for reason in check(collaboration_id=collaboration_id, kind=kind)]


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
        _collaborations_changed(before | after, person=person)


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


def _require(actor, permission: str) -> None:
    """ACTOR None is the system itself (migrations, seed_demo, tests' fixtures)."""
    if actor is not None and not actor.has_perm(permission):
        raise PermissionDenied(_("Du har ikke tilgang til å gjøre denne endringen."))


def _via_suffix(via: str) -> str:
    return " (endret i administrasjonen)" if via == "admin" else ""


def _where(assignment: RoleAssignment) -> str:
    return str(assignment.municipality or assignment.body)


def _assignment_audit(actor, assignment: RoleAssignment, action: Action, *, via: str = "", before=None) -> None:
    with record_language():
        role_label = assignment.get_role_display()
        previous = f" (før: {before.get_role_display()}, {_where(before)}, {before.person})" if before is not None else ""
    person = assignment.person
    sentence = {
        Action.ROLE_ASSIGNED: f"{person} fikk rollen {role_label} ({_where(assignment)}){_via_suffix(via)}.",
        Action.ROLE_REVOKED: f"{person} mistet rollen {role_label} ({_where(assignment)}){_via_suffix(via)}.",
        Action.ROLE_CHANGED: f"{person} har nå rollen {role_label} ({_where(assignment)}){previous}{_via_suffix(via)}.",
    }[action]
    data = {"person": person.pk, "role": assignment.role, "body": assignment.body_id, "municipality": assignment.municipality_id}
    if before is not None:
        data["before"] = {"person": before.person_id, "role": before.role, "body": before.body_id, "municipality": before.municipality_id}
    if via:
        data["via"] = via
    audit_record(actor=actor, action=action, municipality=assignment.municipality, message=sentence, data=data)


@transaction.atomic
def role_assign(
    *, actor, person: Person, role: str, municipality: Municipality | None = None, body: Body | None = None, via: str = ""
) -> RoleAssignment:
    """PERSON holds ROLE; an identical assignment that exists already is kept as it is.
    Callers decide who may give roles (the admin, seed_demo, a coordinator's screen)."""
    if role not in Role.values:
        raise ValidationError({"role": _("Ukjent rolle.")})
    assignment = RoleAssignment(person=person, role=role, municipality=municipality, body=body)
    assignment.full_clean(validate_unique=False, validate_constraints=False)  # an existing row is fine
    assignment, created = RoleAssignment.objects.get_or_create(
        person=person, role=role, municipality=municipality, body=body
    )
    if created:
        _assignment_audit(actor, assignment, Action.ROLE_ASSIGNED, via=via)
    person_permissions_sync(person=person)
    return assignment


@transaction.atomic
def role_assignment_save(*, actor, assignment: RoleAssignment, via: str = "") -> RoleAssignment:
    """A new assignment, or an existing one changed in place (another role, municipality,
    body, or even person: then the first person loses what it gave them)."""
    _require(actor, "municipalities.change_roleassignment" if assignment.pk else "municipalities.add_roleassignment")
    before = (
        RoleAssignment.objects.select_related("person", "municipality", "body").filter(pk=assignment.pk).first()
        if assignment.pk
        else None
    )
    assignment.full_clean()
    if before is not None and (before.person_id, before.role, before.municipality_id, before.body_id) == (
        assignment.person_id,
        assignment.role,
        assignment.municipality_id,
        assignment.body_id,
    ):
        return assignment
    assignment.save()
    _assignment_audit(actor, assignment, Action.ROLE_CHANGED if before else Action.ROLE_ASSIGNED, via=via, before=before)
    if before is not None and before.person_id != assignment.person_id:
        person_permissions_sync(person=before.person)
    person_permissions_sync(person=assignment.person)
    return assignment


@transaction.atomic
def role_revoke(*, actor, assignment: RoleAssignment, via: str = "") -> None:
    person = assignment.person
    _assignment_audit(actor, assignment, Action.ROLE_REVOKED, via=via)
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
        action=Action.LOGIN_FAILED,
        message=message,
        data={"username": username, "ip_address": ip_address, "path": path[:200], "locked_out": locked_out},
    )


# --------------------------------------------------------------------------------------
# Collaborations, municipalities, memberships, bodies, people
# --------------------------------------------------------------------------------------


def _saved_sentence(thing: str, before, instance, fields: list[str], *, secret=()) -> tuple[str, dict] | None:
    """The audit message and data for saving INSTANCE (BEFORE is the stored row, None when
    it is new); None when nothing changed."""
    if before is None:
        return f"{thing} opprettet.", {"created": True}
    changes = field_changes(before, instance, fields, secret=secret)
    if not changes:
        return None
    return f"{thing} endret: {changes_sentence(changes)}.", changes_data(changes)


def _stored(instance):
    return type(instance).objects.filter(pk=instance.pk).first() if instance.pk else None


COLLABORATION_FIELDS = editable_fields(Collaboration)


@transaction.atomic
def collaboration_save(*, actor, collaboration: Collaboration) -> Collaboration:
    _require(actor, "municipalities.change_collaboration" if collaboration.pk else "municipalities.add_collaboration")
    before = _stored(collaboration)
    collaboration.full_clean()
    if (
        before is not None
        and before.country != collaboration.country
        and Membership.objects.filter(collaboration=collaboration).exclude(municipality__country=collaboration.country).exists()
    ):
        raise ValidationError({"country": _("Samarbeidet har medlemmer i et annet land. Avslutt medlemskapene først.")})
    described = _saved_sentence(f"Samarbeidet «{collaboration.name}»", before, collaboration, COLLABORATION_FIELDS)
    if described is None:
        return collaboration
    collaboration.save()
    message, data = described
    audit_record(actor=actor, action=Action.COLLABORATION_SAVED, message=message, data={"collaboration": collaboration.pk, **data})
    return collaboration


MUNICIPALITY_FIELDS = editable_fields(Municipality)


@transaction.atomic
def municipality_save(*, actor, municipality: Municipality) -> Municipality:
    _require(actor, "municipalities.change_municipality" if municipality.pk else "municipalities.add_municipality")
    before = _stored(municipality)
    municipality.full_clean()
    described = _saved_sentence(f"Kommunen «{municipality.name}»", before, municipality, MUNICIPALITY_FIELDS)
    if described is None:
        return municipality
    municipality.save()
    message, data = described
    audit_record(
        actor=actor, action=Action.MUNICIPALITY_SAVED, municipality=municipality, message=message,
        data={"municipality": municipality.pk, **data},
    )
    return municipality


MEMBERSHIP_FIELDS = editable_fields(Membership)


@transaction.atomic
def membership_save(*, actor, membership: Membership) -> Membership:
    """Which municipalities' people see a collaboration's procurements follows its
    memberships, so the access of the collaborations before and after is derived again."""
    _require(actor, "municipalities.change_membership" if membership.pk else "municipalities.add_membership")
    before = _stored(membership)
    membership.full_clean()
    described = _saved_sentence(f"Medlemskapet «{membership}»", before, membership, MEMBERSHIP_FIELDS)
    if described is None:
        return membership
    membership.save()
    message, data = described
    audit_record(
        actor=actor, action=Action.MEMBERSHIP_SAVED, municipality=membership.municipality, message=message,
        data={"membership": membership.pk, "collaboration": membership.collaboration_id, **data},
    )
    _collaborations_changed({membership.collaboration_id, before.collaboration_id if before else None})
    return membership


@transaction.atomic
def membership_delete(*, actor, membership: Membership) -> None:
    _require(actor, "municipalities.delete_membership")
    collaboration_id, municipality = membership.collaboration_id, membership.municipality
    message = f"Medlemskapet «{membership}» fra {membership.joined_on:%d.%m.%Y} slettet."
    data = {"membership": membership.pk, "collaboration": collaboration_id}
    membership.delete()
    audit_record(actor=actor, action=Action.MEMBERSHIP_DELETED, municipality=municipality, message=message, data=data)
    _collaborations_changed({collaboration_id})


BODY_FIELDS = editable_fields(Body)


def body_delete_problems(body: Body) -> list[str]:
    """Why BODY cannot be deleted: people hold roles in it (deleting it would take their
    roles without a trace), or open procurements' gates are decided by a body of its kind."""
    problems = []
    held = RoleAssignment.objects.filter(body=body).count()
    if held:
        problems.append(
            ngettext(
                "%(count)d rolletildeling hører til «%(body)s». Fjern den først.",
                "%(count)d rolletildelinger hører til «%(body)s». Fjern dem først.",
                held,
            )
            % {"count": held, "body": body}
        )
    return problems + _body_kind_needed(body.collaboration_id, body.kind)


@transaction.atomic
def body_save(*, actor, body: Body) -> Body:
    _require(actor, "municipalities.change_body" if body.pk else "municipalities.add_body")
    before = _stored(body)
    body.full_clean()
    if before is not None and before.collaboration_id != body.collaboration_id:
        raise ValidationError({"collaboration": _("Et organ kan ikke flyttes til et annet samarbeid. Opprett et nytt organ der.")})
    if before is not None and before.kind != body.kind:
        problems = _body_kind_needed(before.collaboration_id, before.kind)
        if problems:
            raise ValidationError({"kind": problems})
    described = _saved_sentence(f"Organet «{body.name}» i {body.collaboration}", before, body, BODY_FIELDS)
    if described is None:
        return body
    body.save()
    message, data = described
    audit_record(actor=actor, action=Action.BODY_SAVED, message=message, data={"body": body.pk, "collaboration": body.collaboration_id, **data})
    _collaborations_changed({body.collaboration_id})
    return body


@transaction.atomic
def body_delete(*, actor, body: Body) -> None:
    _require(actor, "municipalities.delete_body")
    problems = body_delete_problems(body)
    if problems:
        raise ValidationError(problems)
    collaboration_id = body.collaboration_id
    message = f"Organet «{body.name}» ({body.kind}) i {body.collaboration} slettet."
    data = {"body": body.pk, "kind": body.kind, "collaboration": collaboration_id}
    try:
        body.delete()
    except ProtectedError as error:
        raise ValidationError(_("«%(body)s» har signert i anskaffelser; signaturene er bevis og kan ikke slettes.") % {"body": body}) from error
    audit_record(actor=actor, action=Action.BODY_DELETED, message=message, data=data)
    _collaborations_changed({collaboration_id})


PERSON_FIELDS = ["username", "first_name", "last_name", "email", "is_active", "is_staff", "is_superuser", "password"]


@transaction.atomic
def person_save(*, actor, person: Person) -> Person:
    """A new login or a changed one. A password (set on PERSON before the call) is named in
    the log as changed, never shown. Deactivating someone takes their grants at once."""
    _require(actor, "municipalities.change_person" if person.pk else "municipalities.add_person")
    before = _stored(person)
    person.full_clean(exclude=["password", "last_login"])
    if before is None:
        message = f"Personen «{person}» ({person.username}) opprettet" + (
            "; passord satt." if person.has_usable_password() else "; uten passord."
        )
        data = {"created": True}
    else:
        described = _saved_sentence(f"Personen «{person}» ({person.username})", before, person, PERSON_FIELDS, secret={"password"})
        if described is None:
            return person
        message, data = described
    person.save()
    audit_record(actor=actor, action=Action.PERSON_SAVED, message=message, data={"person": person.pk, **data})
    person_permissions_sync(person=person)
    return person
