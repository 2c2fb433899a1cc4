"""Sign-off gates (procurement/services/signoffs.py): who signs which gate, in which order,
for which municipality or body, what a new document version does to earlier signatures,
and that every sign-off is in the audit log."""
import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.models import AuditEntry
from municipalities.roles import Role
from procurement import phases
from procurement.exceptions import SignOffRefused, StaleDocument, TransitionRefused
from procurement.models import DeliverableDefinition, GateStep, Procurement, SignOff
from procurement.readiness import body_slot, municipality_slot, readiness_for
from procurement.recipients import pending_signers
from procurement.selectors.detail import procurement_detail
from procurement.selectors.tasks import tasks_for
from procurement.services.deliverables import deliverable_version_add
from procurement.services.lifecycle import procurement_transition
from procurement.services.signoffs import signoff_record

pytestmark = pytest.mark.django_db


def _state(procurement) -> str:
    return Procurement.objects.values_list("state", flat=True).get(pk=procurement.pk)


def _gate(procurement, code):
    procurement.refresh_from_db()
    return next(g for g in readiness_for(procurement).gates if g.gate.code == code)


def _step(code, order=1) -> GateStep:
    return GateStep.objects.get(gate__code=code, order=order)


def _sign(user, procurement, step, slot, *, decision="approve", comment="", sha=None):
    if sha is None:
        definition = step.gate.document
        sha = procurement.deliverables.get(definition=definition).current_version.sha256
    return signoff_record(
        user=user,
        procurement_id=procurement.pk,
        step_id=step.pk,
        slot=slot,
        decision=decision,
        comment=comment,
        document_sha256=sha,
    )


def _live(procurement, code=None):
    rows = SignOff.objects.filter(procurement=procurement, voided_at__isnull=True)
    return rows.filter(step__gate__code=code) if code else rows


def _automatic_completions(procurement, from_state):
    return [
        e
        for e in AuditEntry.objects.filter(procurement=procurement, action="procurement.complete_phase")
        if e.data["from"] == from_state
    ]


@pytest.fixture
def at_phase(make_collaboration, make_procurement, fill_deliverables, meet_conditions):
    """(world, procurement) in PHASE with every required deliverable written and the
    phase's record conditions met (in the contract phase: the standstill period is over),
    so only the signatures stand between it and the next phase."""

    def build(phase, municipalities=3, **kwargs):
        world = make_collaboration(municipalities)
        procurement = make_procurement(world, phase=phase, **kwargs)
        fill_deliverables(procurement)
        meet_conditions(procurement)
        return world, procurement

    return build


# --------------------------------------------------------------------------- go / no-go


def test_go_no_go_is_decided_by_the_suksit_coordinator(at_phase):
    world, procurement = at_phase(phases.STRATEGY)
    step, suksit = _step("go-no-go"), world.bodies["steering_group"]
    gate = _gate(procurement, "go-no-go")
    assert [s.slot for s in gate.open_step.slots] == [body_slot(suksit.pk)]

    lead = world.municipalities[0]
    for outsider in (world.rmu_chief, world.representative(lead), world.chief_executive(lead)):
        with pytest.raises(PermissionDenied):
            _sign(outsider, procurement, step, body_slot(suksit.pk))
    assert not SignOff.objects.exists()

    signoff = _sign(world.coordinator, procurement, step, body_slot(suksit.pk))
    assert (signoff.person, signoff.role, signoff.body, signoff.municipality) == (
        world.coordinator,
        Role.COORDINATOR,
        suksit,
        None,
    )
    # The decision moves the phase on without a second click.
    assert _state(procurement) == phases.PROCEDURE
    [entry] = _automatic_completions(procurement, phases.STRATEGY)
    assert entry.data == {"from": phases.STRATEGY, "to": phases.PROCEDURE, "automatic": True}
    assert entry.actor == world.coordinator


def test_a_passed_gate_waits_for_the_missing_deliverables(make_collaboration, make_procurement, fill_deliverables):
    world = make_collaboration(2)
    procurement = make_procurement(world, phase=phases.STRATEGY)
    fill_deliverables(procurement, skip=("strategy-cooperation-agreement",))
    _sign(world.coordinator, procurement, _step("go-no-go"), body_slot(world.bodies["steering_group"].pk))
    assert _gate(procurement, "go-no-go").passed
    assert _state(procurement) == phases.STRATEGY  # not every deliverable is there yet
    fill_deliverables(procurement)
    procurement_transition(user=world.coordinator, procurement_id=procurement.pk, transition="complete_phase")
    assert _state(procurement) == phases.PROCEDURE


