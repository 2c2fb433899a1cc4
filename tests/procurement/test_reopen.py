"""Going back to an earlier phase (procurement.services.lifecycle, transition "reopen"): an
upheld complaint sends a procurement in the contract phase back to evaluation.

The gates of the reopened phases (evaluation and contract) lose their live signatures,
visibly and with the phase change that voided them; the phases before (the go/no-go in
strategy) keep theirs. Every refusal changes nothing and leaves a
procurement.transition_refused entry, over the service and over HTTP."""
from dataclasses import dataclass

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from audit.models import AuditEntry
from procurement import phases
from procurement.exceptions import TransitionRefused
from procurement.models import (
    PhaseChange,
    PhaseChangeKind,
    Procurement,
    SignOff,
    VoidReason,
)
from procurement.readiness import readiness_for
from procurement.services.lifecycle import procurement_transition
from procurement.services.signoffs import signoff_record
from tests.shared_data import built_once_per_module

REASON = "Klagen fra Leverandør AS er tatt til følge; tilbudene evalueres på nytt."


def _sign_one_dpa(procurement, signer_for):
    """The first participant's chief executive signs the data processing agreement."""
    gate = next(g for g in readiness_for(procurement).signature_gates if g.gate.code == "dpa")
    step = gate.open_step
    slot = step.slots[0]
    return signoff_record(
        user=signer_for(step, slot),
        procurement_id=procurement.pk,
        step_id=step.step.pk,
        slot=slot.slot,
        decision="approve",
        document_sha256=gate.document.current_version.sha256,
    )


def contract_with_signatures(world, make_procurement, fill_deliverables, signer_for, title="Felles fagsystem"):
    """A procurement in the contract phase: go/no-go and award signed on the way, the
    contract documents written and one chief executive's DPA signature given."""
    procurement = make_procurement(world, phase=phases.CONTRACT, title=title)
    fill_deliverables(procurement)
    _sign_one_dpa(procurement, signer_for)
    procurement.refresh_from_db()
    return procurement


def live(procurement, gate_code):
    return SignOff.objects.filter(procurement=procurement, step__gate__code=gate_code, voided_at__isnull=True)


def reopen(procurement, *, user, phase=phases.EVALUATION, reason=REASON):
    return procurement_transition(user=user, procurement_id=procurement.pk, transition="reopen", reason=reason, phase=phase)


# --------------------------------------------------------------------------------------
# Back from contract to evaluation, and forward again
# --------------------------------------------------------------------------------------


@pytest.fixture
def reopened(make_collaboration, make_procurement, fill_deliverables, signer_for):
    world = make_collaboration(3)
    procurement = contract_with_signatures(world, make_procurement, fill_deliverables, signer_for)
    before = {
        code: set(live(procurement, code).values_list("pk", flat=True)) for code in ("go-no-go", "award", "dpa")
    }
    audit_before = AuditEntry.objects.filter(procurement=procurement).count()
    reopen(procurement, user=world.coordinator)
    procurement.refresh_from_db()
    return world, procurement, before, audit_before


def test_the_signatures_before_reopening_are_what_the_test_expects(reopened):
    _world, _procurement, before, _audit = reopened
    assert (len(before["go-no-go"]), len(before["award"]), len(before["dpa"])) == (1, 2, 1)


def test_reopen_moves_the_procurement_back_and_records_the_change_with_its_reason(reopened):
    world, procurement, _before, _audit = reopened
    assert procurement.state == phases.EVALUATION
    change = PhaseChange.objects.filter(procurement=procurement).latest("id")
    assert (change.kind, change.from_state, change.to_state, change.reason, change.actor, change.automatic) == (
        PhaseChangeKind.REOPEN,
        phases.CONTRACT,
        phases.EVALUATION,
        REASON,
        world.coordinator,
        False,
    )


