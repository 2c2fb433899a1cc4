"""A real worker process (``celery worker``, not a thread) killed with SIGKILL in the middle
of a delivery loses nothing: the row stays unsent under its lease, and once the lease has run
out the next worker sends it. Killed while the mail server had not answered, the message goes
out exactly once; killed after the server took it but before the row was marked, it goes out
a second time with the same Message-ID: the at-least-once window notifications/services.py
describes. Needs a database the worker process can reach, so PostgreSQL only."""
import os
import signal
import subprocess
import sys
import time
import uuid
import warnings
from pathlib import Path

import pytest
from celery.exceptions import AlwaysEagerIgnored
from django.conf import settings
from django.core import mail
from django.db import connection
from django.utils import timezone

from notifications.models import Outbox
from notifications.services import Message, outbox_add, outbox_deliver_pending
from tests.factories import PersonFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
ROOT = Path(settings.BASE_DIR)


def _wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


@pytest.fixture
def worker(tmp_path):
    """Starts `celery worker` on a queue of its own against the test database; yields
    (process, queue, log); kills it at the end whatever happened."""
    from config.celery import app

    queue = f"test-killed-{uuid.uuid4().hex[:10]}"
    log = tmp_path / "smtp.log"
    log.touch()
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.notifications.worker_settings",
        "TEST_WORKER_DATABASE": connection.settings_dict["NAME"],
        "TEST_WORKER_QUEUE": queue,
        "HANG_LOG": str(log),
    }
    started = []

    def start(*, after_accept: bool):
        env = {**environment, **({"HANG_AFTER_ACCEPT": "1"} if after_accept else {})}
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "-Q", queue,
             "--without-heartbeat", "--without-mingle", "--without-gossip", "-l", "warning"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        started.append(process)
        return process

    yield start, queue, log
    for process in started:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)
    with app.connection_for_write() as conn:
        bound = app.amqp.queues[queue](conn.default_channel)
        bound.declare()
        bound.delete()
    control = (app.conf.broker_transport_options or {}).get("control_folder")
    if control:
        (Path(control) / f"{queue}.exchange").unlink(missing_ok=True)


@pytest.mark.parametrize("after_accept", [False, True], ids=["before-the-server-answered", "after-it-accepted"])
def test_a_worker_killed_mid_delivery_loses_nothing(worker, after_accept):
    from config.celery import app

    start, queue, log = worker
    (person,) = PersonFactory.create_batch(1)
    (pk,) = outbox_add([Message(key=f"killed:{person.pk}", kind="test", recipient_id=person.pk, subject="Frist", body="Hei.")])

    process = start(after_accept=after_accept)
    with warnings.catch_warnings():  # send_task never runs eagerly, which is what this wants
        warnings.simplefilter("ignore", AlwaysEagerIgnored)
        app.send_task("notifications.dispatch", queue=queue)  # what beat sends every minute
    _wait_for(lambda: "connected" in log.read_text(), 60, "the worker to reach the mail server")
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)

    row = Outbox.objects.get(pk=pk)
    assert row.sent_at is None, "a killed delivery must not count as sent"
    assert row.attempts == 1 and row.claimed_until is not None  # claimed, under a lease
    assert outbox_deliver_pending() == 0  # nobody else takes it while the lease is live

    _wait_for(lambda: Outbox.objects.available(timezone.now()).filter(pk=pk).exists(), 10, "the lease to run out")
    mail.outbox = []
    assert outbox_deliver_pending() == 1  # the next worker sends it
    row.refresh_from_db()
    assert row.sent_at is not None and row.attempts == 2
    (message,) = mail.outbox
    accepted_before = log.read_text().count("accepted")
    assert accepted_before == (1 if after_accept else 0)
    if after_accept:
        # The mail server has it twice, under one Message-ID a client can de-duplicate by.
        assert message.extra_headers["Message-ID"] in log.read_text()