# --------------------------------------------------------------------------- award


def test_award_needs_suksit_before_the_rmu_chief_executive(at_phase):
    world, procurement = at_phase(phases.EVALUATION)
    step1, step2 = _step("award", 1), _step("award", 2)
    suksit, rmu = world.bodies["steering_group"], world.bodies["executive_committee"]

    with pytest.raises(SignOffRefused, match="tidligere godkjenningssteg"):
        _sign(world.rmu_chief, procurement, step2, body_slot(rmu.pk))
    with pytest.raises(PermissionDenied):  # the RMU chief cannot do SuksIT's step either
        _sign(world.rmu_chief, procurement, step1, body_slot(suksit.pk))

    _sign(world.coordinator, procurement, step1, body_slot(suksit.pk))
    gate = _gate(procurement, "award")
    assert not gate.passed and gate.open_step.step == step2
    assert _state(procurement) == phases.EVALUATION

    with pytest.raises(PermissionDenied):  # the coordinator is not the RMU's chief executive
        _sign(world.coordinator, procurement, step2, body_slot(rmu.pk))
    _sign(world.rmu_chief, procurement, step2, body_slot(rmu.pk))
    assert _state(procurement) == phases.CONTRACT
    assert len(_automatic_completions(procurement, phases.EVALUATION)) == 1


def test_a_rejected_first_step_keeps_the_second_closed(at_phase):
    world, procurement = at_phase(phases.EVALUATION, municipalities=2)
    suksit, rmu = world.bodies["steering_group"], world.bodies["executive_committee"]
    _sign(world.coordinator, procurement, _step("award", 1), body_slot(suksit.pk), decision="reject", comment="Rangeringen mangler begrunnelse.")
    with pytest.raises(SignOffRefused):
        _sign(world.rmu_chief, procurement, _step("award", 2), body_slot(rmu.pk))
    gate = _gate(procurement, "award")
    assert gate.rejected and not gate.passed
    with pytest.raises(TransitionRefused) as refused:
        procurement_transition(user=world.coordinator, procurement_id=procurement.pk, transition="complete_phase")
    assert any("avvist" in reason for reason in refused.value.reasons)
    assert _state(procurement) == phases.EVALUATION


# --------------------------------------------------------------------------- DPA


def test_dpa_needs_the_chief_executive_of_every_participant(at_phase):
    world, procurement = at_phase(phases.CONTRACT, municipalities=7)
    step = _step("dpa")
    members = world.municipalities
    slots = _gate(procurement, "dpa").open_step.slots
    assert sorted(s.slot for s in slots) == sorted(municipality_slot(m.pk) for m in members)
    assert len(slots) == 7

    for number, municipality in enumerate(members[:6], start=1):
        _sign(world.chief_executive(municipality), procurement, step, municipality_slot(municipality.pk))
        assert _live(procurement, "dpa").count() == number
        gate = _gate(procurement, "dpa")
        assert not gate.passed
        assert _state(procurement) == phases.CONTRACT
    assert [s.municipality_id for s in _gate(procurement, "dpa").open_step.waiting_for] == [members[6].pk]
    assert _automatic_completions(procurement, phases.CONTRACT) == []

    _sign(world.chief_executive(members[6]), procurement, step, municipality_slot(members[6].pk))
    assert _state(procurement) == phases.ACCEPTANCE_TEST
    assert len(_automatic_completions(procurement, phases.CONTRACT)) == 1


def test_a_declined_municipality_is_not_asked_and_cannot_sign(
    make_collaboration, make_procurement, fill_deliverables, meet_conditions
):
    world = make_collaboration(4)
    *joined, declined = world.municipalities
    procurement = make_procurement(world, joined=joined, declined=[declined], phase=phases.CONTRACT)
    fill_deliverables(procurement)
    meet_conditions(procurement)
    step, declined_chief = _step("dpa"), world.chief_executive(declined)

    slots = _gate(procurement, "dpa").open_step.slots
    assert {s.municipality_id for s in slots} == {m.pk for m in joined}
    assert declined_chief not in pending_signers(procurement)
    assert set(pending_signers(procurement)) >= {world.chief_executive(m) for m in joined}
    assert tasks_for(user=declined_chief)["signatures"] == []
    assert len(tasks_for(user=world.chief_executive(joined[0]))["signatures"]) == 1

    with pytest.raises(SignOffRefused):
        _sign(declined_chief, procurement, step, municipality_slot(declined.pk))
    assert not _live(procurement, "dpa").exists()

    for municipality in joined:
        _sign(world.chief_executive(municipality), procurement, step, municipality_slot(municipality.pk))
    assert _state(procurement) == phases.ACCEPTANCE_TEST


