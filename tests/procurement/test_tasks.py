"""Celery tasks (procurement/tasks.py): deadline reminders are sent once per person and
deadline, only when due, only to those who still have to act; notifications leave only
after the transaction commits; and one test runs a real worker against the configured
broker (kombu's filesystem transport by default, Redis when REDIS_URL is set)."""
import threading
import uuid
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.db import transaction
from django.utils import timezone

from municipalities.roles import Role
from procurement import phases
from procurement.models import Deadline, DeadlineKind, Procurement, Reminder
from procurement.services.intake import invitation_answer, invitations_send
from procurement.services.lifecycle import procurement_transition
from procurement.tasks import notification_send, reminders_send_due


@pytest.fixture(autouse=True)
def three_days(settings):
    settings.REMINDER_DAYS_BEFORE = 3


def _today():
    return timezone.localdate()


def _addresses(messages) -> list[str]:
    return sorted(address for message in messages for address in message.to)


def _emails(people) -> list[str]:
    return sorted(person.email for person in people)


@pytest.fixture
def waiting(make_collaboration, make_procurement):
    """Four municipalities: two joined, two have not answered an invitation due in two days."""
    world = make_collaboration(4)
    lead, joined, silent_a, silent_b = world.municipalities
    procurement = make_procurement(world, joined=[lead, joined], unanswered=[silent_a, silent_b])
    # Sending again moves the answer deadline (and its Deadline row) closer.
    invitations_send(
        user=world.coordinator, procurement=procurement, municipalities=[silent_a], answer_deadline=_today() + timedelta(days=2)
    )
    return world, procurement


# --------------------------------------------------------------------------- reminders


@pytest.mark.django_db
def test_invitation_reminders_go_to_the_unanswered_municipalities_once(waiting, mailoutbox):
    world, procurement = waiting
    _, _, silent_a, silent_b = world.municipalities
    expected = [world.person(role, m) for m in (silent_a, silent_b) for role in (Role.MUNICIPAL_REPRESENTATIVE, Role.CHIEF_EXECUTIVE)]

    assert reminders_send_due() == 4
    assert _addresses(mailoutbox) == _emails(expected)
    assert all(len(message.to) == 1 for message in mailoutbox)  # nobody sees the others' addresses
    assert all(procurement.title in message.subject for message in mailoutbox)
    assert Reminder.objects.count() == 4

    # Beat runs the task every hour: nothing is sent twice.
    assert reminders_send_due() == 0
    assert reminders_send_due() == 0
    assert len(mailoutbox) == 4
    assert Reminder.objects.count() == 4


@pytest.mark.django_db
def test_a_municipality_that_answers_is_not_reminded(waiting, mailoutbox):
    world, procurement = waiting
    _, _, silent_a, silent_b = world.municipalities
    invitation_answer(user=world.chief_executive(silent_a), procurement=procurement, municipality=silent_a, join=True)
    reminders_send_due()
    assert _addresses(mailoutbox) == _emails([world.representative(silent_b), world.chief_executive(silent_b)])


@pytest.mark.django_db
def test_no_invitation_reminder_once_everybody_answered(waiting, mailoutbox):
    world, procurement = waiting
    for municipality in world.municipalities[2:]:
        invitation_answer(
            user=world.chief_executive(municipality), procurement=procurement, municipality=municipality, join=False, reason="Nei."
        )
    assert Deadline.objects.get(procurement=procurement, kind=DeadlineKind.INVITATION_ANSWER).done_at is not None
    assert reminders_send_due() == 0
    assert mailoutbox == []


@pytest.mark.django_db
def test_no_invitation_reminder_after_the_procurement_started(waiting, mailoutbox):
    world, procurement = waiting
    # The answer deadline passed with two municipalities silent; the coordinator starts.
    Procurement.objects.filter(pk=procurement.pk).update(invitation_deadline=_today() - timedelta(days=1))
    Deadline.objects.filter(procurement=procurement).update(due_date=_today() - timedelta(days=1))
    procurement_transition(user=world.coordinator, procurement_id=procurement.pk, transition="start")
    # They can no longer answer, so they must not be asked to.
    assert reminders_send_due() == 0
    assert mailoutbox == []