def test_reopen_voids_the_signatures_of_the_reopened_phases_gates_with_the_change(reopened):
    _world, procurement, before, _audit = reopened
    change = PhaseChange.objects.filter(procurement=procurement, kind=PhaseChangeKind.REOPEN).get()
    voided = SignOff.objects.filter(pk__in=before["award"] | before["dpa"])
    assert voided.count() == 3
    for signoff in voided:
        assert signoff.voided_at is not None
        assert signoff.void_reason == VoidReason.REOPENED
        assert signoff.voided_by_change == change
        assert signoff.voided_by_version is None


def test_reopen_leaves_the_earlier_phases_signatures_alone(reopened):
    _world, procurement, before, _audit = reopened
    assert set(live(procurement, "go-no-go").values_list("pk", flat=True)) == before["go-no-go"]
    assert SignOff.objects.get(pk=next(iter(before["go-no-go"]))).void_reason == ""


def test_reopen_is_audited_with_the_reason_and_the_voided_signatures(reopened):
    world, procurement, _before, audit_before = reopened
    entries = list(AuditEntry.objects.filter(procurement=procurement).order_by("id")[audit_before:])
    assert [entry.action for entry in entries] == ["procurement.reopen", "signoff.voided"]
    assert all(entry.actor == world.coordinator for entry in entries)
    assert REASON in entries[0].message and "Kontrakt" in entries[0].message and "Evaluering" in entries[0].message
    assert entries[1].data["voided_signoffs"] == 3
    assert entries[1].data["phases"] == [phases.EVALUATION, phases.CONTRACT]


def test_the_procurement_page_shows_the_reopening_and_the_voided_signatures(client, reopened):
    world, procurement, _before, _audit = reopened
    client.force_login(world.coordinator)
    page = client.get(reverse("procurement_detail", args=[procurement.pk])).content.decode()
    assert "Åpnet igjen" in page
    assert REASON in page
    # The two award signatures at the gate on the page, the DPA signature among the earlier ones.
    assert page.count("Ugyldig: fasen ble åpnet igjen") == 3


def test_forward_again_the_award_gate_must_be_signed_again_and_the_phase_moves_on(reopened, sign_gate):
    _world, procurement, before, _audit = reopened
    award = next(g for g in readiness_for(procurement).signature_gates if g.gate.code == "award")
    assert not award.passed
    assert award.open_step is award.steps[0]  # step 1 again, not only step 2

    signed = sign_gate(procurement, "award")

    procurement.refresh_from_db()
    assert len(signed) == 2
    assert procurement.state == phases.CONTRACT
    assert list(PhaseChange.objects.filter(procurement=procurement).values_list("kind", flat=True))[-2:] == [
        PhaseChangeKind.REOPEN,
        PhaseChangeKind.COMPLETE,
    ]
    assert set(live(procurement, "award").values_list("pk", flat=True)) == {s.pk for s in signed}
    assert not SignOff.objects.filter(pk__in=before["award"], voided_at__isnull=True).exists()  # still void
    # Back in contract, the DPA signature given before the reopening no longer counts.
    dpa = next(g for g in readiness_for(procurement).signature_gates if g.gate.code == "dpa")
    assert not live(procurement, "dpa").exists()
    assert len(dpa.open_step.waiting_for) == 3


# --------------------------------------------------------------------------------------
# Refusals: each changes nothing and is audited
# --------------------------------------------------------------------------------------


@dataclass
class Cases:
    world: object
    other: object  # another collaboration
    intake: Procurement
    needs: Procurement
    contract: Procurement
    closed: Procurement
    cancelled: Procurement


