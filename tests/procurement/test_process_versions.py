"""Versioned process templates through procurement.services.process: a draft made from the
current version, edited and published, changes nothing for procurements pinned to the old
version (their gates, their timeline, their printed sign-off record) while a newly reported
procurement follows the new one. A published version's rows cannot be edited, a
collaboration's template that names a body kind it lacks cannot be published, and reporting
to a collaboration whose process cannot run is a form error, never a 500."""
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from municipalities.roles import Role
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
    Procurement,
)
from procurement.readiness import readiness_for
from procurement.selectors.detail import procurement_detail
from procurement.selectors.prints import signoff_record_for_print
from procurement.services.intake import procurement_report
from procurement.services.process import (
    ProcessUnavailable,
    catalogue_row_delete,
    catalogue_row_save,
    process_version_current,
    process_version_draft_from,
    process_version_publish,
)
from procurement.services.signoffs import signoff_record
from procurement.views.prints import SIGNOFF_RECORD_TEMPLATE
from tests.factories import (
    BodyFactory,
    CollaborationFactory,
    MunicipalityFactory,
    PersonFactory,
)

FIXED_PRINT_TIME = datetime.datetime(2026, 12, 1, 12, 0, tzinfo=datetime.UTC)
NEW_AWARD_NAME = "Tildeling etter den nye rutinen"


def national() -> ProcessVersion:
    return ProcessVersion.objects.get(template__collaboration__isnull=True, number=1)


def report(world, municipality=None, **extra):
    municipality = municipality or world.municipalities[0]
    return procurement_report(
        user=world.representative(municipality),
        municipality=municipality,
        title=extra.pop("title", "Ny sak"),
        kind="replace",
        description="Trenger nytt system.",
        funding="action_plan",
        **extra,
    )


def what_it_sees(procurement, user) -> dict:
    """Everything a template edit must leave alone for a pinned procurement: the judgement
    of its phase, its timeline and its printed sign-off record (rendered to HTML)."""
    procurement.refresh_from_db()
    readiness = readiness_for(procurement)
    detail = procurement_detail(user=user, procurement_id=procurement.pk)
    record = signoff_record_for_print(user=user, procurement_id=procurement.pk)
    record["generated_at"] = FIXED_PRINT_TIME
    return {
        "version": procurement.process_version_id,
        "gates": [(g.gate.code, g.gate.label, g.passed, tuple(g.reasons)) for g in readiness.gates],
        "missing": [d.code for d in readiness.missing],
        "blockers": readiness.blockers,
        "timeline": [
            (v.definition.code, v.definition.label, v.status, [d.code for d, _ in v.deliverables], len(v.definition.checklist_items.all()))
            for v in detail["timeline"]
        ],
        "print_gates": [
            (g.gate.code, g.gate.label, g.phase.code, g.phase_status, [s.status.step.label for s in g.steps], g.missing_count)
            for g in record["gates"]
        ],
        "print": render_to_string(SIGNOFF_RECORD_TEMPLATE, record),
    }


def publish_edited_draft(admin) -> ProcessVersion:
    """The administrator's edit: rename the award gate, add a checklist gate to the
    evaluation phase, remove the evaluation form from it, publish as version 2."""
    draft = process_version_draft_from(actor=admin, version=national(), note="Ny rutine for tildeling")
    award = GateDefinition.objects.get(version=draft, code="award")
    award.name = NEW_AWARD_NAME
    catalogue_row_save(actor=admin, obj=award)
    evaluation = PhaseDefinition.objects.get(version=draft, code=phases.EVALUATION)
    catalogue_row_save(
        actor=admin,
        obj=GateDefinition(
            version=draft, phase=evaluation, code="evaluation-checklist", kind=GateKind.CHECKLIST_COMPLETE, order=99, name="Sjekklisten er fulgt"
        ),
    )
    catalogue_row_delete(actor=admin, obj=DeliverableDefinition.objects.get(version=draft, code="evaluation-form"))
    return process_version_publish(actor=admin, version=draft)


@pytest.fixture
def admin(db):
    return PersonFactory(is_staff=True, is_superuser=True, username="prosessadmin")


def test_a_template_edit_leaves_running_and_closed_procurements_alone(
    make_collaboration, make_procurement, fill_deliverables, sign_gate, signer_for, admin
):
    world = make_collaboration(3)
    running = make_procurement(world, phase=phases.EVALUATION, title="Pågår")
    fill_deliverables(running)
    award = next(g for g in readiness_for(running).signature_gates if g.gate.code == "award")
    step = award.open_step
    signoff_record(
        user=signer_for(step, step.slots[0]),
        procurement_id=running.pk,
        step_id=step.step.pk,
        slot=step.slots[0].slot,
        decision="approve",
        document_sha256=award.document.current_version.sha256,
    )
    closed = make_procurement(world, phase=phases.CLOSED, title="Ferdig")
    before = {p.pk: what_it_sees(p, world.coordinator) for p in (running, closed)}
    assert before[running.pk]["gates"][0][:3] == ("award", "Tildeling av kontrakt", False)
    assert "evaluation-form" in before[running.pk]["timeline"][6][3]

    version_two = publish_edited_draft(admin)

    assert version_two.number == 2 and version_two.is_published
    for procurement in (running, closed):
        after = what_it_sees(procurement, world.coordinator)
        for key, value in before[procurement.pk].items():
            assert after[key] == value, f"{procurement.title}: {key} changed"
    # The pinned procurement still moves on by its own version's gates.
    sign_gate(running, "award")
    running.refresh_from_db()
    assert running.state == phases.CONTRACT


