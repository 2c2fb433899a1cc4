"""The procurement state machine (django-fsm-2) and the lifecycle service that fires it:
guards, the order of the phases, cancellation, final states, permissions and the
optimistic locking of ConcurrentTransitionMixin."""
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django_fsm import ConcurrentTransition

from audit.models import AuditEntry
from municipalities.roles import Role
from procurement import phases
from procurement.exceptions import TransitionRefused
from procurement.models import Deadline, DeadlineKind, DeliverableDefinition, Procurement
from procurement.services.intake import cost_shares_set, invitation_answer
from procurement.services.lifecycle import TRANSITIONS, available_transitions, procurement_transition

pytestmark = pytest.mark.django_db


def _fire(procurement, transition, user, reason=""):
    return procurement_transition(user=user, procurement_id=procurement.pk, transition=transition, reason=reason)


def _state(procurement) -> str:
    return Procurement.objects.values_list("state", flat=True).get(pk=procurement.pk)


def _transitions(procurement) -> list[tuple[str, str]]:
    entries = AuditEntry.objects.filter(procurement=procurement, action__startswith="procurement.").exclude(
        action="procurement.reported"
    )
    return [(e.data["from"], e.data["to"]) for e in entries.order_by("at", "id")]


@pytest.fixture
def world(make_collaboration):
    return make_collaboration(3)


# --------------------------------------------------------------------------- start


def test_start_refused_before_invitations_are_sent(world, make_procurement):
    procurement = make_procurement(world, joined=world.municipalities[:1])
    with pytest.raises(TransitionRefused) as refused:
        _fire(procurement, "start", world.coordinator)
    assert any("Invitasjon" in reason and "ikke sendt" in reason for reason in refused.value.reasons)
    assert _state(procurement) == phases.INTAKE


def test_start_refused_while_an_invited_municipality_has_not_answered(world, make_procurement):
    lead, joined, silent = world.municipalities
    procurement = make_procurement(world, joined=[lead, joined], unanswered=[silent])
    with pytest.raises(TransitionRefused) as refused:
        _fire(procurement, "start", world.coordinator)
    assert any("Venter på svar" in reason and silent.name in reason for reason in refused.value.reasons)
    assert not any(joined.name in reason for reason in refused.value.reasons)
    assert _state(procurement) == phases.INTAKE


def test_start_allowed_once_the_answer_deadline_has_passed(world, make_procurement):
    lead, joined, silent = world.municipalities
    procurement = make_procurement(world, joined=[lead, joined], unanswered=[silent])
    today = timezone.localdate(timezone=world.collaboration.tzinfo)
    # The deadline day itself still counts as open ...
    Procurement.objects.filter(pk=procurement.pk).update(invitation_deadline=today)
    with pytest.raises(TransitionRefused):
        _fire(procurement, "start", world.coordinator)
    # ... the day after, the silent municipality is simply not part of it.
    Procurement.objects.filter(pk=procurement.pk).update(invitation_deadline=today - timedelta(days=1))
    assert _fire(procurement, "start", world.coordinator).state == phases.NEEDS


def test_start_allowed_when_everybody_answered_including_a_decline(world, make_procurement):
    lead, joined, declined = world.municipalities
    procurement = make_procurement(world, joined=[lead, joined], declined=[declined])
    started = _fire(procurement, "start", world.coordinator)
    assert started.state == phases.NEEDS
    assert _transitions(procurement) == [(phases.INTAKE, phases.NEEDS)]
    shares = {p.municipality_id: p.cost_share for p in started.participations.all()}
    assert shares == {lead.pk: Decimal("50.00"), joined.pk: Decimal("50.00"), declined.pk: None}