@pytest.fixture(scope="module")
def cases(django_db_setup, django_db_blocker):
    """Built once inside a transaction rolled back after the module; each test runs in a
    savepoint on top (pytest-django's db), as in tests/test_permissions.py."""
    from django.apps import apps

    from contracts.apps import standstill_minimums_after_migrate
    from procurement.catalogue_seed import national_template_ensure
    from tests.conftest import (
        fill_deliverables,
        make_collaboration,
        make_procurement,
        signer_for,
    )

    def build():
        national_template_ensure(apps)
        standstill_minimums_after_migrate(sender=None, apps=apps)
        world = make_collaboration(3, name="Reopen")
        other = make_collaboration(1, name="Reopen annet")
        cancelled = make_procurement(world, phase=phases.STRATEGY, title="Avlyst")
        procurement_transition(user=world.coordinator, procurement_id=cancelled.pk, transition="cancel", reason="Dekket.")
        return Cases(
            world=world,
            other=other,
            intake=make_procurement(world, title="Innmeldt"),
            needs=make_procurement(world, phase=phases.NEEDS, title="Behov"),
            contract=contract_with_signatures(world, make_procurement, fill_deliverables, signer_for, title="Kontrakt"),
            closed=make_procurement(world, phase=phases.CLOSED, title="Avsluttet"),
            cancelled=Procurement.objects.get(pk=cancelled.pk),
        )

    yield from built_once_per_module(django_db_blocker, build)


def _facts(procurement):
    procurement.refresh_from_db()
    return (
        procurement.state,
        PhaseChange.objects.filter(procurement=procurement).count(),
        SignOff.objects.filter(procurement=procurement, voided_at__isnull=True).count(),
    )


def _manager(c):
    return c.world.coordinator


def _user_representative(c):
    return c.world.user_representative(c.world.municipalities[0])


def _chief_executive(c):
    return c.world.chief_executive(c.world.municipalities[1])


def _stranger(c):
    return c.other.coordinator