def test_a_new_procurement_pins_the_newest_published_version_and_follows_it(
    make_collaboration, make_procurement, advance_to, admin
):
    world = make_collaboration(2)
    old = make_procurement(world, title="Før endringen")
    version_two = publish_edited_draft(admin)

    new = make_procurement(world, title="Etter endringen")

    assert old.process_version == national()
    assert new.process_version == version_two
    advance_to(new, phases.EVALUATION)
    readiness = readiness_for(new)
    assert [(g.gate.code, g.gate.label) for g in readiness.gates] == [
        ("award", NEW_AWARD_NAME),
        ("evaluation-checklist", "Sjekklisten er fulgt"),
    ]
    assert "evaluation-form" not in [d.code for d in readiness.phase.deliverables.all()]
    assert "Sjekklisten er fulgt – 8 punkt gjenstår" in readiness.blockers


def test_the_draft_is_invisible_until_it_is_published(collaboration, admin):
    draft = process_version_draft_from(actor=admin, version=national())
    assert not draft.is_published
    assert process_version_current(collaboration=collaboration.collaboration) == national()
    assert report(collaboration).process_version == national()


# --------------------------------------------------------------------------------------
# A published version never changes
# --------------------------------------------------------------------------------------


def _v1(model, **lookup):
    return model.objects.get(**lookup)


def _draft_gate(admin):
    return GateDefinition.objects.get(version=process_version_draft_from(actor=admin, version=national()), code="award")


PUBLISHED_EDITS = [
    # (case, change made in memory and saved; returns the row to compare)
    ("rename a phase", lambda admin: _edit(_v1(PhaseDefinition, version=national(), code="needs"), name="Endret")),
    ("make a deliverable optional", lambda admin: _edit(_v1(DeliverableDefinition, version=national(), code="needs-summary"), required=False)),
    ("rename a checklist item", lambda admin: _edit(ChecklistItemDefinition.objects.filter(phase__version=national()).first(), name="Endret")),
    ("rename a gate", lambda admin: _edit(_v1(GateDefinition, version=national(), code="award"), name="Endret")),
    ("change a step's role", lambda admin: _edit(GateStep.objects.filter(gate__version=national()).first(), role=Role.EVALUATOR)),
    ("unpublish the version", lambda admin: _edit(national(), published_at=None)),
    (
        "move a gate out of the published version into a draft",
        lambda admin: _edit(
            _v1(GateDefinition, version=national(), code="go-no-go"),
            version=(gate := _draft_gate(admin)).version,
            phase=gate.phase.version.phases.get(code=phases.STRATEGY),
            document=DeliverableDefinition.objects.get(version=gate.version, code="strategy-decision-basis"),
            code="moved-go-no-go",
        ),
    ),
    (
        "move a step of a published gate to a draft gate",
        lambda admin: _edit(GateStep.objects.get(gate__version=national(), gate__code="go-no-go"), gate=_draft_gate(admin), order=9),
    ),
]


def _edit(obj, **changes):
    for name, value in changes.items():
        setattr(obj, name, value)
    return obj


def _row(obj):
    return type(obj).objects.filter(pk=obj.pk).values().first()


@pytest.mark.parametrize(("case", "edit"), PUBLISHED_EDITS, ids=[row[0] for row in PUBLISHED_EDITS])
def test_editing_a_published_versions_rows_is_refused(admin, case, edit):
    obj = edit(admin)
    stored = _row(obj)

    with pytest.raises(ValidationError, match="er publisert og kan ikke endres"):
        catalogue_row_save(actor=admin, obj=obj)

    assert _row(obj) == stored


@pytest.mark.parametrize(
    "row",
    [
        lambda: GateDefinition.objects.get(version=national(), code="dpa"),
        lambda: ChecklistItemDefinition.objects.filter(phase__version=national()).first(),
        lambda: GateStep.objects.filter(gate__version=national()).first(),
    ],
    ids=["gate", "checklist item", "step"],
)
def test_deleting_a_published_versions_rows_is_refused(admin, row):
    obj = row()
    with pytest.raises(ValidationError, match="er publisert og kan ikke endres"):
        catalogue_row_delete(actor=admin, obj=obj)
    assert type(obj).objects.filter(pk=obj.pk).exists()


