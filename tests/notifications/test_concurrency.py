"""Two workers at once, each in its own thread with its own database connection, on
PostgreSQL (row locks: SELECT ... FOR UPDATE SKIP LOCKED); on SQLite these are deselected
(see tests/conftest.py). Each send takes a few milliseconds, so the workers overlap."""
import threading

import pytest
from django.core import mail
from django.db import connection

from notifications.models import Outbox
from notifications.reminders import reminders_sweep
from notifications.services import Message, outbox_add, outbox_deliver_pending
from tests.factories import PersonFactory
from tests.notifications import backends

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def at_once(calls, timeout=60):
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def work(index, call):
        try:
            barrier.wait(timeout=timeout)
            outcomes[index] = (True, call())
        except BaseException as error:  # noqa: BLE001 - reported by the test
            outcomes[index] = (False, error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    assert not any(thread.is_alive() for thread in threads), "a worker hung"
    return outcomes


@pytest.fixture
def slow_mail(settings):
    settings.EMAIL_BACKEND = "tests.notifications.backends.FlakyBackend"
    backends.reset()
    backends.DELAY["seconds"] = 0.005
    mail.outbox = []
    yield
    backends.reset()


def test_two_workers_never_send_the_same_message(slow_mail):
    people = PersonFactory.create_batch(60)
    outbox_add(
        Message(key=f"k:{p.pk}", kind="test", recipient_id=p.pk, subject="Hei", body="Hei.") for p in people
    )
    outcomes = at_once([lambda: outbox_deliver_pending(batch=5), lambda: outbox_deliver_pending(batch=5)])

    assert all(ok for ok, _ in outcomes), outcomes
    sent_by = [result for _, result in outcomes]
    assert sum(sent_by) == 60
    assert all(count > 0 for count in sent_by), f"one worker did all the work: {sent_by}"  # they really overlapped
    addresses = [address for message in mail.outbox for address in message.to]
    assert sorted(addresses) == sorted(p.email for p in people)  # each exactly once
    assert not Outbox.objects.filter(sent_at__isnull=True).exists()


def test_two_sweeps_at_once_record_each_reminder_once(make_collaboration, make_procurement, settings):
    from datetime import timedelta

    from django.utils import timezone

    from procurement.models import Deadline

    settings.REMINDER_OFFSETS = [7, 1, 0, -1]
    world = make_collaboration(4)
    lead, *silent = world.municipalities
    make_procurement(world, joined=[lead], unanswered=silent)
    Deadline.objects.update(due_date=timezone.localdate() + timedelta(days=1))

    outcomes = at_once([reminders_sweep, reminders_sweep, reminders_sweep])

    assert all(ok for ok, _ in outcomes), outcomes
    created = [len(ids) for _, ids in outcomes]
    assert sum(created) == 6, created  # 3 municipalities x 2 people, recorded by whichever came first
    assert Outbox.objects.filter(key__startswith="deadline:").count() == 6
