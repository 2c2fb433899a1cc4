"""The national process template installed after migrate: it must match the phases of the
state machine, the roles, the body kinds the gates name and the routine's rules about who
signs what; and installing it again never touches what is there."""
import pytest
from django.apps import apps

from municipalities.roles import Role
from procurement import catalogue_seed, phases
from procurement.models import (
    ChecklistItemDefinition,
    DeliverableDefinition,
    DeliverableKind,
    GateDefinition,
    GateKind,
    GateStep,
    PhaseDefinition,
    ProcessTemplate,
    ProcessVersion,
    StepScope,
)

pytestmark = pytest.mark.django_db

BODY_KINDS = {catalogue_seed.STEERING_GROUP, catalogue_seed.EXECUTIVE_COMMITTEE}
PHASE_CODES = (phases.INTAKE, *phases.PHASES)


def _counts():
    return tuple(
        model.objects.count()
        for model in (PhaseDefinition, DeliverableDefinition, ChecklistItemDefinition, GateDefinition, GateStep)
    )


def test_one_published_national_version():
    template = ProcessTemplate.objects.get(collaboration__isnull=True)
    assert template.name == catalogue_seed.NATIONAL_TEMPLATE_NAME
    assert [(v.number, v.is_published) for v in ProcessVersion.objects.filter(template=template)] == [(1, True)]


def test_one_phase_per_state_machine_phase_in_order_after_intake():
    assert list(PhaseDefinition.objects.order_by("order").values_list("code", "order")) == [
        (code, number) for number, code in enumerate(PHASE_CODES)
    ]


def test_intake_has_the_invitation_and_cost_share_gates_and_nothing_to_deliver():
    intake = PhaseDefinition.objects.get(code=phases.INTAKE)
    assert not intake.deliverables.exists() and not intake.checklist_items.exists()
    assert list(intake.gates.order_by("order").values_list("kind", flat=True)) == [
        GateKind.INVITATIONS_SETTLED,
        GateKind.COST_SHARES_COMPLETE,
    ]


def test_contract_phase_waits_for_the_award_notice_the_standstill_and_open_complaints():
    gates = GateDefinition.objects.filter(phase__code=phases.CONTRACT).order_by("order")
    assert [(g.kind, g.record_kind, g.deadline_kind, g.states) for g in gates] == [
        (GateKind.RECORD_STATE, "award_notice", "", ["sent"]),
        (GateKind.DEADLINE_PASSED, "", "standstill", []),
        (GateKind.NONE_OPEN, "complaint", "", []),
        (GateKind.SIGNATURES, "", "", []),
    ]
    for gate in gates:
        gate.full_clean()  # the kind's fields are complete and the record kinds are registered


def test_every_phase_is_bilingual_with_guide_step_and_deliverables():
    for phase in PhaseDefinition.objects.exclude(code=phases.INTAKE).prefetch_related("deliverables", "checklist_items"):
        assert phase.name and phase.name_en and phase.guide_step and phase.description, phase.code
        assert phase.deliverables.exists(), phase.code
        assert 4 <= phase.checklist_items.count() <= 10, phase.code
        for item in [*phase.deliverables.all(), *phase.checklist_items.all()]:
            assert item.name and item.name_en, item


def test_strategy_step_names_the_three_guide_steps():
    strategy = PhaseDefinition.objects.get(code=phases.STRATEGY)
    assert strategy.guide_step == "Lage strategi, Lage business case, Etablere samarbeid og team"


@pytest.mark.parametrize(
    ("phase", "has_decision"),
    [
        (phases.NEEDS, False),
        (phases.STRATEGY, True),
        (phases.PROCEDURE, True),
        (phases.EVALUATION, True),
        (phases.CONTRACT, False),
    ],
)
def test_decisions_only_where_the_guide_has_a_green_diamond(phase, has_decision):
    assert bool(PhaseDefinition.objects.get(code=phase).decision) is has_decision


def test_procedure_decision_asks_whether_timeline_is_realistic():
    assert "tidsplanen realistisk" in PhaseDefinition.objects.get(code=phases.PROCEDURE).decision