REFUSALS = [
    # (case, procurement, who, phase, reason, error, message)
    ("no reason", "contract", _manager, phases.EVALUATION, "", TransitionRefused, "Skriv hvorfor anskaffelsen går tilbake"),
    ("a blank reason", "contract", _manager, phases.EVALUATION, "  \n ", TransitionRefused, "Skriv hvorfor"),
    ("a 10 000 character reason", "contract", _manager, phases.EVALUATION, "x" * 10_000, TransitionRefused, "Skriv høyst 2000 tegn (nå 10000)"),
    ("a later phase", "contract", _manager, phases.ACCEPTANCE_TEST, REASON, TransitionRefused, "Velg en fase anskaffelsen allerede har vært gjennom"),
    ("the current phase", "contract", _manager, phases.CONTRACT, REASON, TransitionRefused, "allerede har vært gjennom"),
    ("intake as a phase", "contract", _manager, phases.INTAKE, REASON, TransitionRefused, "allerede har vært gjennom"),
    ("no phase", "contract", _manager, "", REASON, TransitionRefused, "allerede har vært gjennom"),
    ("a made-up phase", "contract", _manager, "evaluation'; --", REASON, TransitionRefused, "allerede har vært gjennom"),
    ("a procurement in intake", "intake", _manager, phases.NEEDS, REASON, TransitionRefused, "passer ikke for fasen"),
    ("the first phase", "needs", _manager, phases.INTAKE, REASON, TransitionRefused, "passer ikke for fasen"),
    ("a closed procurement", "closed", _manager, phases.EVALUATION, REASON, TransitionRefused, "passer ikke for fasen"),
    ("a cancelled procurement", "cancelled", _manager, phases.NEEDS, REASON, TransitionRefused, "passer ikke for fasen"),
    ("a user representative", "contract", _user_representative, phases.EVALUATION, REASON, PermissionDenied, "kan endre fasen. Du er"),
    ("a chief executive", "contract", _chief_executive, phases.EVALUATION, REASON, PermissionDenied, "kan endre fasen. Du er"),
    ("another collaboration's coordinator", "contract", _stranger, phases.EVALUATION, REASON, PermissionDenied, "ikke tilgang"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("case", "which", "who", "phase", "reason", "error", "message"), REFUSALS, ids=[row[0] for row in REFUSALS]
)
def test_reopen_refused(cases, case, which, who, phase, reason, error, message):
    procurement = getattr(cases, which)
    user = who(cases)
    before = _facts(procurement)
    audit_before = AuditEntry.objects.count()

    with pytest.raises(error) as raised:
        reopen(procurement, user=user, phase=phase, reason=reason)

    assert message in str(raised.value)
    assert _facts(procurement) == before
    entries = list(AuditEntry.objects.order_by("id")[audit_before:])
    assert [(e.action, e.actor, e.procurement) for e in entries] == [("procurement.transition_refused", user, procurement)]
    assert message in entries[0].message
    assert "x" * 3000 not in entries[0].message  # a huge reason is not copied into the log


# --------------------------------------------------------------------------------------
# Over HTTP
# --------------------------------------------------------------------------------------


def _post(client, procurement, **data):
    return client.post(reverse("procurement_transition", args=[procurement.pk, "reopen"]), data)


@pytest.mark.django_db
def test_reopen_over_http(client, cases):
    client.force_login(cases.world.coordinator)
    response = _post(client, cases.contract, phase=phases.EVALUATION, reason=REASON)
    assert response.status_code == 302
    assert _facts(cases.contract)[0] == phases.EVALUATION


@pytest.mark.django_db
@pytest.mark.parametrize("who", [_user_representative, _chief_executive], ids=["user_representative", "chief_executive"])
def test_someone_who_does_not_run_the_procurement_gets_403_and_the_refusal_is_audited(client, cases, who):
    user = who(cases)
    client.force_login(user)
    before = _facts(cases.contract)
    audit_before = AuditEntry.objects.count()

    response = _post(client, cases.contract, phase=phases.EVALUATION, reason=REASON)

    assert response.status_code == 403
    assert _facts(cases.contract) == before
    entries = list(AuditEntry.objects.order_by("id")[audit_before:])
    assert [(e.action, e.actor, e.procurement) for e in entries] == [("procurement.transition_refused", user, cases.contract)]


@pytest.mark.django_db
def test_another_collaborations_coordinator_gets_404(client, cases):
    client.force_login(cases.other.coordinator)
    before = _facts(cases.contract)
    assert _post(client, cases.contract, phase=phases.EVALUATION, reason=REASON).status_code == 404
    assert _facts(cases.contract) == before


FORM_ERRORS = [
    # (case, data, field, message)
    ("tampered phase", {"phase": "closed", "reason": REASON}, "phase", "Velg en fase anskaffelsen allerede har vært gjennom."),
    ("a later phase", {"phase": phases.ACCEPTANCE_TEST, "reason": REASON}, "phase", "allerede har vært gjennom"),
    ("the current phase", {"phase": phases.CONTRACT, "reason": REASON}, "phase", "allerede har vært gjennom"),
    ("no phase", {"reason": REASON}, "phase", "Velg fasen anskaffelsen skal tilbake til."),
    ("no reason", {"phase": phases.EVALUATION, "reason": ""}, "reason", "Skriv hvorfor anskaffelsen går tilbake"),
    ("a blank reason", {"phase": phases.EVALUATION, "reason": "   "}, "reason", "Skriv hvorfor anskaffelsen går tilbake"),
    ("a 10 000 character reason", {"phase": phases.EVALUATION, "reason": "x" * 10_000}, "reason", "2000"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("case", "data", "field", "message"), FORM_ERRORS, ids=[row[0] for row in FORM_ERRORS])
def test_a_bad_reopen_form_is_400_with_the_message_next_to_the_field(client, cases, case, data, field, message):
    client.force_login(cases.world.coordinator)
    before = _facts(cases.contract)

    response = _post(client, cases.contract, **data)

    assert response.status_code == 400
    page = response.content.decode()
    error = page.split(f'id="id_reopen_{field}_error"', 1)
    assert len(error) == 2, f"no message next to the {field} field"
    assert message in error[1].split("</div>", 1)[0]
    assert 'id="error-summary"' in page
    assert "x" * 3000 not in page.split("<textarea", 1)[0]  # the text comes back only in its field
    assert _facts(cases.contract) == before
