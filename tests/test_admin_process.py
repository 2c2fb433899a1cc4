"""Process templates in the Django admin: a published version never changes (its pages are
read-only and say how to change it), a draft is made from a version, edited row by row
through the audited catalogue services and published; procurements keep the version they
pinned, and a gate of an existing kind is added without code."""
from datetime import timedelta

import pytest
from django.urls import reverse

from audit.actions import Action
from contracts.services import complaint_register, complaint_resolve
from municipalities.models import Body
from procurement import phases
from procurement.models import (
    ChecklistItemDefinition,
    DeliverableDefinition,
    GateDefinition,
    GateKind,
    GateStep,
    PhaseDefinition,
    ProcessTemplate,
    ProcessVersion,
)
from procurement.readiness import readiness_for
from procurement.selectors.prints import signoff_record_for_print
from procurement.services.process import process_version_draft_from
from tests.factories import BodyFactory
from tests.test_admin_site import (
    admin_messages,
    entries_after,
    form_data,
    inline_prefix,
    last_entry_pk,
    page_data,
)

pytestmark = pytest.mark.django_db


def national() -> ProcessVersion:
    return ProcessVersion.objects.get(template__collaboration__isnull=True, number=1)


def change_url(obj) -> str:
    return reverse(f"admin:procurement_{obj._meta.model_name}_change", args=[obj.pk])