# --------------------------------------------------------------------------- acceptance


def test_acceptance_by_a_user_representative_of_each_participant(at_phase):
    world, procurement = at_phase(phases.ACCEPTANCE_TEST)
    step = _step("acceptance")
    first, *rest = world.municipalities
    with pytest.raises(PermissionDenied):  # a chief executive is not a user representative
        _sign(world.chief_executive(first), procurement, step, municipality_slot(first.pk))
    _sign(world.user_representative(first), procurement, step, municipality_slot(first.pk))
    for municipality in rest:
        assert _state(procurement) == phases.ACCEPTANCE_TEST
        _sign(world.user_representative(municipality), procurement, step, municipality_slot(municipality.pk))
    assert _state(procurement) == phases.CONTRACT_MANAGEMENT
    assert set(_live(procurement, "acceptance").values_list("role", flat=True)) == {Role.USER_REPRESENTATIVE}


# --------------------------------------------------------------------------- refusals


@pytest.mark.parametrize("comment", ["", "   "])
def test_reject_needs_a_comment(at_phase, comment):
    world, procurement = at_phase(phases.STRATEGY, municipalities=2)
    slot = body_slot(world.bodies["steering_group"].pk)
    with pytest.raises(ValidationError) as error:
        _sign(world.coordinator, procurement, _step("go-no-go"), slot, decision="reject", comment=comment)
    assert "comment" in error.value.message_dict
    assert not SignOff.objects.exists()


def test_reject_with_a_comment_holds_the_phase(at_phase):
    world, procurement = at_phase(phases.STRATEGY, municipalities=2)
    slot = body_slot(world.bodies["steering_group"].pk)
    signoff = _sign(world.coordinator, procurement, _step("go-no-go"), slot, decision="reject", comment=" Ikke godt nok. ")
    assert (signoff.decision, signoff.comment) == ("reject", "Ikke godt nok.")
    assert _gate(procurement, "go-no-go").rejected
    assert _state(procurement) == phases.STRATEGY


def test_unknown_decision_refused(at_phase):
    world, procurement = at_phase(phases.STRATEGY, municipalities=2)
    with pytest.raises(ValidationError):
        _sign(world.coordinator, procurement, _step("go-no-go"), body_slot(world.bodies["steering_group"].pk), decision="maybe")


def test_nobody_signs_for_a_municipality_they_do_not_belong_to(at_phase, make_collaboration):
    world, procurement = at_phase(phases.CONTRACT)
    last_entry = AuditEntry.objects.order_by("-id").first().pk
    step = _step("dpa")
    mine, theirs, _ = world.municipalities
    with pytest.raises(PermissionDenied):
        _sign(world.chief_executive(mine), procurement, step, municipality_slot(theirs.pk))
    with pytest.raises(PermissionDenied):  # right municipality, wrong role
        _sign(world.user_representative(theirs), procurement, step, municipality_slot(theirs.pk))
    with pytest.raises(PermissionDenied):  # the coordinator runs the procurement but signs no DPA
        _sign(world.coordinator, procurement, step, municipality_slot(theirs.pk))
    stranger = make_collaboration(1, name="Nabo-regionen")
    with pytest.raises(PermissionDenied):
        _sign(stranger.chief_executive(stranger.municipalities[0]), procurement, step, municipality_slot(theirs.pk))
    assert not _live(procurement, "dpa").exists()
    # Four refusals on record, and nothing else about signatures.
    actions = list(AuditEntry.objects.filter(pk__gt=last_entry, action__startswith="signoff.").values_list("action", flat=True))
    assert actions == ["signoff.refused"] * 4


def test_signing_twice_for_the_same_slot_refused(at_phase, person_with_role):
    world, procurement = at_phase(phases.CONTRACT)
    step, municipality = _step("dpa"), world.municipalities[0]
    slot = municipality_slot(municipality.pk)
    _sign(world.chief_executive(municipality), procurement, step, slot)
    with pytest.raises(SignOffRefused, match="allerede signert"):
        _sign(world.chief_executive(municipality), procurement, step, slot)
    deputy = person_with_role(Role.CHIEF_EXECUTIVE, municipality=municipality)  # a second chief executive
    with pytest.raises(SignOffRefused, match="allerede signert"):
        _sign(deputy, procurement, step, slot)
    assert _live(procurement, "dpa").count() == 1