def test_deliverable_codes_from_the_brief_exist_in_their_phase():
    expected = {
        "needs-summary": phases.NEEDS,
        "target-picture": phases.TARGET_PICTURE,
        "market-dialogue-summary": phases.MARKET_DIALOGUE,
        "strategy-decision-basis": phases.STRATEGY,
        "strategy-cooperation-agreement": phases.STRATEGY,
        "procedure-contract-management-plan": phases.PROCEDURE,
        "tender-requirements": phases.TENDER_DOCUMENTS,
        "evaluation-ranking": phases.EVALUATION,
        "contract-dpa": phases.CONTRACT,
        "acceptance-approval": phases.ACCEPTANCE_TEST,
        "management-roles": phases.CONTRACT_MANAGEMENT,
    }
    found = dict(DeliverableDefinition.objects.filter(code__in=expected).values_list("code", "phase__code"))
    assert found == expected


def test_only_negotiation_deliverables_and_the_draft_agreement_are_optional():
    optional = set(DeliverableDefinition.objects.filter(required=False).values_list("code", flat=True))
    # The draft data processing agreement (agreements) goes with the tender documents when
    # it has been written; the signed one in the contract phase is what the gate requires.
    assert optional == {"evaluation-minutes", "evaluation-revised-tenders", "tender-dpa"}


def test_deliverable_kinds_are_valid_choices():
    kinds = set(DeliverableDefinition.objects.values_list("kind", flat=True))
    assert kinds <= set(DeliverableKind.values)


def test_gate_codes():
    assert set(GateDefinition.objects.filter(kind=GateKind.SIGNATURES).values_list("code", flat=True)) == {
        "go-no-go",
        "award",
        "dpa",
        "acceptance",
    }
    assert set(GateDefinition.objects.exclude(kind=GateKind.SIGNATURES).values_list("code", flat=True)) == {
        "invitations-answered",
        "cost-shares",
        "award-notice-sent",
        "standstill-ended",
        "no-open-complaints",
    }


def test_only_the_data_protection_officer_besides_the_managers_replaces_the_dpa():
    assert dict(GateDefinition.objects.filter(kind=GateKind.SIGNATURES).values_list("code", "document_roles")) == {
        "go-no-go": [],
        "award": [],
        "dpa": [Role.DATA_PROTECTION_OFFICER],
        "acceptance": [],
    }


def test_tenders_prices_and_evaluation_are_restricted_to_the_evaluation_roles():
    restricted = {
        d.code: d.access_roles for d in DeliverableDefinition.objects.filter(access="restricted")
    }
    assert restricted == {
        code: [Role.COORDINATOR, Role.REGIONAL_BUYER, Role.EVALUATOR]
        for code in ("evaluation-minutes", "evaluation-revised-tenders", "evaluation-form")
    }
    # The recommendation the chief executives sign must be open to them.
    assert DeliverableDefinition.objects.get(code="evaluation-ranking").access == "participants"


def test_every_gate_document_belongs_to_the_gate_phase_and_is_required():
    for gate in GateDefinition.objects.filter(kind=GateKind.SIGNATURES).select_related("document", "phase"):
        assert gate.document.phase_id == gate.phase_id, gate.code
        # An optional document could be skipped, leaving the gate unpassable.
        assert gate.document.required, gate.code


def test_every_gate_has_steps_numbered_from_one():
    for gate in GateDefinition.objects.filter(kind=GateKind.SIGNATURES).prefetch_related("steps"):
        orders = [step.order for step in gate.steps.all()]
        assert orders == list(range(1, len(orders) + 1)), gate.code


def test_body_steps_name_a_body_and_participant_steps_do_not():
    for step in GateStep.objects.all():
        if step.scope == StepScope.BODY:
            assert step.body_kind in BODY_KINDS, step
        else:
            assert step.scope == StepScope.EACH_PARTICIPANT
            assert step.body_kind == "", step


def _steps(code):
    return list(GateStep.objects.filter(gate__code=code).order_by("order").values_list("role", "scope", "body_kind"))


def test_go_no_go_is_decided_by_suksit():
    gate = GateDefinition.objects.get(code="go-no-go")
    assert (gate.phase.code, gate.document.code) == (phases.STRATEGY, "strategy-decision-basis")
    assert _steps("go-no-go") == [(Role.COORDINATOR, StepScope.BODY, "steering_group")]


