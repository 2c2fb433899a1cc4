"""Sign-offs that wait too long are escalated to the coordinators (procurement/escalations.py):
once per step and document version after SIGNOFF_ESCALATION_DAYS, naming who has not
signed; a new version or a completed step ends the wait; the sweep's queries do not grow
with the number of procurements."""
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from notifications.models import Event, Outbox
from notifications.reminders import reminders_sweep
from procurement import phases
from procurement.escalations import signoff_escalations
from procurement.models import DeliverableVersion
from procurement.readiness import readiness_for
from procurement.services.signoffs import signoff_record

pytestmark = pytest.mark.django_db


def _waiting(make_collaboration, make_procurement, fill_deliverables, *, days_ago=8, title="Ny skoleløsning"):
    world = make_collaboration(2)
    procurement = make_procurement(world, phase=phases.STRATEGY, title=title)
    fill_deliverables(procurement)
    DeliverableVersion.objects.filter(deliverable__procurement=procurement).update(created_at=timezone.now() - timedelta(days=days_ago))
    Event.objects.update(expanded_at=timezone.now())  # the set-up's own notifications are not counted here
    return world, procurement


def _escalations():
    return Outbox.objects.filter(kind="reminder:signoff_waiting")


def test_a_step_waiting_too_long_is_escalated_to_the_coordinators_once(make_collaboration, make_procurement, fill_deliverables):
    world, procurement = _waiting(make_collaboration, make_procurement, fill_deliverables)
    reminders_sweep()
    rows = list(_escalations())
    assert [row.recipient_id for row in rows] == [world.coordinator.pk]
    assert procurement.title in rows[0].subject and "over 7 dager" in rows[0].subject
    assert "Ikke signert ennå:" in rows[0].body
    reminders_sweep()
    reminders_sweep()
    assert _escalations().count() == 1


def test_a_recent_document_is_not_escalated(make_collaboration, make_procurement, fill_deliverables):
    _waiting(make_collaboration, make_procurement, fill_deliverables, days_ago=3)
    reminders_sweep()
    assert not _escalations().exists()


def test_a_signed_gate_and_a_new_version_end_the_wait(make_collaboration, make_procurement, fill_deliverables, signer_for):
    world, procurement = _waiting(make_collaboration, make_procurement, fill_deliverables)
    other_world, other = _waiting(make_collaboration, make_procurement, fill_deliverables, title="Annen sak")
    gate = readiness_for(procurement).signature_gates[0]
    step = gate.open_step
    for slot in step.waiting_for:
        signoff_record(
            user=signer_for(step, slot), procurement_id=procurement.pk, step_id=step.step.pk, slot=slot.slot,
            decision="approve", document_sha256=gate.document.current_version.sha256,
        )
    # A new version of the other case's gate document: its wait starts again today.
    document = readiness_for(other).signature_gates[0].document
    from procurement.services.deliverables import deliverable_version_add

    deliverable_version_add(user=other_world.coordinator, procurement=other, definition=document.definition, text="Ny versjon av dokumentet.")
    reminders_sweep()
    assert not _escalations().exists()


def test_the_sweep_asks_the_same_queries_for_one_and_for_three_waiting_procurements(make_collaboration, make_procurement, fill_deliverables):
    _waiting(make_collaboration, make_procurement, fill_deliverables, title="Første")
    from notifications.reminders import Sweep, reminder_offsets

    def count():
        with CaptureQueriesContext(connection) as queries:
            found = signoff_escalations(Sweep(now=timezone.now(), offsets=reminder_offsets()))
        return len(queries), len(found)

    one = count()
    for title in ("Andre", "Tredje"):
        _waiting(make_collaboration, make_procurement, fill_deliverables, title=title)
    three = count()
    assert three[1] > one[1] and three[0] == one[0]