def test_a_gate_of_another_phase_cannot_be_signed(at_phase):
    world, procurement = at_phase(phases.CONTRACT, municipalities=2)
    with pytest.raises(SignOffRefused, match="fasen"):
        signoff_record(
            user=world.coordinator,
            procurement_id=procurement.pk,
            step_id=_step("award", 1).pk,
            slot=body_slot(world.bodies["steering_group"].pk),
            decision="approve",
        )


def test_nothing_to_sign_before_the_document_is_delivered(make_collaboration, make_procurement, fill_deliverables):
    world = make_collaboration(2)
    procurement = make_procurement(world, phase=phases.CONTRACT)
    fill_deliverables(procurement, skip=("contract-dpa",))
    municipality = world.municipalities[0]
    with pytest.raises(SignOffRefused, match="ikke levert"):
        signoff_record(
            user=world.chief_executive(municipality),
            procurement_id=procurement.pk,
            step_id=_step("dpa").pk,
            slot=municipality_slot(municipality.pk),
            decision="approve",
        )


# --------------------------------------------------------------------------- document versions


def test_a_new_version_voids_earlier_signatures(at_phase):
    world, procurement = at_phase(phases.CONTRACT)
    step, dpa = _step("dpa"), DeliverableDefinition.objects.get(code="contract-dpa")
    first, second, third = world.municipalities
    old_version = procurement.deliverables.get(definition=dpa).current_version
    signed = [
        _sign(world.chief_executive(m), procurement, step, municipality_slot(m.pk)) for m in (first, second)
    ]

    new_version = deliverable_version_add(
        user=world.coordinator, procurement=procurement, definition=dpa, text="Databehandleravtale, revidert annex II."
    )
    assert new_version.number == old_version.number + 1
    for signoff in signed:
        signoff.refresh_from_db()
        assert signoff.voided_at is not None and signoff.is_void
        assert signoff.voided_by_version == new_version
        assert signoff.document_version == old_version  # what they approved stays on record
    assert SignOff.objects.filter(procurement=procurement, step=step).count() == 2
    assert _live(procurement, "dpa").count() == 0

    gate = _gate(procurement, "dpa")
    assert not gate.passed
    assert {s.municipality_id for s in gate.open_step.waiting_for} == {first.pk, second.pk, third.pk}
    detail = procurement_detail(user=world.coordinator, procurement_id=procurement.pk)
    assert {s.pk for s in detail["voided_signoffs"]} == {s.pk for s in signed}
    upload_entry = AuditEntry.objects.filter(procurement=procurement, action="deliverable.uploaded").first()
    assert upload_entry.data["voided_signoffs"] == 2

    # Signing the old text is refused; the new one is what counts.
    with pytest.raises(StaleDocument):
        _sign(world.chief_executive(first), procurement, step, municipality_slot(first.pk), sha=old_version.sha256)
    again = _sign(world.chief_executive(first), procurement, step, municipality_slot(first.pk), sha=new_version.sha256)
    assert again.document_version == new_version


def test_a_new_version_makes_a_passed_gate_unpassed(make_collaboration, make_procurement, fill_deliverables):
    world = make_collaboration(2)
    procurement = make_procurement(world, phase=phases.STRATEGY)
    fill_deliverables(procurement, skip=("strategy-roles",))  # keeps the phase from moving on
    basis = DeliverableDefinition.objects.get(code="strategy-decision-basis")
    signoff = _sign(world.coordinator, procurement, _step("go-no-go"), body_slot(world.bodies["steering_group"].pk))
    assert _gate(procurement, "go-no-go").passed

    deliverable_version_add(user=world.coordinator, procurement=procurement, definition=basis, text="Nytt beslutningsgrunnlag.")
    signoff.refresh_from_db()
    assert signoff.is_void
    assert not _gate(procurement, "go-no-go").passed
    fill_deliverables(procurement)
    with pytest.raises(TransitionRefused):
        procurement_transition(user=world.coordinator, procurement_id=procurement.pk, transition="complete_phase")


def test_a_completed_phases_gate_keeps_its_signatures(make_collaboration, make_procurement):
    world = make_collaboration(2)
    procurement = make_procurement(world, phase=phases.CONTRACT)
    basis = DeliverableDefinition.objects.get(code="strategy-decision-basis")
    try:
        deliverable_version_add(user=world.coordinator, procurement=procurement, definition=basis, text="Etterpåklokt.")
    except ValidationError:
        pass  # refusing the new version is one acceptable fix
    voided = SignOff.objects.filter(procurement=procurement, step__gate__code="go-no-go", voided_at__isnull=False)
    assert not voided.exists(), "the go/no-go decision of a procurement that moved on is now void for good"


