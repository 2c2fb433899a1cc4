"""The outbox (notifications/services.py): every message recorded once, sent once, marked
sent only after the mail server took it; a failed send stays for a retry with its error and
a back-off; a worker that dies with a claim leaves the row to the next one after the lease.

The two defects this replaces, measured on the old code: a reminder whose mail failed was
lost for good (6 reminder rows, 5 mails), and a notification retried after a mail failure
went to everyone again (5 recipients, 7 mails)."""
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from notifications.models import Event, Outbox
from notifications.reminders import reminders_sweep
from notifications.services import (
    Message,
    event_expand,
    event_record,
    events_expand_stale,
    outbox_add,
    outbox_claim,
    outbox_deliver,
    outbox_deliver_pending,
    outbox_retry,
    retry_delay,
)
from procurement.models import Deadline
from tests.factories import PersonFactory
from tests.notifications import backends

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def flaky_mail(settings):
    settings.EMAIL_BACKEND = "tests.notifications.backends.FlakyBackend"
    settings.OUTBOX_RETRY_BASE_SECONDS = 60
    backends.reset()
    mail.outbox = []
    yield backends.FAIL
    backends.reset()


def _messages(people, key="test", **extra):
    return [
        Message(key=f"{key}:{person.pk}", kind="test", recipient_id=person.pk, subject=f"Til {person}", body="Hei.", **extra)
        for person in people
    ]


def _sent_to() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def _later(seconds):
    """Every pending row's back-off (and any lease) over, as if SECONDS had passed."""
    Outbox.objects.filter(sent_at__isnull=True).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1), claimed_until=None
    )


# --------------------------------------------------------------------------- recording


def test_a_message_recorded_twice_exists_once():
    people = PersonFactory.create_batch(3)
    first = outbox_add(_messages(people))
    assert len(first) == 3
    assert outbox_add(_messages(people)) == []
    assert outbox_add(_messages(people) + _messages(people)) == []
    assert Outbox.objects.count() == 3
    assert set(Outbox.objects.values_list("pk", flat=True)) == set(first)


def test_recording_keeps_text_as_given():
    (person,) = PersonFactory.create_batch(1)
    text = 'Æøå «sitat» \\ "quote" \n ny linje – ✓'
    (pk,) = outbox_add([Message(key="k", kind="test", recipient_id=person.pk, subject=text[:20], body=text)])
    row = Outbox.objects.get(pk=pk)
    assert row.body == text and row.subject == text[:20]
    assert row.sent_at is None and row.attempts == 0 and row.next_attempt_at <= timezone.now()


# --------------------------------------------------------------------------- failures and retries


def test_a_failed_reminder_is_not_lost(make_collaboration, make_procurement, flaky_mail, settings):
    """Old code: 6 reminder rows, 5 mails, the sixth never sent. Now: the sixth stays in the
    outbox with its error and goes out on the retry; nobody gets a second mail."""
    settings.REMINDER_OFFSETS = [7, 1, 0, -1]
    world = make_collaboration(4)
    lead, *silent = world.municipalities
    make_procurement(world, joined=[lead], unanswered=silent)
    Deadline.objects.update(due_date=timezone.localdate() + timedelta(days=1))
    Event.objects.update(expanded_at=timezone.now())
    assert len(reminders_sweep()) == 6
    unlucky = world.chief_executive(silent[1]).email
    flaky_mail[unlucky] = 1

    assert outbox_deliver_pending() == 5
    row = Outbox.objects.get(recipient__email=unlucky)
    assert (row.sent_at, row.attempts) == (None, 1)
    assert "Connection refused" in row.last_error
    assert row.next_attempt_at > timezone.now()  # back-off: not tried again at once
    assert outbox_deliver_pending() == 0
    assert reminders_sweep() == []  # the sweep does not record it again

    _later(60)
    assert outbox_deliver_pending() == 1
    assert len(mail.outbox) == 6
    assert len(set(_sent_to())) == 6  # each person once
    row.refresh_from_db()
    assert row.sent_at is not None and row.last_error == "" and row.attempts == 2


def test_a_retried_notification_sends_each_recipient_once(flaky_mail):
    """Old code: 5 recipients, 7 mails (the retry sent to everyone again). Now one row per
    person: the retry repeats only the one that failed."""
    people = PersonFactory.create_batch(5)
    outbox_add(_messages(people, key="event:1"))
    flaky_mail[people[2].email] = 2  # fails twice, then the server takes it

    assert outbox_deliver_pending() == 4
    for _ in range(2):
        _later(3600)
        outbox_deliver_pending()
    assert _sent_to() == sorted(person.email for person in people)
    assert Outbox.objects.get(recipient=people[2]).attempts == 3


def test_a_retried_event_task_records_nothing_twice(procurement, django_capture_on_commit_callbacks):
    event = event_record(name="phase_changed", procurement_id=procurement.pk)
    first = event_expand(event_id=event.pk)
    assert first
    assert event_expand(event_id=event.pk) == []  # the task ran again (retry, redelivery)
    Event.objects.filter(pk=event.pk).update(expanded_at=None)  # even one that forgot it was done
    assert event_expand(event_id=event.pk) == []
    assert Outbox.objects.filter(key__startswith=f"event:{event.pk}:").count() == len(first)


def test_back_off_doubles_and_is_capped(settings):
    settings.OUTBOX_RETRY_BASE_SECONDS = 60
    settings.OUTBOX_RETRY_MAX_SECONDS = 600
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 4, 5, 9)] == [60, 120, 240, 480, 600, 600]


