"""People signing at the same moment, each from their own thread with their own database
connection. Only PostgreSQL really locks (SELECT ... FOR UPDATE), so these run in the
PostgreSQL pass; on SQLite they are deselected (see tests/conftest.py)."""
import threading

import pytest
from django.db import IntegrityError, connection

from audit.models import AuditEntry
from procurement import phases
from procurement.exceptions import SignOffRefused
from procurement.models import GateStep, Procurement, SignOff
from procurement.readiness import municipality_slot
from procurement.services.signoffs import signoff_record

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_at_the_same_moment(calls, timeout=30):
    """Runs each zero-argument callable in its own thread, all released together by a
    barrier. Returns [(True, result) | (False, exception)] in the order of CALLS."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def work(index, call):
        try:
            barrier.wait(timeout=timeout)
            outcomes[index] = (True, call())
        except BaseException as error:  # noqa: BLE001 - reported to the test below
            outcomes[index] = (False, error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    assert not any(thread.is_alive() for thread in threads), "a signer hung (deadlock?)"
    return outcomes


def _dpa_ready(make_collaboration, make_procurement, fill_deliverables, size):
    from tests.conftest import meet_conditions  # the fixture helpers are plain functions too

    world = make_collaboration(size)
    procurement = make_procurement(world, phase=phases.CONTRACT)
    fill_deliverables(procurement)
    meet_conditions(procurement)  # the standstill period is over: the last signature moves the phase on
    step = GateStep.objects.get(gate__code="dpa")
    sha = procurement.deliverables.get(definition=step.gate.document).current_version.sha256
    return world, procurement, step, sha


def _signing(person, procurement, step, municipality, sha):
    def call():
        return signoff_record(
            user=person,
            procurement_id=procurement.pk,
            step_id=step.pk,
            slot=municipality_slot(municipality.pk),
            decision="approve",
            document_sha256=sha,
        )

    return call


@pytest.mark.parametrize("signers", [2, 7])
def test_chief_executives_signing_at_once_each_count_exactly_once(make_collaboration, make_procurement, fill_deliverables, signers):
    world, procurement, step, sha = _dpa_ready(make_collaboration, make_procurement, fill_deliverables, signers)
    calls = [_signing(world.chief_executive(m), procurement, step, m, sha) for m in world.municipalities]

    outcomes = run_at_the_same_moment(calls)

    errors = [error for ok, error in outcomes if not ok]
    assert errors == [], errors  # in particular no IntegrityError leaks out
    live = SignOff.objects.filter(procurement=procurement, step=step, voided_at__isnull=True)
    assert live.count() == signers
    assert set(live.values_list("municipality_id", flat=True)) == {m.pk for m in world.municipalities}
    # The phase moved on exactly once, by whoever completed the gate.
    completions = [
        e
        for e in AuditEntry.objects.filter(procurement=procurement, action="procurement.complete_phase")
        if e.data["from"] == phases.CONTRACT
    ]
    assert len(completions) == 1
    assert completions[0].data == {"from": phases.CONTRACT, "to": phases.ACCEPTANCE_TEST, "automatic": True}
    assert Procurement.objects.get(pk=procurement.pk).state == phases.ACCEPTANCE_TEST
    signed = [e for e in AuditEntry.objects.filter(action="signoff.approve", procurement=procurement) if e.data["gate"] == "dpa"]
    assert len(signed) == signers


def test_the_same_person_submitting_twice_at_once_gives_one_row(make_collaboration, make_procurement, fill_deliverables):
    world, procurement, step, sha = _dpa_ready(make_collaboration, make_procurement, fill_deliverables, 2)
    municipality = world.municipalities[0]
    person = world.chief_executive(municipality)

    outcomes = run_at_the_same_moment([_signing(person, procurement, step, municipality, sha) for _ in range(4)])

    succeeded = [result for ok, result in outcomes if ok]
    refused = [error for ok, error in outcomes if not ok]
    assert len(succeeded) == 1
    assert len(refused) == 3
    assert all(isinstance(error, SignOffRefused) for error in refused), refused
    assert not any(isinstance(error, IntegrityError) for error in refused)
    assert SignOff.objects.filter(procurement=procurement, step=step).count() == 1
    assert Procurement.objects.get(pk=procurement.pk).state == phases.CONTRACT  # the other one has not signed