@pytest.mark.django_db
def test_one_mail_per_person_even_with_two_roles(waiting, mailoutbox):
    from municipalities.services import role_assign

    world, procurement = waiting
    silent_a = world.municipalities[2]
    person = world.chief_executive(silent_a)
    role_assign(actor=None, person=person, role=Role.MUNICIPAL_REPRESENTATIVE, municipality=silent_a)
    reminders_send_due()
    assert _addresses(mailoutbox).count(person.email) == 1
    assert Reminder.objects.filter(recipient=person).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("days_ahead", "reminded"),
    [(-2, True), (0, True), (1, True), (3, True), (4, False), (30, False)],
)
def test_only_deadlines_within_reminder_days_before(waiting, mailoutbox, days_ahead, reminded):
    _, procurement = waiting
    Deadline.objects.filter(procurement=procurement).update(due_date=_today() + timedelta(days=days_ahead))
    assert (reminders_send_due() > 0) is reminded
    assert bool(mailoutbox) is reminded


@pytest.mark.django_db
def test_the_horizon_follows_the_setting(waiting, mailoutbox, settings):
    _, procurement = waiting
    Deadline.objects.filter(procurement=procurement).update(due_date=_today() + timedelta(days=5))
    assert reminders_send_due() == 0
    settings.REMINDER_DAYS_BEFORE = 5
    assert reminders_send_due() == 4


@pytest.mark.django_db
def test_phase_deadlines_remind_the_coordinators(make_collaboration, make_procurement, mailoutbox, person_with_role):
    world = make_collaboration(2)
    buyer = person_with_role(Role.REGIONAL_BUYER, body=world.bodies["steering_group"])
    procurement = make_procurement(world, phase=phases.NEEDS)
    for title, days in (("Behov kartlagt", 1), ("Langt frem", 20)):
        Deadline.objects.create(
            procurement=procurement,
            kind=DeadlineKind.PHASE,
            phase=phases.NEEDS,
            title=title,
            due_date=_today() + timedelta(days=days),
        )
    Deadline.objects.create(
        procurement=procurement, kind=DeadlineKind.OTHER, title="Allerede gjort", due_date=_today(), done_at=timezone.now()
    )
    assert reminders_send_due() == 2
    assert _addresses(mailoutbox) == _emails([world.coordinator, buyer])
    assert all("Behov kartlagt" in message.subject for message in mailoutbox)


@pytest.mark.django_db
def test_no_reminders_for_a_cancelled_procurement(waiting, mailoutbox):
    world, procurement = waiting
    procurement_transition(user=world.coordinator, procurement_id=procurement.pk, transition="cancel", reason="Stoppet.")
    assert reminders_send_due() == 0
    assert mailoutbox == []


# --------------------------------------------------------------------------- notifications on commit


@pytest.mark.django_db
def test_notifications_leave_only_after_commit(make_collaboration, make_procurement, mailoutbox, django_capture_on_commit_callbacks):
    world = make_collaboration(3)
    lead, *others = world.municipalities
    procurement = make_procurement(world, joined=[lead])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        invitations_send(user=world.coordinator, procurement=procurement, municipalities=others, answer_deadline=_today() + timedelta(days=7))
    assert mailoutbox == []  # nothing leaves inside the transaction
    assert len(callbacks) == 1
    callbacks[0]()  # the commit: the (eager) task sends one mail per invited person
    expected = [world.person(role, m) for m in others for role in (Role.MUNICIPAL_REPRESENTATIVE, Role.CHIEF_EXECUTIVE)]
    assert _addresses(mailoutbox) == _emails(expected)
    assert all(message.subject == f"Invitasjon til felles anskaffelse: {procurement.title}" for message in mailoutbox)


@pytest.mark.django_db
def test_a_rolled_back_change_notifies_nobody(make_collaboration, make_procurement, mailoutbox, django_capture_on_commit_callbacks):
    world = make_collaboration(2)
    procurement = make_procurement(world, joined=world.municipalities[:1])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            invitations_send(
                user=world.coordinator,
                procurement=procurement,
                municipalities=world.municipalities[1:],
                answer_deadline=_today() + timedelta(days=7),
            )
            raise RuntimeError("something after the service failed")
    assert callbacks == []
    assert mailoutbox == []


