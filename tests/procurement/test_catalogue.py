"""The catalogue the data migration installs: it must match the phases of the state machine,
the roles and bodies of the region, and the routine's rules about who signs what."""
import pytest
from django.apps import apps

from municipalities.roles import BodyKind, Role
from procurement import catalogue_seed, phases
from procurement.models import (
    ChecklistItemDefinition,
    DeliverableDefinition,
    DeliverableKind,
    GateDefinition,
    GateStep,
    PhaseDefinition,
    StepScope,
)

pytestmark = pytest.mark.django_db


def _counts():
    return tuple(
        model.objects.count()
        for model in (PhaseDefinition, DeliverableDefinition, ChecklistItemDefinition, GateDefinition, GateStep)
    )


def test_one_phase_per_state_machine_phase_in_order():
    assert list(PhaseDefinition.objects.order_by("order").values_list("code", "order")) == [
        (code, number) for number, code in enumerate(phases.PHASES, start=1)
    ]


def test_every_phase_is_bilingual_with_guide_step_and_deliverables():
    for phase in PhaseDefinition.objects.prefetch_related("deliverables", "checklist_items"):
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


def test_only_negotiation_deliverables_are_optional():
    optional = set(DeliverableDefinition.objects.filter(required=False).values_list("code", flat=True))
    assert optional == {"evaluation-minutes", "evaluation-revised-tenders"}


def test_deliverable_kinds_are_valid_choices():
    kinds = set(DeliverableDefinition.objects.values_list("kind", flat=True))
    assert kinds <= set(DeliverableKind.values)


def test_gate_codes():
    assert set(GateDefinition.objects.values_list("code", flat=True)) == {"go-no-go", "award", "dpa", "acceptance"}


def test_every_gate_document_belongs_to_the_gate_phase_and_is_required():
    for gate in GateDefinition.objects.select_related("document", "phase"):
        assert gate.document.phase_id == gate.phase_id, gate.code
        # An optional document could be skipped, leaving the gate unpassable.
        assert gate.document.required, gate.code


def test_every_gate_has_steps_numbered_from_one():
    for gate in GateDefinition.objects.prefetch_related("steps"):
        orders = [step.order for step in gate.steps.all()]
        assert orders == list(range(1, len(orders) + 1)), gate.code


def test_body_steps_name_a_body_and_participant_steps_do_not():
    for step in GateStep.objects.all():
        if step.scope == StepScope.BODY:
            assert step.body_kind in BodyKind.values, step
        else:
            assert step.scope == StepScope.EACH_PARTICIPANT
            assert step.body_kind == "", step


def _steps(code):
    return list(GateStep.objects.filter(gate__code=code).order_by("order").values_list("role", "scope", "body_kind"))


def test_go_no_go_is_decided_by_suksit():
    gate = GateDefinition.objects.get(code="go-no-go")
    assert (gate.phase.code, gate.document.code) == (phases.STRATEGY, "strategy-decision-basis")
    assert _steps("go-no-go") == [(Role.COORDINATOR, StepScope.BODY, BodyKind.SUKSIT)]


def test_award_is_quality_assured_in_suksit_then_approved_by_rmu():
    gate = GateDefinition.objects.get(code="award")
    assert (gate.phase.code, gate.document.code) == (phases.EVALUATION, "evaluation-ranking")
    assert _steps("award") == [
        (Role.COORDINATOR, StepScope.BODY, BodyKind.SUKSIT),
        (Role.CHIEF_EXECUTIVE, StepScope.BODY, BodyKind.RMU),
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
    # The seed uses literals so the migration is frozen; this keeps them honest.
    assert [phase["code"] for phase in catalogue_seed.PHASES] == list(phases.PHASES)
    for gate in catalogue_seed.GATES:
        for step in gate["steps"]:
            assert step["role"] in Role.values
            assert step["scope"] in StepScope.values
            assert step["body_kind"] in ["", *BodyKind.values]


def test_install_is_idempotent():
    before = _counts()
    catalogue_seed.catalogue_install(apps)
    assert _counts() == before


def test_install_restores_deleted_rows_and_edited_names():
    GateStep.objects.filter(gate__code="award", order=2).delete()
    ChecklistItemDefinition.objects.filter(phase__code=phases.NEEDS).delete()
    PhaseDefinition.objects.filter(code=phases.NEEDS).update(name="Feil navn")
    catalogue_seed.catalogue_install(apps)
    assert GateStep.objects.filter(gate__code="award", order=2, body_kind=BodyKind.RMU).exists()
    assert ChecklistItemDefinition.objects.filter(phase__code=phases.NEEDS).count() == len(catalogue_seed.PHASES[0]["checklist"])
    assert PhaseDefinition.objects.get(code=phases.NEEDS).name == "Kartlegge behov"