def test_start_needs_cost_shares_at_100(world, make_procurement):
    lead, early, late = world.municipalities
    procurement = make_procurement(world, joined=[lead, early], unanswered=[late])
    cost_shares_set(
        user=world.coordinator,
        procurement=procurement,
        method="custom",
        custom={lead.pk: Decimal("70"), early.pk: Decimal("30")},
    )
    # A custom key is not recomputed when somebody joins late: it no longer covers everyone.
    invitation_answer(user=world.chief_executive(late), procurement=procurement, municipality=late, join=True)
    with pytest.raises(TransitionRefused) as refused:
        _fire(procurement, "start", world.coordinator)
    assert any("Kostnadsfordelingen" in reason for reason in refused.value.reasons)

    cost_shares_set(
        user=world.coordinator,
        procurement=procurement,
        method="custom",
        custom={lead.pk: Decimal("50"), early.pk: Decimal("25"), late.pk: Decimal("25")},
    )
    assert _fire(procurement, "start", world.coordinator).state == phases.NEEDS


def test_refused_custom_key_changes_nothing(world, make_procurement):
    lead, other, _ = world.municipalities
    procurement = make_procurement(world, joined=[lead, other], declined=[world.municipalities[2]])
    with pytest.raises(ValidationError, match="100"):
        cost_shares_set(
            user=world.coordinator,
            procurement=procurement,
            method="custom",
            custom={lead.pk: Decimal("60"), other.pk: Decimal("30")},
        )
    procurement.refresh_from_db()
    assert procurement.cost_sharing_method == "equal"  # the whole service rolled back
    assert sorted(p.cost_share for p in procurement.participations.filter(status="joined")) == [Decimal("50.00")] * 2


# --------------------------------------------------------------------------- phases


def test_complete_phase_refused_while_a_required_deliverable_is_missing(world, make_procurement, fill_deliverables):
    procurement = make_procurement(world, phase=phases.NEEDS)
    summary = DeliverableDefinition.objects.get(code="needs-summary")
    fill_deliverables(procurement, skip=("needs-summary",))
    with pytest.raises(TransitionRefused) as refused:
        _fire(procurement, "complete_phase", world.coordinator)
    assert refused.value.reasons == [f"Mangler leveranse: {summary.name}"]
    assert _state(procurement) == phases.NEEDS

    fill_deliverables(procurement)
    assert _fire(procurement, "complete_phase", world.coordinator).state == phases.TARGET_PICTURE


def test_optional_deliverables_do_not_hold_a_phase(world, make_procurement, fill_deliverables):
    procurement = make_procurement(world, phase=phases.EVALUATION)
    optional = set(DeliverableDefinition.objects.filter(phase__code=phases.EVALUATION, required=False).values_list("code", flat=True))
    assert optional  # the test would prove nothing without them
    written = fill_deliverables(procurement)
    assert not optional & set(written)
    from procurement.readiness import readiness_for

    assert readiness_for(procurement).deliverables_present


def test_complete_phase_refused_while_a_gate_is_unsigned(world, make_procurement, fill_deliverables):
    procurement = make_procurement(world, phase=phases.STRATEGY)
    fill_deliverables(procurement)
    with pytest.raises(TransitionRefused) as refused:
        _fire(procurement, "complete_phase", world.coordinator)
    assert len(refused.value.reasons) == 1
    assert "venter på koordinator" in refused.value.reasons[0]
    assert _state(procurement) == phases.STRATEGY


def test_phases_go_in_order_through_to_closed(world, make_procurement, advance_to):
    procurement = make_procurement(world)
    visited = []
    for target in (*phases.PHASES, phases.CLOSED):
        advance_to(procurement, target)
        visited.append(_state(procurement))
    assert visited == [*phases.PHASES, phases.CLOSED]
    # Every step was one transition from a phase to the next one, recorded in the audit log.
    expected = list(zip((phases.INTAKE, *phases.PHASES), (*phases.PHASES, phases.CLOSED), strict=True))
    assert _transitions(procurement) == expected
    assert [phases.next_phase(p) for p in phases.PHASES] == [*phases.PHASES[1:], phases.CLOSED]


