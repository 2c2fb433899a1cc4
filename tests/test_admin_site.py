"""The Django admin: one audited write path. Every change the admin can make goes through a
service and leaves exactly one audit entry naming the change; what changes only in the app
(participations, deadlines, the phase) and what is evidence is read-only; role and
membership changes reach guardian's object permissions and the procurements' access."""
import ast
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django import forms
from django.urls import reverse

from audit.actions import Action
from audit.models import AuditEntry
from contracts.models import StandstillMinimum
from municipalities.models import (
    Body,
    Collaboration,
    Membership,
    Municipality,
    Person,
    RoleAssignment,
)
from municipalities.roles import Role
from municipalities.services import role_revoke
from procurement.models import Participation, ParticipationStatus, Procurement
from tests.factories import BodyFactory, norwegian_orgnr

pytestmark = pytest.mark.django_db

ACT_AS_CHIEF = "municipalities.act_as_chief_executive"
ROOT = Path(__file__).resolve().parent.parent
SKIPPED_DIRS = {".venv", "node_modules", "var", ".git"}


# --------------------------------------------------------------------------------------
# Helpers: what an admin page posts back
# --------------------------------------------------------------------------------------


def _add_form(data: dict, form) -> None:
    for name, field in form.fields.items():
        value = form[name].value()
        key = form.add_prefix(name)
        if isinstance(field.widget, forms.CheckboxInput):
            if value:
                data[key] = "on"
        elif value is None:
            data[key] = ""
        elif isinstance(value, (list, tuple)):
            data[key] = [str(item) for item in value]
        else:
            data[key] = value


def form_data(response) -> dict:
    """What the admin change page in RESPONSE posts back when nothing is touched: the main
    form and every inline formset (management form and rows)."""
    data: dict = {}
    _add_form(data, response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        _add_form(data, inline.formset.management_form)
        for form in inline.formset.forms:
            _add_form(data, form)
    return data


def page_data(client, url: str) -> dict:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return form_data(response)


def inline_prefix(response, model) -> str:
    return next(i.formset.prefix for i in response.context["inline_admin_formsets"] if i.formset.model is model)


def admin_messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]] if response.context else []


def entries_after(last_pk: int):
    return list(AuditEntry.objects.filter(pk__gt=last_pk).order_by("pk"))


def last_entry_pk() -> int:
    return AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _fresh(person):
    # has_perm caches per instance; a fresh instance sees the new grants.
    return type(person).objects.get(pk=person.pk)


def _inline_management(prefix, total, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": total,
        f"{prefix}-INITIAL_FORMS": initial,
        f"{prefix}-MIN_NUM_FORMS": 0,
        f"{prefix}-MAX_NUM_FORMS": 1000,
    }


# --------------------------------------------------------------------------------------
# Roles (kept from before: guardian permissions follow the admin's changes)
# --------------------------------------------------------------------------------------


