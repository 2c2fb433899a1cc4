"""Going back to the evaluation means a new award decision, a new notice and a new standstill
period: the notice sent for the old decision must not let the contract phase pass."""
import pytest

from contracts.models import AwardNotice, AwardNoticeState
from procurement import phases
from procurement.exceptions import TransitionRefused
from procurement.models import GateKind
from procurement.readiness import readiness_for
from procurement.services.lifecycle import procurement_transition

pytestmark = pytest.mark.django_db


def _gate(procurement, kind):
    return readiness_for(procurement).gate(kind)


def test_reopening_the_evaluation_withdraws_the_award_notice(make_procurement, collaboration, meet_conditions):
    procurement = make_procurement(collaboration, phase=phases.CONTRACT)
    meet_conditions(procurement)
    assert _gate(procurement, GateKind.RECORD_STATE).passed and _gate(procurement, GateKind.DEADLINE_PASSED).passed

    procurement_transition(
        user=collaboration.coordinator,
        procurement_id=procurement.pk,
        transition="reopen",
        phase=phases.EVALUATION,
        reason="Klagen fra Tilbyder A er tatt til følge.",
    )

    notice = AwardNotice.objects.get(procurement=procurement)
    assert notice.state == AwardNoticeState.WITHDRAWN
    assert "Klagen fra Tilbyder A er tatt til følge." in notice.withdrawn_reason
    assert procurement.audit_entries.filter(action="award_notice.withdrawn").count() == 1
    assert procurement.deadlines.get(kind="standstill").done_at is not None


def test_after_reopening_the_contract_phase_waits_for_a_new_notice(
    make_procurement, collaboration, meet_conditions, advance_to, fill_deliverables
):
    procurement = make_procurement(collaboration, phase=phases.CONTRACT)
    meet_conditions(procurement)
    procurement_transition(
        user=collaboration.coordinator, procurement_id=procurement.pk, transition="reopen", phase=phases.EVALUATION, reason="Ny evaluering."
    )
    procurement.refresh_from_db()
    advance_to(procurement, phases.CONTRACT)  # the award gate is signed again
    fill_deliverables(procurement)
    gate = _gate(procurement, GateKind.RECORD_STATE)
    assert not gate.passed and "Meddelelse om tildeling" in " ".join(readiness_for(procurement).blockers)
    with pytest.raises(TransitionRefused):
        procurement_transition(user=collaboration.coordinator, procurement_id=procurement.pk, transition="complete_phase")
    meet_conditions(procurement)  # a new notice, sent long enough ago
    assert AwardNotice.objects.filter(procurement=procurement, state=AwardNoticeState.SENT).count() == 1
    assert _gate(procurement, GateKind.RECORD_STATE).passed


def test_reopening_only_the_contract_phase_keeps_the_notice(make_procurement, collaboration, meet_conditions, advance_to):
    procurement = make_procurement(collaboration, phase=phases.ACCEPTANCE_TEST)
    procurement_transition(
        user=collaboration.coordinator, procurement_id=procurement.pk, transition="reopen", phase=phases.CONTRACT, reason="DPA må rettes."
    )
    assert AwardNotice.objects.get(procurement=procurement).state == AwardNoticeState.SENT