def test_award_is_quality_assured_in_suksit_then_approved_by_rmu():
    gate = GateDefinition.objects.get(code="award")
    assert (gate.phase.code, gate.document.code) == (phases.EVALUATION, "evaluation-ranking")
    assert _steps("award") == [
        (Role.COORDINATOR, StepScope.BODY, "steering_group"),
        (Role.CHIEF_EXECUTIVE, StepScope.BODY, "executive_committee"),
    ]


def test_dpa_is_signed_by_the_chief_executive_of_each_participant():
    gate = GateDefinition.objects.get(code="dpa")
    assert (gate.phase.code, gate.document.code) == (phases.CONTRACT, "contract-dpa")
    assert _steps("dpa") == [(Role.CHIEF_EXECUTIVE, StepScope.EACH_PARTICIPANT, "")]


def test_acceptance_is_approved_by_the_user_representative_of_each_participant():
    gate = GateDefinition.objects.get(code="acceptance")
    assert (gate.phase.code, gate.document.code) == (phases.ACCEPTANCE_TEST, "acceptance-approval")
    assert _steps("acceptance") == [(Role.USER_REPRESENTATIVE, StepScope.EACH_PARTICIPANT, "")]


def test_seed_literals_match_the_enums():
    # The seed uses literals so it never imports the models; this keeps them honest.
    assert [phase["code"] for phase in catalogue_seed.PHASES] == list(PHASE_CODES)
    for gate in catalogue_seed.GATES:
        assert gate["kind"] in GateKind.values
        for role in gate.get("document_roles", []):
            assert role in Role.values
        for step in gate.get("steps", []):
            assert step["role"] in Role.values
            assert step["scope"] in StepScope.values
            assert step["body_kind"] in ["", *BODY_KINDS]
    for role in catalogue_seed.RESTRICTED_TO_EVALUATION:
        assert role in Role.values


def test_install_never_touches_an_existing_template():
    """An administrator's edit stays: installing again (every migrate, every seed_demo)
    changes nothing, not even a name edited by hand or a deleted row."""
    GateStep.objects.filter(gate__code="award", order=2).delete()
    PhaseDefinition.objects.filter(code=phases.NEEDS).update(name="Navn fra administratoren")
    before = _counts()
    assert catalogue_seed.national_template_ensure(apps) is False
    assert _counts() == before
    assert PhaseDefinition.objects.get(code=phases.NEEDS).name == "Navn fra administratoren"
    assert not GateStep.objects.filter(gate__code="award", order=2).exists()


def test_install_on_an_empty_database_makes_version_one():
    GateDefinition.objects.all().delete()  # their documents are PROTECTed
    ProcessVersion.objects.all().delete()
    ProcessTemplate.objects.all().delete()
    assert catalogue_seed.national_template_ensure(apps) is True
    assert ProcessVersion.objects.filter(template__collaboration__isnull=True, number=1).count() == 1


def test_an_upgraded_database_gets_the_current_national_content_as_version_two():
    """Migration 0004 turns the old global catalogue into version 1 (marked by its note). New
    procurements must follow today's national process, so it is published once as v2; a
    second run adds nothing, and a template an administrator has versioned is left alone."""
    version = ProcessVersion.objects.get(template__collaboration__isnull=True, number=1)
    ProcessVersion.objects.filter(pk=version.pk).update(note=catalogue_seed.CONVERTED_NOTE)
    GateDefinition.objects.filter(version=version, phase__code=phases.CONTRACT).exclude(kind=GateKind.SIGNATURES).delete()

    assert catalogue_seed.national_template_ensure(apps) is True
    v2 = ProcessVersion.objects.get(template__collaboration__isnull=True, number=2)
    assert v2.is_published and v2.note == catalogue_seed.SEED_NOTE
    assert GateDefinition.objects.filter(version=v2, code="standstill-ended").exists()
    assert not GateDefinition.objects.filter(version=version, code="standstill-ended").exists()  # v1 untouched
    assert catalogue_seed.national_template_ensure(apps) is False
    assert ProcessVersion.objects.filter(template__collaboration__isnull=True).count() == 2
