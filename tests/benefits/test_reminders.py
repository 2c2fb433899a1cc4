"""The next measurement of each municipality's benefit is a deadline the reminder task sees:
its owner is reminded once, also after the case is closed."""
from datetime import date, timedelta
from decimal import Decimal

import pytest

from benefits.services import MEASUREMENT_DUE_RULE, measurement_record
from notifications.reminders import reminders_sweep
from notifications.services import outbox_deliver_pending
from procurement import phases
from procurement.models import Deadline

pytestmark = pytest.mark.django_db


def _open(share):
    return Deadline.objects.filter(rule=MEASUREMENT_DUE_RULE, rule_inputs__share=share.pk, done_at__isnull=True)


def test_each_share_has_its_next_measurement_as_a_deadline(plan_world):
    world, procurement, benefit, shares = plan_world
    share = shares[0]
    deadline = _open(share).get()
    assert deadline.due_date == date(2025, 4, 1)  # quarterly from the baseline 1.1.2025
    assert share.municipality.name in deadline.title and benefit.code in deadline.title
    measurement_record(
        user=world.representative(share.municipality), procurement=procurement, share_id=share.pk,
        measured_on=date(2025, 11, 30), value_measured=Decimal("7.6"), explanation="Tidlig i gang.",
    )
    assert _open(share).get().due_date == date(2026, 2, 28)  # three months on, the month's last day
    assert Deadline.objects.filter(rule=MEASUREMENT_DUE_RULE, rule_inputs__share=share.pk).count() == 2


def test_the_owner_is_reminded_once_even_after_the_case_is_closed(plan_world, advance_to, mailoutbox):
    world, procurement, _benefit, shares = plan_world
    advance_to(procurement, phases.CLOSED)
    share = shares[1]
    deadline = _open(share).get()  # still open: closing the case did not end it
    Deadline.objects.filter(pk=deadline.pk).update(due_date=procurement.collaboration.today() + timedelta(days=1))
    for other in (shares[0], shares[2]):
        Deadline.objects.filter(rule_inputs__share=other.pk).update(due_date=date(2099, 1, 1))
    mailoutbox.clear()  # the mails of the case's own life
    reminders_sweep()
    assert outbox_deliver_pending() == 1
    assert [m.to for m in mailoutbox] == [[share.owner.email]]
    assert "Måling av" in mailoutbox[0].subject
    reminders_sweep()
    assert outbox_deliver_pending() == 0