def test_assignment_added_and_deleted_in_admin_grants_and_removes_permission(admin_client, collaboration):
    municipality = collaboration.municipalities[0]
    person = collaboration.user_representative(municipality)
    assert not person.has_perm(ACT_AS_CHIEF, municipality)

    response = admin_client.post(
        reverse("admin:municipalities_roleassignment_add"),
        {"person": person.pk, "role": Role.CHIEF_EXECUTIVE, "municipality": municipality.pk, "body": ""},
    )
    assert response.status_code == 302
    assert _fresh(person).has_perm(ACT_AS_CHIEF, municipality)
    assert AuditEntry.objects.filter(action=Action.ROLE_ASSIGNED, data__person=person.pk, data__via="admin").count() == 1

    assignment = RoleAssignment.objects.get(person=person, role=Role.CHIEF_EXECUTIVE)
    response = admin_client.post(
        reverse("admin:municipalities_roleassignment_delete", args=[assignment.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not _fresh(person).has_perm(ACT_AS_CHIEF, municipality)
    assert AuditEntry.objects.filter(action=Action.ROLE_REVOKED, data__person=person.pk, data__via="admin").count() == 1


def test_moving_an_assignment_to_another_person_moves_the_permission(admin_client, collaboration):
    municipality = collaboration.municipalities[0]
    chief = collaboration.chief_executive(municipality)
    other = collaboration.user_representative(municipality)
    assignment = RoleAssignment.objects.get(person=chief, role=Role.CHIEF_EXECUTIVE)
    before = last_entry_pk()
    response = admin_client.post(
        reverse("admin:municipalities_roleassignment_change", args=[assignment.pk]),
        {"person": other.pk, "role": Role.CHIEF_EXECUTIVE, "municipality": municipality.pk, "body": ""},
    )
    assert response.status_code == 302
    assert _fresh(other).has_perm(ACT_AS_CHIEF, municipality)
    assert not _fresh(chief).has_perm(ACT_AS_CHIEF, municipality)
    [entry] = entries_after(before)
    assert entry.action == Action.ROLE_CHANGED
    assert str(chief) in entry.message and str(other) in entry.message


def test_new_person_with_inline_role_gets_the_permission(admin_client, collaboration):
    municipality = collaboration.municipalities[1]
    before = last_entry_pk()
    response = admin_client.post(
        reverse("admin:municipalities_person_add"),
        {
            "username": "ny.kommunedirektor",
            "password1": "Et-langt-passord-123",
            "password2": "Et-langt-passord-123",
            "usable_password": "true",
            **_inline_management("role_assignments", 1),
            "role_assignments-0-role": Role.CHIEF_EXECUTIVE,
            "role_assignments-0-municipality": municipality.pk,
            "role_assignments-0-body": "",
        },
    )
    assert response.status_code == 302
    person = Person.objects.get(username="ny.kommunedirektor")
    assert person.has_perm(ACT_AS_CHIEF, municipality)
    assert [entry.action for entry in entries_after(before)] == [Action.PERSON_SAVED, Action.ROLE_ASSIGNED]
    assert person.password not in " ".join(entry.message + str(entry.data) for entry in entries_after(before))


def test_duplicate_assignment_is_refused(admin_client, collaboration):
    municipality = collaboration.municipalities[0]
    person = collaboration.chief_executive(municipality)
    response = admin_client.post(
        reverse("admin:municipalities_roleassignment_add"),
        {"person": person.pk, "role": Role.CHIEF_EXECUTIVE, "municipality": municipality.pk, "body": ""},
    )
    assert response.status_code == 200
    assert RoleAssignment.objects.filter(person=person, role=Role.CHIEF_EXECUTIVE).count() == 1


def test_invalid_organisation_number_is_refused(admin_client, collaboration):
    response = admin_client.post(
        reverse("admin:municipalities_municipality_add"),
        {"country": "NO", "name": "Prøvekommune", "organisation_number": "123456789", "population": 100},
    )
    assert response.status_code == 200
    assert not Municipality.objects.filter(name="Prøvekommune").exists()


# --------------------------------------------------------------------------------------
# Every write path: one POST, one audit entry with the right action, the row changed
# --------------------------------------------------------------------------------------


@dataclass
class WritePath:
    name: str
    url: Callable  # (world, procurement) -> admin URL of the page
    edit: Callable  # (data, world, procurement, response) -> None: what the person changes
    action: Action
    changed: Callable  # (world, procurement) -> bool: the row shows the change
    says: str  # a piece of the audit message


def _collaboration_url(world, procurement):
    return reverse("admin:municipalities_collaboration_change", args=[world.collaboration.pk])


def _add_membership_inline(data, world, procurement, response):
    prefix = inline_prefix(response, Membership)
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    newcomer = Municipality.objects.create(name="Nykommune", organisation_number=norwegian_orgnr(900), population=1234)
    data[f"{prefix}-TOTAL_FORMS"] = index + 1
    data.update({f"{prefix}-{index}-municipality": newcomer.pk, f"{prefix}-{index}-joined_on": "2026-01-01"})


def _add_body_inline(data, world, procurement, response):
    prefix = inline_prefix(response, Body)
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = index + 1
    data.update({f"{prefix}-{index}-kind": "archive_network", f"{prefix}-{index}-name": "Arkivnettverket"})


WRITE_PATHS = [
    WritePath(
        "collaboration",
        _collaboration_url,
        lambda data, *_: data.update(name="Nytt navn på samarbeidet"),
        Action.COLLABORATION_SAVED,
        lambda world, _: Collaboration.objects.filter(name="Nytt navn på samarbeidet").exists(),
        "→ «Nytt navn på samarbeidet»",
    ),
    WritePath(
        "membership in the collaboration's inline",
        _collaboration_url,
        _add_membership_inline,
        Action.MEMBERSHIP_SAVED,
        lambda world, _: world.collaboration.memberships.filter(municipality__name="Nykommune").exists(),
        "Nykommune",
    ),
    WritePath(
        "body in the collaboration's inline",
        _collaboration_url,
        _add_body_inline,
        Action.BODY_SAVED,
        lambda world, _: world.collaboration.bodies.filter(kind="archive_network").exists(),
        "Arkivnettverket",
    ),
    WritePath(
        "municipality",
        lambda world, _: reverse("admin:municipalities_municipality_change", args=[world.municipalities[0].pk]),
        lambda data, *_: data.update(population=54321),
        Action.MUNICIPALITY_SAVED,
        lambda world, _: Municipality.objects.get(pk=world.municipalities[0].pk).population == 54321,
        "→ 54321",
    ),
    WritePath(
        "membership",
        lambda world, _: reverse(
            "admin:municipalities_membership_change",
            args=[Membership.objects.get(municipality=world.municipalities[2]).pk],
        ),
        lambda data, *_: data.update(agreement="Tilslutningsavtale 2026/14"),
        Action.MEMBERSHIP_SAVED,
        lambda world, _: Membership.objects.get(municipality=world.municipalities[2]).agreement == "Tilslutningsavtale 2026/14",
        "«Tilslutningsavtale 2026/14»",
    ),
    WritePath(
        "body",
        lambda world, _: reverse("admin:municipalities_body_change", args=[world.bodies["shared_it"].pk]),
        lambda data, *_: data.update(name="Felles IKT"),
        Action.BODY_SAVED,
        lambda world, _: Body.objects.get(pk=world.bodies["shared_it"].pk).name == "Felles IKT",
        "→ «Felles IKT»",
    ),
    WritePath(
        "person",
        lambda world, _: reverse("admin:municipalities_person_change", args=[world.coordinator.pk]),
        lambda data, *_: data.update(first_name="Kari", is_staff="on"),
        Action.PERSON_SAVED,
        lambda world, _: Person.objects.filter(pk=world.coordinator.pk, first_name="Kari", is_staff=True).exists(),
        "→ «Kari»",
    ),
    WritePath(
        "role in the person's inline",
        lambda world, _: reverse("admin:municipalities_person_change", args=[world.rmu_chief.pk]),
        lambda data, world, procurement, response: data.update(
            {f"{inline_prefix(response, RoleAssignment)}-0-body": world.bodies["shared_it"].pk}
        ),
        Action.ROLE_CHANGED,
        lambda world, _: RoleAssignment.objects.filter(person=world.rmu_chief, body=world.bodies["shared_it"]).exists(),
        "før:",
    ),
    WritePath(
        "procurement details",
        lambda world, procurement: reverse("admin:procurement_procurement_change", args=[procurement.pk]),
        lambda data, *_: data.update(title="Nytt fagsystem for pleie og omsorg", estimated_value="1500000"),
        Action.PROCUREMENT_CHANGED,
        lambda world, procurement: Procurement.objects.filter(
            pk=procurement.pk, title="Nytt fagsystem for pleie og omsorg", estimated_value=1500000
        ).exists(),
        "tittel: «Felles fagsystem for helse» → «Nytt fagsystem for pleie og omsorg»",
    ),
    WritePath(
        "standstill minimum",
        lambda world, _: reverse(
            "admin:contracts_standstillminimum_change",
            args=[StandstillMinimum.objects.filter(country="NO").order_by("pk").first().pk],
        ),
        lambda data, *_: data.update(verified="on", source="Forskrift om offentlige anskaffelser § 20-6"),
        Action.STANDSTILL_MINIMUM_SAVED,
        lambda world, _: StandstillMinimum.objects.filter(country="NO", verified=True, source__contains="§ 20-6").exists(),
        "→ ja",
    ),
]


@pytest.mark.parametrize("path", WRITE_PATHS, ids=lambda path: path.name)
def test_every_admin_write_goes_through_one_audited_service(admin_client, collaboration, make_procurement, path):
    procurement = make_procurement(collaboration)
    url = path.url(collaboration, procurement)
    response = admin_client.get(url)
    assert response.status_code == 200
    data = form_data(response)
    path.edit(data, collaboration, procurement, response)
    before = last_entry_pk()

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["errors"] if response.context else response
    [entry] = entries_after(before)
    assert entry.action == path.action
    assert path.says in entry.message
    assert path.changed(collaboration, procurement)


def test_posting_a_page_back_unchanged_writes_no_audit_entry(admin_client, collaboration, make_procurement):
    procurement = make_procurement(collaboration)
    before = last_entry_pk()
    for write in WRITE_PATHS:
        url = write.url(collaboration, procurement)
        assert admin_client.post(url, page_data(admin_client, url)).status_code == 302
    assert entries_after(before) == []


def test_password_change_is_audited_without_the_password(admin_client, collaboration):
    person = collaboration.coordinator
    before = last_entry_pk()
    response = admin_client.post(
        reverse("admin:auth_user_password_change", args=[person.pk]),
        {"password1": "Nytt-langt-passord-987", "password2": "Nytt-langt-passord-987"},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password("Nytt-langt-passord-987")
    [entry] = entries_after(before)
    assert entry.action == Action.PERSON_SAVED
    assert "passord endret" in entry.message
    written = entry.message + repr(entry.data)
    assert "Nytt-langt-passord-987" not in written and person.password not in written
    assert person.password.split("$")[-1] not in written


@pytest.mark.parametrize(
    ("delete", "action"),
    [("membership", Action.MEMBERSHIP_DELETED), ("body", Action.BODY_DELETED), ("roleassignment", Action.ROLE_REVOKED)],
)
def test_deletes_go_through_their_service(admin_client, collaboration, delete, action):
    municipality = collaboration.municipalities[2]
    row = {
        "membership": lambda: Membership.objects.get(municipality=municipality),
        "body": lambda: collaboration.bodies["shared_it"],
        "roleassignment": lambda: RoleAssignment.objects.get(person=collaboration.chief_executive(municipality)),
    }[delete]()
    before = last_entry_pk()
    response = admin_client.post(reverse(f"admin:municipalities_{delete}_delete", args=[row.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not type(row).objects.filter(pk=row.pk).exists()
    assert [entry.action for entry in entries_after(before)] == [action]


def test_a_membership_change_resyncs_the_access_to_the_collaborations_procurements(admin_client, collaboration, make_procurement):
    procurement = make_procurement(collaboration)
    leaving = collaboration.municipalities[2]
    representative = collaboration.representative(leaving)
    assert representative.has_perm("procurement.view_procurement", procurement)

    membership = Membership.objects.get(municipality=leaving, collaboration=collaboration.collaboration)
    response = admin_client.post(reverse("admin:municipalities_membership_delete", args=[membership.pk]), {"post": "yes"})

    assert response.status_code == 302
    assert not _fresh(representative).has_perm("procurement.view_procurement", procurement)


def test_a_body_people_hold_roles_in_is_not_deleted(admin_client, collaboration):
    body = collaboration.bodies["steering_group"]
    before = last_entry_pk()
    response = admin_client.post(reverse("admin:municipalities_body_delete", args=[body.pk]), {"post": "yes"}, follow=True)
    assert Body.objects.filter(pk=body.pk).exists()
    assert RoleAssignment.objects.filter(body=body).exists()
    assert any("rolletildeling" in message for message in admin_messages(response))
    assert entries_after(before) == []


def test_a_body_an_open_procurements_gate_needs_is_neither_deleted_nor_renamed(admin_client, collaboration, make_procurement):
    procurement = make_procurement(collaboration)
    body = collaboration.bodies["executive_committee"]
    role_revoke(actor=None, assignment=RoleAssignment.objects.get(body=body))
    before = last_entry_pk()

    response = admin_client.post(reverse("admin:municipalities_body_delete", args=[body.pk]), {"post": "yes"}, follow=True)
    assert Body.objects.filter(pk=body.pk).exists()
    assert any(procurement.title in message for message in admin_messages(response))

    url = reverse("admin:municipalities_body_change", args=[body.pk])
    data = page_data(admin_client, url)
    data["kind"] = "rmu"
    response = admin_client.post(url, data, follow=True)
    assert Body.objects.get(pk=body.pk).kind == "executive_committee"
    assert any(procurement.title in message for message in admin_messages(response))
    assert entries_after(before) == []


def test_deleting_a_needed_body_in_the_collaborations_inline_is_a_form_error(admin_client, collaboration):
    url = reverse("admin:municipalities_collaboration_change", args=[collaboration.collaboration.pk])
    response = admin_client.get(url)
    data = form_data(response)
    prefix = inline_prefix(response, Body)
    index = next(
        i for i in range(int(data[f"{prefix}-TOTAL_FORMS"])) if data[f"{prefix}-{i}-id"] == collaboration.bodies["steering_group"].pk
    )
    data[f"{prefix}-{index}-DELETE"] = "on"
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "rolletildeling" in str(response.context["errors"])
    assert Body.objects.filter(pk=collaboration.bodies["steering_group"].pk).exists()


def test_a_body_cannot_move_to_another_collaboration(admin_client, collaboration, make_collaboration):
    other = make_collaboration(1)
    body = BodyFactory(collaboration=collaboration.collaboration, kind="archive_network")
    url = reverse("admin:municipalities_body_change", args=[body.pk])
    data = page_data(admin_client, url)
    assert "collaboration" not in data  # read-only on the page
    admin_client.post(url, {**data, "collaboration": other.collaboration.pk})
    assert Body.objects.get(pk=body.pk).collaboration_id == collaboration.collaboration.pk


# --------------------------------------------------------------------------------------
# Read-only: what changes only in the app, and evidence
# --------------------------------------------------------------------------------------


def test_phase_is_read_only_and_procurements_are_not_added_in_admin(admin_client, procurement):
    response = admin_client.get(reverse("admin:procurement_procurement_change", args=[procurement.pk]))
    assert response.status_code == 200
    fields = set(response.context["adminform"].form.fields)
    assert fields == {"title", "description", "kind", "funding", "estimated_value"}
    assert admin_client.get(reverse("admin:procurement_procurement_add")).status_code == 403
    assert admin_client.get(reverse("admin:procurement_procurement_delete", args=[procurement.pk])).status_code == 403


def test_participations_in_the_procurement_page_are_not_written(admin_client, collaboration, make_procurement):
    procurement = make_procurement(collaboration)
    url = reverse("admin:procurement_procurement_change", args=[procurement.pk])
    response = admin_client.get(url)
    data = form_data(response)
    prefix = inline_prefix(response, Participation)
    # A tampered post: the read-only inline's rows as if they were editable.
    data.update({f"{prefix}-0-status": ParticipationStatus.DECLINED, f"{prefix}-0-decline_reason": "x", f"{prefix}-0-DELETE": "on"})
    before = last_entry_pk()
    assert admin_client.post(url, data).status_code == 302
    assert procurement.participations.filter(status=ParticipationStatus.JOINED).count() == 3
    assert entries_after(before) == []


@pytest.mark.parametrize(
    "value", ["Infinity", "NaN", "-1", "1e400", "9" * 40, "ti tusen"], ids=["inf", "nan", "negative", "exp", "huge", "words"]
)
def test_hostile_estimated_value_is_a_form_error(admin_client, procurement, value):
    url = reverse("admin:procurement_procurement_change", args=[procurement.pk])
    data = page_data(admin_client, url)
    before = last_entry_pk()
    response = admin_client.post(url, {**data, "estimated_value": value})
    assert response.status_code == 200
    assert "estimated_value" in response.context["adminform"].form.errors
    assert entries_after(before) == []


READ_ONLY = [
    "procurement.participation",
    "procurement.deadline",
    "procurement.informationinitiative",
    "procurement.signoff",
    "procurement.deliverableversion",
    "procurement.phasechange",
    "procurement.processtemplate",
    "contracts.awardnotice",
    "contracts.complaint",
    "tendering.specification",
    "audit.auditentry",
]


@pytest.mark.parametrize("model", READ_ONLY)
def test_read_only_models_are_shown_but_not_added(admin_client, model):
    app, name = model.split(".")
    assert admin_client.get(reverse(f"admin:{app}_{name}_add")).status_code == 403
    assert admin_client.get(reverse(f"admin:{app}_{name}_changelist")).status_code == 200


@pytest.mark.parametrize("model", ["procurement.participation", "procurement.deadline", "audit.auditentry"])
def test_read_only_rows_refuse_a_post(admin_client, procurement, model):
    app, name = model.split(".")
    row = {
        "procurement.participation": lambda: procurement.participations.first(),
        "procurement.deadline": lambda: procurement.deadlines.first(),
        "audit.auditentry": lambda: AuditEntry.objects.filter(procurement=procurement).first(),
    }[model]()
    url = reverse(f"admin:{app}_{name}_change", args=[row.pk])
    assert admin_client.get(url).status_code == 200
    assert admin_client.post(url, {}).status_code == 403
    assert admin_client.post(reverse(f"admin:{app}_{name}_delete", args=[row.pk]), {"post": "yes"}).status_code == 403
    assert type(row).objects.filter(pk=row.pk).exists()


def test_people_collaborations_and_municipalities_are_not_deleted_in_admin(admin_client, collaboration):
    for name, pk in [
        ("person", collaboration.coordinator.pk),
        ("collaboration", collaboration.collaboration.pk),
        ("municipality", collaboration.municipalities[0].pk),
    ]:
        assert admin_client.post(reverse(f"admin:municipalities_{name}_delete", args=[pk]), {"post": "yes"}).status_code == 403


def test_standstill_minimum_shows_whether_it_is_verified_and_is_never_deleted(admin_client):
    response = admin_client.get(reverse("admin:contracts_standstillminimum_changelist"))
    assert "verified" in response.context["cl"].list_display
    minimum = StandstillMinimum.objects.first()
    assert admin_client.post(reverse("admin:contracts_standstillminimum_delete", args=[minimum.pk]), {"post": "yes"}).status_code == 403


def test_standstill_minimum_ending_before_it_starts_is_refused(admin_client):
    minimum = StandstillMinimum.objects.first()
    url = reverse("admin:contracts_standstillminimum_change", args=[minimum.pk])
    data = page_data(admin_client, url)
    before = last_entry_pk()
    response = admin_client.post(url, {**data, "valid_to": "1999-01-01"}, follow=True)
    assert StandstillMinimum.objects.get(pk=minimum.pk).valid_to is None
    assert any("Sluttdatoen" in message for message in admin_messages(response))
    assert entries_after(before) == []


# --------------------------------------------------------------------------------------
# The source: no audit past the services, every action a named constant
# --------------------------------------------------------------------------------------


def _project_files(pattern: str) -> list[Path]:
    return [path for path in ROOT.rglob(pattern) if not SKIPPED_DIRS & set(path.relative_to(ROOT).parts)]


def test_no_admin_module_writes_the_audit_log_itself():
    admins = _project_files("admin.py")
    assert {path.parent.name for path in admins} >= {"procurement", "municipalities", "contracts", "audit"}
    offenders = [str(path.relative_to(ROOT)) for path in admins if "audit_record(" in path.read_text()]
    assert offenders == []


def _action_problems(path: Path, root: Path = ROOT) -> list[str]:
    problems = []
    for node in ast.walk(ast.parse(path.read_text())):
        if not isinstance(node, ast.Call):
            continue
        values = [keyword.value for keyword in node.keywords if keyword.arg == "action"]
        if getattr(node.func, "id", None) == "refusals_audited" and node.args:
            values.append(node.args[0])
        for value in values:
            where = f"{path.relative_to(root)}:{value.lineno}"
            if isinstance(value, (ast.Constant, ast.JoinedStr, ast.BinOp)):
                problems.append(f"{where}: a literal action")
            elif isinstance(value, ast.Attribute) and not (
                isinstance(value.value, ast.Name) and value.value.id == "Action" and value.attr in Action.__members__
            ):
                problems.append(f"{where}: {ast.unparse(value)} is not an Action")
            elif isinstance(value, ast.IfExp):
                for branch in (value.body, value.orelse):
                    if not (isinstance(branch, ast.Attribute) and getattr(branch.value, "id", None) == "Action"):
                        problems.append(f"{where}: {ast.unparse(branch)} is not an Action")
    return problems


def test_every_action_in_the_services_is_a_named_constant():
    services = _project_files("services.py") + _project_files("services/*.py")
    assert len(services) >= 8
    problems = [problem for path in services for problem in _action_problems(path)]
    assert problems == []


@pytest.mark.parametrize(
    ("source", "found"),
    [
        ('audit_record(actor=None, action="deadline.added", message="")', 1),
        ('audit_record(action=f"procurement.{name}")', 1),
        ("audit_record(action=Action.NO_SUCH_ACTION)", 1),
        ("audit_record(action=Action.ADDED if created else 'x')", 1),
        ('refusals_audited("signoff.refused", describe)', 1),
        ("audit_record(action=Action.DEADLINE_ADDED)", 0),
        ("audit_record(action=Action.PROCESS_ROW_ADDED if created else Action.PROCESS_ROW_CHANGED)", 0),
    ],
)
def test_the_action_scan_finds_what_is_not_a_constant(tmp_path, source, found):
    sample = tmp_path / "services.py"
    sample.write_text(source + "\n")
    assert len(_action_problems(sample, root=tmp_path)) == found


def test_every_admin_page_renders(admin_client, collaboration, make_procurement):
    """Newest rows first: a draft's pages, and a procurement with its inlines."""
    from django.contrib import admin

    from procurement.models import ProcessVersion
    from procurement.services.process import process_version_draft_from

    make_procurement(collaboration)
    process_version_draft_from(actor=None, version=ProcessVersion.objects.get())
    for model in admin.site._registry:
        opts = model._meta
        assert admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")).status_code == 200, model
        add = admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add")).status_code
        assert add in (200, 403), model
        for obj in model._default_manager.order_by("-pk")[:2]:
            response = admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]))
            assert response.status_code == 200, (model, obj.pk)