def test_the_last_phase_is_closed_not_completed(world, make_procurement, fill_deliverables):
    procurement = make_procurement(world, phase=phases.CONTRACT_MANAGEMENT)
    fill_deliverables(procurement)
    with pytest.raises(TransitionRefused):
        _fire(procurement, "complete_phase", world.coordinator)
    assert _fire(procurement, "close", world.coordinator).state == phases.CLOSED


def test_close_is_only_for_contract_management(world, make_procurement, fill_deliverables):
    procurement = make_procurement(world, phase=phases.NEEDS)
    fill_deliverables(procurement)
    with pytest.raises(TransitionRefused):
        _fire(procurement, "close", world.coordinator)
    assert _state(procurement) == phases.NEEDS


def test_a_transition_marks_the_phase_deadlines_done(world, make_procurement, fill_deliverables):
    procurement = make_procurement(world, phase=phases.NEEDS)
    deadline = Deadline.objects.create(
        procurement=procurement,
        kind=DeadlineKind.PHASE,
        phase=phases.NEEDS,
        title="Behov kartlagt",
        due_date=timezone.localdate(),
    )
    fill_deliverables(procurement)
    _fire(procurement, "complete_phase", world.coordinator)
    deadline.refresh_from_db()
    assert deadline.done_at is not None


def test_starting_closes_the_invitation_answer_deadline(world, make_procurement):
    # Once started nobody can answer any more (invitation_answer refuses), so the answer
    # deadline must not stay open: the dashboard would show it as the next deadline and
    # the reminder task would keep asking the silent municipality to answer.
    lead, joined, silent = world.municipalities
    procurement = make_procurement(world, joined=[lead, joined], unanswered=[silent])
    Procurement.objects.filter(pk=procurement.pk).update(
        invitation_deadline=timezone.localdate(timezone=world.collaboration.tzinfo) - timedelta(days=1)
    )
    _fire(procurement, "start", world.coordinator)
    deadline = Deadline.objects.get(procurement=procurement, kind=DeadlineKind.INVITATION_ANSWER)
    assert deadline.done_at is not None


def test_unknown_transition_refused(procurement, collaboration):
    with pytest.raises(TransitionRefused):
        _fire(procurement, "delete", collaboration.coordinator)


# --------------------------------------------------------------------------- cancel and final states


@pytest.mark.parametrize("state", phases.OPEN_STATES)
def test_cancel_from_every_open_state_with_a_reason(make_collaboration, make_procurement, state):
    world = make_collaboration(2)
    procurement = make_procurement(world, phase=state)
    assert _state(procurement) == state
    cancelled = _fire(procurement, "cancel", world.coordinator, reason="  Budsjettet ble strøket.  ")
    assert cancelled.state == phases.CANCELLED
    procurement.refresh_from_db()
    assert procurement.cancel_reason == "Budsjettet ble strøket."
    entry = AuditEntry.objects.filter(procurement=procurement, action="procurement.cancel").get()
    assert entry.data == {"from": state, "to": phases.CANCELLED, "automatic": False}
    assert "Budsjettet ble strøket." in entry.message
    assert entry.actor == world.coordinator


@pytest.mark.parametrize("reason", ["", "   \n"])
def test_cancel_refused_without_a_reason(procurement, collaboration, reason):
    with pytest.raises(TransitionRefused, match="begrunnelse"):
        _fire(procurement, "cancel", collaboration.coordinator, reason=reason)
    assert _state(procurement) == phases.INTAKE
    assert not AuditEntry.objects.filter(procurement=procurement, action="procurement.cancel").exists()


def test_no_transition_out_of_cancelled(procurement, collaboration):
    _fire(procurement, "cancel", collaboration.coordinator, reason="Dropper det.")
    for name in TRANSITIONS:
        with pytest.raises(TransitionRefused):
            _fire(procurement, name, collaboration.coordinator, reason="Igjen.")
        assert _state(procurement) == phases.CANCELLED
    assert available_transitions(procurement=Procurement.objects.get(pk=procurement.pk), user=collaboration.coordinator) == []


