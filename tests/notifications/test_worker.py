"""The whole path with a real worker (a thread running the project's Celery app, not eager)
on the configured broker: kombu's filesystem transport, or Redis when REDIS_URL is set (the
CI's PostgreSQL pass). The sweep task records the reminders, queues the dispatcher, which
claims them and queues one delivery task per message; each is sent once."""
import threading
import time
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.utils import timezone

from notifications.models import Event, Outbox
from notifications.tasks import reminders_sweep_task
from procurement.services.intake import invitations_send
from tests.workers import live_worker


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sweeps_and_delivers_each_reminder_once(make_collaboration, make_procurement, settings):
    from celery.signals import task_postrun

    settings.REMINDER_OFFSETS = [7, 1, 0, -1]
    world = make_collaboration(2)
    lead, silent = world.municipalities
    procurement = make_procurement(world, joined=[lead], unanswered=[silent])
    invitations_send(
        user=world.coordinator, procurement=procurement, municipalities=[silent], answer_deadline=timezone.localdate() + timedelta(days=1)
    )
    Event.objects.update(expanded_at=timezone.now())
    mail.outbox = []
    expected = sorted([world.representative(silent).email, world.chief_executive(silent).email])

    # Count the worker's deliveries by its own signal rather than polling the database:
    # SQLite's shared in-memory test database locks whole tables between threads.
    delivered = []
    done = threading.Event()
    ran_in = set()

    def on_postrun(sender=None, state=None, retval=None, **kwargs):
        if sender is not None and sender.name.startswith("notifications."):
            ran_in.add(threading.current_thread())
        if sender is not None and sender.name == "notifications.deliver":
            delivered.append((state, retval))
            if len([r for s, r in delivered if r == "sent"]) >= 2:
                done.set()

    task_postrun.connect(on_postrun, weak=False)
    try:
        with live_worker() as app:
            assert not app.conf.task_always_eager
            assert app.conf.broker_url == django_settings.CELERY_BROKER_URL  # filesystem:// or Redis
            reminders_sweep_task.delay()
            finished = done.wait(timeout=15)
            # Beat runs the sweep again: nothing more is recorded or sent.
            reminders_sweep_task.delay()
            time.sleep(1)
    finally:
        task_postrun.disconnect(on_postrun)

    assert finished, f"the worker did not deliver within 15 s (broker {django_settings.CELERY_BROKER_URL}): {delivered}"
    assert threading.current_thread() not in ran_in  # the worker ran them, not an eager call
    assert sorted(a for m in mail.outbox for a in m.to) == expected
    reminders = Outbox.objects.filter(key__startswith="deadline:")
    assert reminders.count() == 2
    assert not reminders.filter(sent_at__isnull=True).exists()