def test_a_message_that_keeps_failing_waits_in_the_admin_with_its_error(flaky_mail, settings, admin_client):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    (person,) = PersonFactory.create_batch(1)
    outbox_add(_messages([person]))
    flaky_mail[person.email] = 99
    for _ in range(5):
        outbox_deliver_pending()
        _later(3600)
    row = Outbox.objects.get()
    assert row.attempts == 3 and row.sent_at is None and row.state == "failed"
    assert outbox_deliver_pending() == 0  # given up: no more tries by itself

    page = admin_client.get(reverse("admin:notifications_outbox_changelist") + "?state=failed").content.decode()
    assert "Til " in page and "Feilet" in page
    page = admin_client.get(reverse("admin:notifications_outbox_change", args=[row.pk])).content.decode()
    assert "Connection refused" in page

    flaky_mail[person.email] = 0
    response = admin_client.post(
        reverse("admin:notifications_outbox_changelist"), {"action": "send_again", "_selected_action": [row.pk]}
    )
    assert response.status_code == 302
    assert outbox_deliver_pending() == 1
    assert _sent_to() == [person.email]


def test_a_recipient_without_an_address_fails_at_once_with_a_reason():
    (person,) = PersonFactory.create_batch(1, email="")
    outbox_add(_messages([person]))
    assert outbox_deliver_pending() == 0
    row = Outbox.objects.get()
    assert row.state == "failed" and "e-postadresse" in row.last_error
    assert mail.outbox == []


def test_every_attempt_carries_the_same_message_id(flaky_mail):
    (person,) = PersonFactory.create_batch(1)
    outbox_add(_messages([person]))
    outbox_add(_messages([person], key="other"))
    outbox_deliver_pending()
    first = {m.extra_headers["Message-ID"] for m in mail.outbox}
    assert len(first) == 2
    Outbox.objects.update(sent_at=None)  # as if both were sent again after a lost mark
    _later(0)
    outbox_deliver_pending()
    assert {m.extra_headers["Message-ID"] for m in mail.outbox} == first


# --------------------------------------------------------------------------- claims and leases


def test_a_claimed_row_is_nobody_elses_until_its_lease_runs_out(settings):
    settings.OUTBOX_LEASE_SECONDS = 300
    people = PersonFactory.create_batch(2)
    outbox_add(_messages(people))
    token, ids = outbox_claim(limit=10)
    assert len(ids) == 2
    assert outbox_claim(limit=10)[1] == []  # a second worker finds nothing to take

    # The first worker dies here. Once the lease has run out another worker takes the rows.
    Outbox.objects.update(claimed_until=timezone.now() - timedelta(seconds=1))
    token2, ids2 = outbox_claim(limit=10)
    assert sorted(ids2) == sorted(ids)
    assert outbox_deliver(outbox_id=ids[0], token=token) == "skipped"  # the old claim is void
    assert outbox_deliver(outbox_id=ids[0], token=token2) == "sent"
    assert outbox_deliver(outbox_id=ids[0], token=token2) == "skipped"  # the same task delivered twice
    assert len(mail.outbox) == 1


def test_a_worker_that_died_mid_delivery_loses_nothing(settings):
    """The worker took the row over (attempt counted, lease written) and died before the mail
    server answered: nothing was sent, nothing marked. After the lease the row is sent once."""
    (person,) = PersonFactory.create_batch(1)
    (pk,) = outbox_add(_messages([person]))
    token, _ = outbox_claim(limit=1)
    Outbox.objects.filter(pk=pk).update(claim_token=None, claimed_until=timezone.now() + timedelta(minutes=5), attempts=1)
    assert outbox_deliver_pending() == 0  # its lease is still live
    Outbox.objects.filter(pk=pk).update(claimed_until=timezone.now() - timedelta(seconds=1))
    assert outbox_deliver_pending() == 1
    assert _sent_to() == [person.email]
    assert Outbox.objects.get(pk=pk).attempts == 2


def test_a_stale_event_is_expanded_by_the_dispatcher(procurement):
    event = Event.objects.create(name="phase_changed", procurement=procurement, created_at=timezone.now() - timedelta(minutes=5))
    fresh = Event.objects.create(name="phase_changed", procurement=procurement)
    assert events_expand_stale() == 1
    event.refresh_from_db()
    fresh.refresh_from_db()
    assert event.expanded_at is not None and fresh.expanded_at is None
    assert Outbox.objects.filter(key__startswith=f"event:{event.pk}:").exists()


def test_the_broker_being_away_at_the_commit_loses_nothing(procurement, monkeypatch, django_capture_on_commit_callbacks):
    """Redis went away: queuing the task after the commit fails. The event is in the database,
    and the dispatcher beat runs expands and sends it."""
    from kombu.exceptions import OperationalError

    from notifications import tasks

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.event_expand_task, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        event = event_record(name="phase_changed", procurement_id=procurement.pk)
    assert mail.outbox == []
    Event.objects.filter(pk=event.pk).update(created_at=timezone.now() - timedelta(minutes=2))
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        tasks.outbox_dispatch()
    assert mail.outbox, "the dispatcher sent the notification"
    assert len(mail.outbox) == Outbox.objects.filter(key__startswith=f"event:{event.pk}:").count()


def test_the_admin_retry_touches_only_unsent_rows():
    people = PersonFactory.create_batch(2)
    ids = outbox_add(_messages(people))
    outbox_deliver_pending()
    assert outbox_retry(ids=ids) == 0