def test_no_transition_out_of_closed(make_collaboration, make_procurement):
    world = make_collaboration(2)
    procurement = make_procurement(world, phase=phases.CLOSED)
    for name in TRANSITIONS:
        with pytest.raises(TransitionRefused):
            _fire(procurement, name, world.coordinator, reason="Likevel.")
        assert _state(procurement) == phases.CLOSED
    assert available_transitions(procurement=Procurement.objects.get(pk=procurement.pk), user=world.coordinator) == []


# --------------------------------------------------------------------------- permissions


@pytest.mark.parametrize("role", [Role.CHIEF_EXECUTIVE, Role.MUNICIPAL_REPRESENTATIVE, Role.USER_REPRESENTATIVE])
@pytest.mark.parametrize("transition", ["start", "cancel"])
def test_a_participant_who_does_not_run_the_procurement_is_denied(collaboration, make_procurement, role, transition):
    procurement = make_procurement(collaboration)
    person = collaboration.person(role, collaboration.municipalities[0])  # even the lead municipality
    assert person.has_perm("procurement.view_procurement", procurement)
    with pytest.raises(PermissionDenied):
        _fire(procurement, transition, person, reason="Vil ikke.")
    assert _state(procurement) == phases.INTAKE


def test_a_person_from_another_collaboration_is_denied(procurement, make_collaboration):
    stranger = make_collaboration(1, name="Annet samarbeid").coordinator
    assert not stranger.has_perm("procurement.view_procurement", procurement)
    with pytest.raises(PermissionDenied):
        _fire(procurement, "cancel", stranger, reason="Vil ikke.")
    assert _state(procurement) == phases.INTAKE


def test_the_buttons_are_the_transitions_the_user_may_fire(make_procurement, collaboration, fill_deliverables):
    procurement = make_procurement(collaboration, phase=phases.NEEDS)

    def names(user):
        fresh = Procurement.objects.get(pk=procurement.pk)
        return sorted(t.name for t in available_transitions(procurement=fresh, user=user))

    assert names(collaboration.coordinator) == ["cancel"]  # deliverables missing
    fill_deliverables(procurement)
    assert names(collaboration.coordinator) == ["cancel", "complete_phase"]
    assert names(collaboration.chief_executive(collaboration.municipalities[0])) == []


# --------------------------------------------------------------------------- the FSM field itself


def test_the_state_field_cannot_be_assigned(procurement):
    fresh = Procurement.objects.get(pk=procurement.pk)
    with pytest.raises(AttributeError, match="Direct state modification is not allowed"):
        fresh.state = phases.CLOSED
    assert fresh.state == phases.INTAKE


def test_concurrent_transition_on_a_stale_instance_raises(procurement, collaboration):
    first = Procurement.objects.get(pk=procurement.pk)
    second = Procurement.objects.get(pk=procurement.pk)
    first.cancel(reason="Først")
    first.save()
    second.cancel(reason="Nummer to")
    with pytest.raises(ConcurrentTransition), transaction.atomic():
        second.save()
    procurement.refresh_from_db()
    assert (procurement.state, procurement.cancel_reason) == (phases.CANCELLED, "Først")


def test_concurrent_complete_phase_on_a_stale_instance_raises(make_procurement, collaboration, fill_deliverables):
    procurement = make_procurement(collaboration, phase=phases.NEEDS)
    fill_deliverables(procurement)
    first = Procurement.objects.get(pk=procurement.pk)
    second = Procurement.objects.get(pk=procurement.pk)
    first.complete_phase()
    first.save()
    second.complete_phase()  # its stale view still says "needs", so the guard passes
    assert second.state == phases.TARGET_PICTURE
    with pytest.raises(ConcurrentTransition), transaction.atomic():
        second.save()
    assert _state(procurement) == phases.TARGET_PICTURE  # not two phases on