def test_the_sha256_recorded_is_the_versions(at_phase):
    world, procurement = at_phase(phases.CONTRACT, municipalities=2)
    dpa = DeliverableDefinition.objects.get(code="contract-dpa")
    text_version = procurement.deliverables.get(definition=dpa).current_version
    first, second = world.municipalities
    signoff = _sign(world.chief_executive(first), procurement, _step("dpa"), municipality_slot(first.pk))
    assert signoff.document_version == text_version
    assert signoff.document_sha256 == text_version.sha256 == hashlib.sha256(text_version.text.encode()).hexdigest()

    content = b"%PDF-1.7\nDatabehandleravtale signert versjon\n%%EOF\n"
    file_version = deliverable_version_add(
        user=world.coordinator,
        procurement=procurement,
        definition=dpa,
        file=SimpleUploadedFile("dpa.pdf", content, content_type="application/pdf"),
    )
    assert file_version.sha256 == hashlib.sha256(content).hexdigest()
    signoff = _sign(world.chief_executive(second), procurement, _step("dpa"), municipality_slot(second.pk))
    assert (signoff.document_version, signoff.document_sha256) == (file_version, hashlib.sha256(content).hexdigest())


def test_a_stale_document_hash_is_refused_and_nothing_is_written(at_phase):
    world, procurement = at_phase(phases.CONTRACT, municipalities=2)
    municipality = world.municipalities[0]
    audit_before = AuditEntry.objects.count()
    with pytest.raises(StaleDocument):
        _sign(world.chief_executive(municipality), procurement, _step("dpa"), municipality_slot(municipality.pk), sha="0" * 64)
    assert not _live(procurement, "dpa").exists()
    assert list(AuditEntry.objects.order_by("id").values_list("action", flat=True)[audit_before:]) == ["signoff.refused"]


# --------------------------------------------------------------------------- audit


def test_every_signoff_is_in_the_audit_log(at_phase):
    world, procurement = at_phase(phases.CONTRACT)
    step = _step("dpa")
    first, second, third = world.municipalities
    _sign(world.chief_executive(first), procurement, step, municipality_slot(first.pk))
    _sign(world.chief_executive(second), procurement, step, municipality_slot(second.pk), decision="reject", comment="Mangler annex IV.")
    entries = [
        e
        for e in AuditEntry.objects.filter(procurement=procurement, action__startswith="signoff.").order_by("id")
        if e.data["gate"] == "dpa"
    ]
    assert [(e.action, e.actor, e.municipality) for e in entries] == [
        ("signoff.approve", world.chief_executive(first), first),
        ("signoff.reject", world.chief_executive(second), second),
    ]
    sha = procurement.deliverables.get(definition__code="contract-dpa").current_version.sha256
    for entry, decision in zip(entries, ("approve", "reject"), strict=True):
        assert entry.data == {"gate": "dpa", "step": step.pk, "sha256": sha, "decision": decision}
    assert "Mangler annex IV." in entries[1].message
    assert third.name not in entries[0].message
    # The gates signed on the way here (go/no-go, award) are in the log too, one entry each.
    all_signoffs = AuditEntry.objects.filter(procurement=procurement, action__startswith="signoff.")
    assert {e.data["gate"] for e in all_signoffs} == {"go-no-go", "award", "dpa"}
    assert all_signoffs.count() == SignOff.objects.filter(procurement=procurement).count() == 5


def test_the_database_itself_allows_one_live_signature_per_slot(at_phase):
    world, procurement = at_phase(phases.CONTRACT, municipalities=2)
    municipality = world.municipalities[0]
    signoff = _sign(world.chief_executive(municipality), procurement, _step("dpa"), municipality_slot(municipality.pk))
    duplicate = SignOff(
        procurement=procurement,
        step=signoff.step,
        slot=signoff.slot,
        person=signoff.person,
        role=signoff.role,
        municipality=municipality,
        decision="approve",
        document_version=signoff.document_version,
        document_sha256=signoff.document_sha256,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()
    SignOff.objects.filter(pk=signoff.pk).update(voided_at=timezone.now())
    duplicate.save()  # a voided signature does not hold the slot
    assert _live(procurement, "dpa").get() == duplicate
