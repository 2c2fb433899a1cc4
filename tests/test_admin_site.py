"""The Django admin: role changes made there must reach guardian's object permissions, and
evidence (signatures, document versions) and the phase must stay out of reach."""
import pytest
from django.urls import reverse

from audit.models import AuditEntry
from municipalities.models import Municipality, RoleAssignment
from municipalities.roles import Role
from procurement.models import DeliverableDefinition, GateDefinition

pytestmark = pytest.mark.django_db

ACT_AS_CHIEF = "municipalities.act_as_chief_executive"


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
    assert AuditEntry.objects.filter(action="role.assigned", data__person=person.pk, data__via="admin").exists()

    assignment = RoleAssignment.objects.get(person=person, role=Role.CHIEF_EXECUTIVE)
    response = admin_client.post(
        reverse("admin:municipalities_roleassignment_delete", args=[assignment.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not _fresh(person).has_perm(ACT_AS_CHIEF, municipality)


def test_moving_an_assignment_to_another_person_moves_the_permission(admin_client, collaboration):
    municipality = collaboration.municipalities[0]
    chief = collaboration.chief_executive(municipality)
    other = collaboration.user_representative(municipality)
    assignment = RoleAssignment.objects.get(person=chief, role=Role.CHIEF_EXECUTIVE)
    response = admin_client.post(
        reverse("admin:municipalities_roleassignment_change", args=[assignment.pk]),
        {"person": other.pk, "role": Role.CHIEF_EXECUTIVE, "municipality": municipality.pk, "body": ""},
    )
    assert response.status_code == 302
    assert _fresh(other).has_perm(ACT_AS_CHIEF, municipality)
    assert not _fresh(chief).has_perm(ACT_AS_CHIEF, municipality)


def test_new_person_with_inline_role_gets_the_permission(admin_client, collaboration):
    municipality = collaboration.municipalities[1]
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
    person = type(collaboration.coordinator).objects.get(username="ny.kommunedirektor")
    assert person.has_perm(ACT_AS_CHIEF, municipality)


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


def test_gate_document_must_belong_to_the_gate_phase(admin_client):
    gate = GateDefinition.objects.get(code="dpa")
    response = admin_client.post(
        reverse("admin:procurement_gatedefinition_change", args=[gate.pk]),
        {
            "code": gate.code,
            "name": gate.name,
            "name_en": gate.name_en,
            "phase": gate.phase_id,
            "document": DeliverableDefinition.objects.get(code="needs-summary").pk,
            "description": "",
            **_inline_management("steps", 0),
        },
    )
    assert response.status_code == 200
    assert GateDefinition.objects.get(pk=gate.pk).document.code == "contract-dpa"


def test_phase_is_read_only_and_procurements_are_not_added_in_admin(admin_client, procurement):
    response = admin_client.get(reverse("admin:procurement_procurement_change", args=[procurement.pk]))
    assert response.status_code == 200
    assert "state" not in response.context["adminform"].form.fields
    assert admin_client.get(reverse("admin:procurement_procurement_add")).status_code == 403


@pytest.mark.parametrize("model", ["signoff", "deliverableversion"])
def test_evidence_cannot_be_added_in_admin(admin_client, model):
    assert admin_client.get(reverse(f"admin:procurement_{model}_add")).status_code == 403
    assert admin_client.get(reverse(f"admin:procurement_{model}_changelist")).status_code == 200