def draft_in_admin(client, version: ProcessVersion, **data) -> ProcessVersion:
    response = client.post(reverse("admin:procurement_processversion_draft", args=[version.pk]), data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    return ProcessVersion.objects.order_by("-pk").first()


def publish_in_admin(client, version: ProcessVersion):
    return client.post(reverse("admin:procurement_processversion_publish", args=[version.pk]), follow=True)


def edit_in_admin(client, obj, **changes):
    url = change_url(obj)
    data = page_data(client, url)
    data.update(changes)
    return client.post(url, data)


def gate_add_data(phase: PhaseDefinition, /, **fields) -> dict:
    return {
        "phase": phase.pk,
        "code": "new-gate",
        "order": 9,
        "name": "Ny port",
        "name_en": "",
        "kind": GateKind.NONE_OPEN,
        "description": "",
        "document": "",
        "deadline_kind": "",
        "record_kind": "",
        "record_states": "",
        "steps-TOTAL_FORMS": 0,
        "steps-INITIAL_FORMS": 0,
        "steps-MIN_NUM_FORMS": 0,
        "steps-MAX_NUM_FORMS": 1000,
        **fields,
    }


# --------------------------------------------------------------------------------------
# A published version is read-only everywhere
# --------------------------------------------------------------------------------------


PUBLISHED_ROWS = {
    "version": lambda: national(),
    "phase": lambda: PhaseDefinition.objects.get(version=national(), code=phases.CONTRACT),
    "deliverable": lambda: DeliverableDefinition.objects.get(version=national(), code="contract-dpa"),
    "gate": lambda: GateDefinition.objects.get(version=national(), code="dpa"),
}


@pytest.mark.parametrize("row", PUBLISHED_ROWS)
def test_a_published_versions_pages_refuse_edits_and_say_how_to_change_it(admin_client, row):
    obj = PUBLISHED_ROWS[row]()
    url = change_url(obj)
    response = admin_client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "er publisert og kan ikke endres" in page
    assert reverse("admin:procurement_processversion_draft", args=[national().pk]) in page
    assert not response.context["has_change_permission"]
    assert not any(inline.has_add_permission for inline in response.context["inline_admin_formsets"])
    before = last_entry_pk()
    name = obj.note if row == "version" else obj.name

    assert admin_client.post(url, {"name": "Endret", "note": "Endret"}).status_code == 403
    assert admin_client.post(reverse(f"admin:procurement_{obj._meta.model_name}_delete", args=[obj.pk]), {"post": "yes"}).status_code == 403

    obj.refresh_from_db()
    assert (obj.note if row == "version" else obj.name) == name
    assert entries_after(before) == []


def test_no_row_is_added_to_a_published_version(admin_client):
    contract = PhaseDefinition.objects.get(version=national(), code=phases.CONTRACT)
    gates = GateDefinition.objects.count()
    response = admin_client.post(reverse("admin:procurement_gatedefinition_add"), gate_add_data(contract, record_kind="complaint"))
    assert response.status_code == 200
    assert "phase" in response.context["adminform"].form.errors
    assert GateDefinition.objects.count() == gates


def test_the_version_list_says_what_each_version_is_and_how_many_pin_it(admin_client, collaboration, make_procurement):
    make_procurement(collaboration)
    make_procurement(collaboration, title="Andre anskaffelse")
    process_version_draft_from(actor=None, version=national())
    response = admin_client.get(reverse("admin:procurement_processversion_changelist"))
    page = response.content.decode()
    assert "i bruk av 2 anskaffelser" in page and "i bruk av 0 anskaffelser" in page
    assert "Publisert" in page and "Utkast" in page


# --------------------------------------------------------------------------------------
# Drafts: made in the admin, edited through the audited services, published
# --------------------------------------------------------------------------------------


def test_a_new_draft_copies_the_version_and_is_audited(admin_client):
    before = last_entry_pk()
    draft = draft_in_admin(admin_client, national(), collaboration="", note="Ny port for klager")
    assert (draft.template_id, draft.number, draft.is_published, draft.based_on_id) == (national().template_id, 2, False, national().pk)
    assert PhaseDefinition.objects.filter(version=draft).count() == PhaseDefinition.objects.filter(version=national()).count()
    assert GateStep.objects.filter(gate__version=draft).count() == GateStep.objects.filter(gate__version=national()).count()
    assert [entry.action for entry in entries_after(before)] == [Action.PROCESS_DRAFT_CREATED]


def test_a_collaboration_gets_its_own_template_once(admin_client, collaboration):
    page = admin_client.get(reverse("admin:procurement_processversion_draft", args=[national().pk]))
    assert collaboration.collaboration in page.context["form"].fields["collaboration"].queryset
    own = draft_in_admin(admin_client, national(), collaboration=collaboration.collaboration.pk)
    assert own.template.collaboration_id == collaboration.collaboration.pk and own.number == 1

    response = admin_client.post(
        reverse("admin:procurement_processversion_draft", args=[national().pk]), {"collaboration": collaboration.collaboration.pk}
    )
    assert response.status_code == 200
    assert "collaboration" in response.context["form"].errors
    assert ProcessTemplate.objects.filter(collaboration=collaboration.collaboration).count() == 1
    page = admin_client.get(reverse("admin:procurement_processversion_draft", args=[national().pk]))
    assert collaboration.collaboration not in page.context["form"].fields["collaboration"].queryset


def test_a_collaboration_stays_on_the_national_process_until_its_own_is_published(admin_client, collaboration, make_procurement):
    own = draft_in_admin(admin_client, national(), collaboration=collaboration.collaboration.pk)
    assert make_procurement(collaboration).process_version_id == national().pk
    assert publish_in_admin(admin_client, own).status_code == 200
    assert make_procurement(collaboration, title="Etter publisering").process_version_id == own.pk


ROW_EDITS = [
    ("phase", lambda draft: PhaseDefinition.objects.get(version=draft, code=phases.NEEDS), {"name": "Kartlegge behovene"},
     "navn: «Kartlegge behov» → «Kartlegge behovene»"),
    ("deliverable", lambda draft: DeliverableDefinition.objects.get(version=draft, code="contract-dpa"), {"required": ""},
     "påkrevd for å fullføre fasen: ja → nei"),
    ("gate", lambda draft: GateDefinition.objects.get(version=draft, code="dpa"), {"document_roles": ["data_protection_officer", "ict_architect"]},
     "roller som kan legge inn ny versjon"),
    ("version note", lambda draft: draft, {"note": "Klager stanser kontrakten"}, "hva er endret"),
]


@pytest.mark.parametrize(("row", "find", "changes", "says"), ROW_EDITS, ids=[edit[0] for edit in ROW_EDITS])
def test_a_drafts_row_is_changed_with_one_audit_entry_naming_the_change(admin_client, row, find, changes, says):
    draft = process_version_draft_from(actor=None, version=national())
    obj = find(draft)
    before = last_entry_pk()
    response = edit_in_admin(admin_client, obj, **changes)
    assert response.status_code == 302, response.context["errors"] if response.context else response
    [entry] = entries_after(before)
    assert entry.action == Action.PROCESS_ROW_CHANGED
    assert says in entry.message
    assert entry.data["version"] == draft.pk
    assert national().pk != draft.pk and GateDefinition.objects.get(version=national(), code="dpa").document_roles == [
        "data_protection_officer"
    ]


def test_inline_rows_of_a_draft_are_added_and_deleted_through_the_services(admin_client):
    draft = process_version_draft_from(actor=None, version=national())
    phase = PhaseDefinition.objects.get(version=draft, code=phases.CONTRACT)
    url = change_url(phase)
    response = admin_client.get(url)
    data = form_data(response)
    deliverables = inline_prefix(response, DeliverableDefinition)
    checklist = inline_prefix(response, ChecklistItemDefinition)
    index = int(data[f"{deliverables}-TOTAL_FORMS"])
    data[f"{deliverables}-TOTAL_FORMS"] = index + 1
    data.update(
        {
            f"{deliverables}-{index}-order": 9,
            f"{deliverables}-{index}-code": "contract-exit-plan",
            f"{deliverables}-{index}-name": "Plan for avslutning",
            f"{deliverables}-{index}-kind": "either",
            f"{deliverables}-{index}-required": "on",
            f"{deliverables}-{index}-access": "restricted",
            f"{deliverables}-{index}-access_roles": ["evaluator", "regional_buyer"],
            f"{checklist}-0-DELETE": "on",
        }
    )
    removed = data[f"{checklist}-0-id"]
    before = last_entry_pk()

    assert admin_client.post(url, data).status_code == 302

    added = DeliverableDefinition.objects.get(version=draft, code="contract-exit-plan")
    assert (added.phase_id, added.access_roles) == (phase.pk, ["evaluator", "regional_buyer"])
    assert not ChecklistItemDefinition.objects.filter(pk=removed).exists()
    assert sorted(entry.action for entry in entries_after(before)) == sorted([Action.PROCESS_ROW_ADDED, Action.PROCESS_ROW_DELETED])


def test_a_deliverable_a_gate_signs_is_not_deleted(admin_client):
    draft = process_version_draft_from(actor=None, version=national())
    document = DeliverableDefinition.objects.get(version=draft, code="contract-dpa")
    response = admin_client.post(
        reverse("admin:procurement_deliverabledefinition_delete", args=[document.pk]), {"post": "yes"}, follow=True
    )
    assert DeliverableDefinition.objects.filter(pk=document.pk).exists()
    assert response.status_code == 200


def test_a_drafts_phase_is_deleted_with_its_gates(admin_client):
    draft = process_version_draft_from(actor=None, version=national())
    phase = PhaseDefinition.objects.get(version=draft, code=phases.CONTRACT)
    before = last_entry_pk()
    response = admin_client.post(reverse("admin:procurement_phasedefinition_delete", args=[phase.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not GateDefinition.objects.filter(version=draft, phase__code=phases.CONTRACT).exists()
    assert GateDefinition.objects.filter(version=national(), phase__code=phases.CONTRACT).count() == 4
    assert [entry.action for entry in entries_after(before)] == [Action.PROCESS_ROW_DELETED]


def test_publish_problems_come_back_as_messages(admin_client):
    draft = process_version_draft_from(actor=None, version=national())
    gate = GateDefinition.objects.get(version=draft, code="go-no-go")
    response = admin_client.get(change_url(gate))
    data = form_data(response)
    data[f"{inline_prefix(response, GateStep)}-0-DELETE"] = "on"
    assert admin_client.post(change_url(gate), data).status_code == 302
    assert "ingen godkjenningssteg" in admin_client.get(reverse("admin:procurement_processversion_publish", args=[draft.pk])).content.decode()

    response = publish_in_admin(admin_client, draft)

    draft.refresh_from_db()
    assert not draft.is_published
    assert any("ingen godkjenningssteg" in message for message in admin_messages(response))


# --------------------------------------------------------------------------------------
# Procurements keep their version; new ones follow the published edit
# --------------------------------------------------------------------------------------


def _gates(readiness) -> list[tuple]:
    return [(g.gate.pk, g.gate.code, g.gate.label, g.passed, tuple(g.reasons)) for g in readiness.gates]


def _printed(record) -> list[tuple]:
    return [
        (
            gate.gate.pk,
            gate.gate.label,
            gate.phase.label,
            gate.phase_status,
            tuple(
                (step.status.step.pk, step.status.step.label, tuple((s.signoff.pk, s.signoff.person_id, s.is_void) for s in step.signatures))
                for step in gate.steps
            ),
        )
        for gate in record["gates"]
    ]


def test_new_draft_edit_publish_leaves_running_procurements_and_their_records_alone(
    admin_client, collaboration, make_procurement
):
    running = make_procurement(collaboration, phase=phases.EVALUATION)
    coordinator = collaboration.coordinator
    gates_before = _gates(readiness_for(running))
    printed_before = _printed(signoff_record_for_print(user=coordinator, procurement_id=running.pk))
    assert [gate[1] for gate in gates_before] == ["award"] and printed_before

    draft = draft_in_admin(admin_client, national())
    award = GateDefinition.objects.get(version=draft, code="award")
    assert edit_in_admin(admin_client, award, name="Tildeling etter ny rutine").status_code == 302
    go = GateDefinition.objects.get(version=draft, code="go-no-go")
    response = admin_client.get(change_url(go))
    data = form_data(response)
    data[f"{inline_prefix(response, GateStep)}-0-name"] = "Styringsgruppen beslutter i møte"
    assert admin_client.post(change_url(go), data).status_code == 302
    response = publish_in_admin(admin_client, draft)
    draft.refresh_from_db()
    assert draft.is_published, admin_messages(response)

    running.refresh_from_db()
    assert running.process_version_id == national().pk
    assert _gates(readiness_for(running)) == gates_before
    assert _printed(signoff_record_for_print(user=coordinator, procurement_id=running.pk)) == printed_before

    later = make_procurement(collaboration, title="Etter den nye rutinen")
    assert later.process_version_id == draft.pk
    catalogue = readiness_for(later).snapshot.catalogue
    assert [g.name for g in catalogue.phase(phases.EVALUATION).gates.all()] == ["Tildeling etter ny rutine"]
    [step] = catalogue.phase(phases.STRATEGY).gates.get(code="go-no-go").steps.all()
    assert step.name == "Styringsgruppen beslutter i møte"


def test_a_gate_added_in_the_admin_blocks_the_contract_while_a_complaint_is_open(
    admin_client, collaboration, make_procurement, fill_deliverables, meet_conditions, sign_gate
):
    draft = draft_in_admin(admin_client, national())
    # The national gate of the same kind goes, so only the one added here can block.
    old = GateDefinition.objects.get(version=draft, code="no-open-complaints")
    assert admin_client.post(reverse("admin:procurement_gatedefinition_delete", args=[old.pk]), {"post": "yes"}).status_code == 302
    contract = PhaseDefinition.objects.get(version=draft, code=phases.CONTRACT)
    before = last_entry_pk()
    response = admin_client.post(
        reverse("admin:procurement_gatedefinition_add"),
        gate_add_data(contract, code="complaints-settled", name="Klager er avgjort", record_kind="complaint"),
    )
    assert response.status_code == 302, response.context["errors"] if response.context else response
    assert [entry.action for entry in entries_after(before)] == [Action.PROCESS_ROW_ADDED]
    assert publish_in_admin(admin_client, draft).status_code == 200

    procurement = make_procurement(collaboration, phase=phases.CONTRACT)
    assert procurement.process_version_id == draft.pk
    manager = collaboration.coordinator
    complaint = complaint_register(
        user=manager, procurement=procurement, received_on=collaboration.collaboration.today() - timedelta(days=1),
        complainant="Leverandør AS", summary="Feil i evalueringen",
    )
    fill_deliverables(procurement)
    meet_conditions(procurement)
    sign_gate(procurement, "dpa")

    readiness = readiness_for(procurement)
    assert readiness.state == phases.CONTRACT and not readiness.ready
    assert [g.gate.code for g in readiness.gates if not g.passed] == ["complaints-settled"]

    complaint_resolve(user=manager, complaint=complaint, outcome="dismissed", resolution="Evalueringen var riktig.")
    readiness = readiness_for(procurement)
    assert readiness.ready
    assert readiness.gate(GateKind.NONE_OPEN).gate.code == "complaints-settled"


# --------------------------------------------------------------------------------------
# The gate and step forms
# --------------------------------------------------------------------------------------


HOSTILE_GATES = [
    ("roles as JSON", {"kind": GateKind.SIGNATURES, "document_roles": ['["evaluator"'], "record_kind": ""}, "document_roles"),
    ("unknown role", {"kind": GateKind.SIGNATURES, "document_roles": ["superuser"]}, "document_roles"),
    ("unknown record kind", {"record_kind": "lawsuit"}, "record_kind"),
    ("no record kind", {"record_kind": ""}, "record_kind"),
    ("unknown state", {"kind": GateKind.RECORD_STATE, "record_kind": "award_notice", "record_states": "sent, lost"}, "record_kind"),
    ("unknown deadline", {"kind": GateKind.DEADLINE_PASSED, "deadline_kind": "tomorrow"}, "deadline_kind"),
    ("unknown kind", {"kind": "vote"}, "kind"),
    ("phase past bigint", {"phase": "9" * 30, "record_kind": "complaint"}, "phase"),
    ("phase not a number", {"phase": "1 OR 1=1", "record_kind": "complaint"}, "phase"),
    ("document past bigint", {"kind": GateKind.SIGNATURES, "document": "9" * 30}, "document"),
    ("duplicate code", {"code": "dpa", "record_kind": "complaint"}, "code"),
]


@pytest.mark.parametrize(("case", "fields", "error"), HOSTILE_GATES, ids=[case[0] for case in HOSTILE_GATES])
def test_hostile_gate_input_is_a_form_error(admin_client, case, fields, error):
    draft = process_version_draft_from(actor=None, version=national())
    contract = PhaseDefinition.objects.get(version=draft, code=phases.CONTRACT)
    gates, before = GateDefinition.objects.count(), last_entry_pk()
    response = admin_client.post(reverse("admin:procurement_gatedefinition_add"), gate_add_data(contract, **fields))
    assert response.status_code == 200
    assert error in response.context["adminform"].form.errors
    assert GateDefinition.objects.count() == gates
    assert entries_after(before) == []


@pytest.mark.parametrize("roles", [["Infinity"], ['{"role": "evaluator"}'], ["evaluator", "NaN"]])
def test_hostile_access_roles_are_a_form_error(admin_client, roles):
    draft = process_version_draft_from(actor=None, version=national())
    deliverable = DeliverableDefinition.objects.get(version=draft, code="evaluation-ranking")
    response = edit_in_admin(admin_client, deliverable, access_roles=roles)
    assert response.status_code == 200
    assert "access_roles" in response.context["adminform"].form.errors
    deliverable.refresh_from_db()
    assert "NaN" not in deliverable.access_roles and "Infinity" not in deliverable.access_roles


def test_fields_that_do_not_matter_for_the_kind_are_emptied_not_validated(admin_client):
    draft = process_version_draft_from(actor=None, version=national())
    contract = PhaseDefinition.objects.get(version=draft, code=phases.CONTRACT)
    document = DeliverableDefinition.objects.get(version=draft, code="contract-signed")
    response = admin_client.post(
        reverse("admin:procurement_gatedefinition_add"),
        gate_add_data(
            contract, kind=GateKind.DEADLINE_PASSED, deadline_kind="standstill", record_kind="lawsuit",
            record_states="whatever", document=document.pk, document_roles=["evaluator"],
        ),
    )
    assert response.status_code == 302
    gate = GateDefinition.objects.get(version=draft, code="new-gate")
    assert (gate.deadline_kind, gate.record_kind, gate.record_states, gate.document_id, gate.document_roles) == (
        "standstill", "", "", None, []
    )


def test_a_gate_document_must_be_one_of_the_same_phase_of_the_same_draft(admin_client):
    draft = process_version_draft_from(actor=None, version=national())
    gate = GateDefinition.objects.get(version=draft, code="dpa")
    response = admin_client.get(change_url(gate))
    offered = set(response.context["adminform"].form.fields["document"].queryset)
    assert offered == set(DeliverableDefinition.objects.filter(version=draft, phase__code=phases.CONTRACT))
    for other in (
        DeliverableDefinition.objects.get(version=draft, code="needs-summary"),
        DeliverableDefinition.objects.get(version=national(), code="contract-signed"),
    ):
        response = edit_in_admin(admin_client, gate, document=other.pk)
        assert response.status_code == 200
        assert "document" in response.context["adminform"].form.errors
    assert GateDefinition.objects.get(pk=gate.pk).document.code == "contract-dpa"


def test_step_body_kinds_are_the_collaborations_and_stored_as_slugs(admin_client, collaboration):
    BodyFactory(collaboration=collaboration.collaboration, kind="archive_network", name="Arkivnettverket")
    stranger = BodyFactory(kind="fosen_board", name="Fosenstyret")
    own = process_version_draft_from(actor=None, version=national(), collaboration=collaboration.collaboration)
    gate = GateDefinition.objects.get(version=own, code="go-no-go")
    response = admin_client.get(change_url(gate))
    prefix = inline_prefix(response, GateStep)
    offered = {value for value, _label in response.context["inline_admin_formsets"][0].formset.forms[0].fields["body_kind"].choices}
    assert offered == {"", *Body.objects.filter(collaboration=collaboration.collaboration).values_list("kind", flat=True)}
    assert stranger.kind not in offered

    data = form_data(response)
    data[f"{prefix}-0-body_kind"] = stranger.kind
    assert admin_client.post(change_url(gate), data).status_code == 200
    data[f"{prefix}-0-body_kind"] = "archive_network"
    assert admin_client.post(change_url(gate), data).status_code == 302
    assert GateStep.objects.get(gate=gate).body_kind == "archive_network"

    national_gate = GateDefinition.objects.get(version=process_version_draft_from(actor=None, version=national()), code="go-no-go")
    response = admin_client.get(change_url(national_gate))
    offered = {value for value, _label in response.context["inline_admin_formsets"][0].formset.forms[0].fields["body_kind"].choices}
    assert {stranger.kind, "archive_network", "steering_group", "executive_committee"} <= offered