def test_adding_a_gate_to_a_published_version_is_refused(admin):
    version = national()
    gate = GateDefinition(
        version=version,
        phase=version.phases.get(code=phases.NEEDS),
        code="extra",
        kind=GateKind.CHECKLIST_COMPLETE,
        name="Ekstra",
    )
    with pytest.raises(ValidationError, match="er publisert"):
        catalogue_row_save(actor=admin, obj=gate)
    assert not GateDefinition.objects.filter(code="extra").exists()


# --------------------------------------------------------------------------------------
# A collaboration's own template and the bodies it names
# --------------------------------------------------------------------------------------


def _collaboration_without_executive_committee():
    """A collaboration with a steering group but no committee of chief executives, one
    member and its representative: the national template's award step 2 cannot be signed."""
    from tests.conftest import person_with_role

    collaboration = CollaborationFactory(name="Uten kommunedirektørutvalg")
    BodyFactory(collaboration=collaboration, kind="steering_group")
    municipality = MunicipalityFactory(collaboration=collaboration)
    representative = person_with_role(Role.MUNICIPAL_REPRESENTATIVE, municipality=municipality)
    return collaboration, municipality, representative


@pytest.mark.django_db
def test_process_version_current_falls_back_to_the_national_template(collaboration):
    assert not ProcessTemplate.objects.filter(collaboration=collaboration.collaboration).exists()
    assert process_version_current(collaboration=collaboration.collaboration) == national()


@pytest.mark.django_db
def test_the_national_template_is_refused_where_a_body_kind_it_names_is_missing():
    collaboration, _municipality, _person = _collaboration_without_executive_committee()
    with pytest.raises(ProcessUnavailable) as refused:
        process_version_current(collaboration=collaboration)
    assert "«Tildeling av kontrakt»" in str(refused.value)
    assert "«executive_committee»" in str(refused.value)


@pytest.mark.django_db
def test_reporting_to_a_collaboration_that_cannot_run_its_process_is_a_validation_error():
    collaboration, municipality, person = _collaboration_without_executive_committee()
    with pytest.raises(ValidationError) as refused:
        procurement_report(
            user=person, municipality=municipality, title="Sak", kind="replace", description="Behov.", funding="action_plan"
        )
    assert "executive_committee" in " ".join(refused.value.messages)
    assert not Procurement.objects.filter(collaboration=collaboration).exists()


@pytest.mark.django_db
def test_reporting_over_http_to_a_collaboration_that_cannot_run_its_process_is_a_form_error(client):
    collaboration, municipality, person = _collaboration_without_executive_committee()
    client.force_login(person)
    response = client.post(
        reverse("report_need"),
        {"municipality": municipality.pk, "title": "Sak", "kind": "replace", "description": "Behov.", "funding": "action_plan"},
    )
    assert response.status_code in (200, 400)
    assert "executive_committee" in response.content.decode()
    assert 'id="error-summary"' in response.content.decode()
    assert not Procurement.objects.filter(collaboration=collaboration).exists()


@pytest.mark.django_db
def test_publishing_a_collaborations_template_that_names_a_missing_body_kind_is_refused(admin):
    collaboration, municipality, person = _collaboration_without_executive_committee()
    draft = process_version_draft_from(actor=admin, version=national(), collaboration=collaboration)
    assert (draft.template.collaboration, draft.number) == (collaboration, 1)

    with pytest.raises(ValidationError) as refused:
        process_version_publish(actor=admin, version=draft)

    assert "Tildeling av kontrakt" in " ".join(refused.value.messages)
    assert "executive_committee" in " ".join(refused.value.messages)
    draft.refresh_from_db()
    assert not draft.is_published

    # Its own template decides with the steering group alone: then it can be published and used.
    step = GateStep.objects.get(gate__version=draft, gate__code="award", order=2)
    step.body_kind = "steering_group"
    step.role = Role.COORDINATOR
    catalogue_row_save(actor=admin, obj=step)
    process_version_publish(actor=admin, version=draft)
    assert process_version_current(collaboration=collaboration) == draft
    procurement = procurement_report(
        user=person, municipality=municipality, title="Sak", kind="replace", description="Behov.", funding="action_plan"
    )
    assert procurement.process_version == draft


@pytest.mark.django_db
def test_a_collaboration_with_an_unpublished_draft_of_its_own_still_reports_on_the_national_template(collaboration, admin):
    """Starting to draft the collaboration's own template must not stop it from reporting
    needs until the draft is published."""
    draft = process_version_draft_from(actor=admin, version=national(), collaboration=collaboration.collaboration)
    assert not draft.is_published

    assert process_version_current(collaboration=collaboration.collaboration) == national()
    assert report(collaboration).process_version == national()


@pytest.mark.django_db
def test_publishing_twice_is_refused(admin):
    draft = process_version_draft_from(actor=admin, version=national())
    process_version_publish(actor=admin, version=draft)
    published_at = ProcessVersion.objects.get(pk=draft.pk).published_at
    with pytest.raises(ValidationError, match="allerede publisert"):
        process_version_publish(actor=admin, version=draft)
    assert ProcessVersion.objects.get(pk=draft.pk).published_at == published_at
    assert published_at <= timezone.now()