@pytest.mark.django_db
def test_a_transition_notifies_the_coordinators(procurement, collaboration, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        procurement_transition(user=collaboration.coordinator, procurement_id=procurement.pk, transition="start")
    assert collaboration.coordinator.email in _addresses(mailoutbox)
    assert all(message.subject == f"Ny fase i anskaffelsen: {procurement.title}" for message in mailoutbox)


@pytest.mark.django_db
def test_notification_for_a_vanished_procurement_or_unknown_event_sends_nothing(procurement, mailoutbox):
    assert notification_send(event="phase_changed", procurement_id=procurement.pk + 1000, municipality_ids=[]) == 0
    assert notification_send(event="no_such_event", procurement_id=procurement.pk, municipality_ids=[]) == 0
    assert mailoutbox == []


# --------------------------------------------------------------------------- a real worker


@contextmanager
def live_worker():
    """A real worker in a thread for the project's Celery app, not eager, consuming a queue
    of its own so that no other worker on the same broker (someone's `make run`) can take
    this test's messages. Yields the app."""
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    for folder in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        path = (app.conf.broker_transport_options or {}).get(folder)
        if path:
            Path(path).mkdir(parents=True, exist_ok=True)
    keys = ("task_always_eager", "task_default_queue", "worker_hijack_root_logger", "broker_transport_options")
    saved = {key: app.conf[key] for key in keys}
    app.conf.task_always_eager = False
    # Poll the broker often so that the worker picks the task up and stops quickly.
    app.conf.broker_transport_options = {**(app.conf.broker_transport_options or {}), "polling_interval": 0.1}
    app.conf.task_default_queue = f"test-{uuid.uuid4().hex[:12]}"
    app.conf.worker_hijack_root_logger = False  # keep pytest's log capture alive
    queue = app.conf.task_default_queue
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, queues=[queue], shutdown_timeout=10):
            yield app
    finally:
        app.conf.update(saved)
        # Leave no binding behind on the broker: kombu forgets bindings it did not declare on
        # this channel, so declare, then delete; the filesystem transport keeps a file.
        with app.connection_for_write() as connection:
            bound = app.amqp.queues[queue](connection.default_channel)
            bound.declare()
            bound.delete()
        control = (app.conf.broker_transport_options or {}).get("control_folder")
        if control:
            (Path(control) / f"{queue}.exchange").unlink(missing_ok=True)


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_a_task_sent_with_delay(make_collaboration, make_procurement):
    from celery.signals import task_postrun

    world = make_collaboration(2)
    lead, silent = world.municipalities
    procurement = make_procurement(world, joined=[lead], unanswered=[silent])
    invitations_send(user=world.coordinator, procurement=procurement, municipalities=[silent], answer_deadline=_today() + timedelta(days=1))
    mail.outbox = []
    assert Reminder.objects.count() == 0

    # Wait for the worker's own signal rather than polling the database: SQLite's shared
    # in-memory test database locks whole tables between threads.
    finished = threading.Event()
    outcome = {}

    def on_postrun(sender=None, state=None, retval=None, **kwargs):
        if sender is not None and sender.name == reminders_send_due.name:
            outcome.update(state=state, retval=retval, thread=threading.current_thread())
            finished.set()

    task_postrun.connect(on_postrun, weak=False)
    try:
        with live_worker() as app:
            assert not app.conf.task_always_eager
            assert app.conf.broker_url == django_settings.CELERY_BROKER_URL  # filesystem:// or Redis
            reminders_send_due.delay()
            ran = finished.wait(timeout=8)
    finally:
        task_postrun.disconnect(on_postrun)

    assert ran, f"the worker did not run the task within 8 s (broker {django_settings.CELERY_BROKER_URL})"
    assert outcome["thread"] is not threading.current_thread()  # the worker ran it, not an eager call
    assert (outcome["state"], outcome["retval"]) == ("SUCCESS", 2)
    recipients = set(Reminder.objects.values_list("recipient_id", flat=True))
    assert recipients == {world.representative(silent).pk, world.chief_executive(silent).pk}
    assert _addresses(mail.outbox) == _emails([world.representative(silent), world.chief_executive(silent)])


def test_mail_links_are_absolute_and_point_at_the_procurement(make_collaboration, make_procurement, settings, mailoutbox):
    from procurement.tasks import notification_send

    settings.SITE_URL = "https://anskaffelser.example.no/"
    world = make_collaboration(2)
    procurement = make_procurement(world)
    mailoutbox.clear()
    notification_send(event="phase_changed", procurement_id=procurement.pk, municipality_ids=[])
    assert mailoutbox, "the coordinators are told when the phase changes"
    assert f"https://anskaffelser.example.no/anskaffelser/{procurement.pk}/" in mailoutbox[0].body
