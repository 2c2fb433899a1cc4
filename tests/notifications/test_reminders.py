"""Reminders of deadlines (notifications/reminders.py, procurement/notifications.py): once
per person, deadline and offset, only when due, only to those who still have to act; the
sweep costs the same few queries for 10 deadlines or 1 000; notifications of decisions leave
only after the transaction commits. Delivery is the outbox's: ``deliver()`` below sends what
the sweep recorded, in this process, as ``manage.py sweep_reminders`` does."""
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from municipalities.roles import Role
from notifications.models import Event, Outbox
from notifications.reminders import offset_reached, reminders_sweep
from notifications.services import outbox_deliver_pending
from procurement import phases
from procurement.models import Deadline, DeadlineKind, Procurement
from procurement.notifications import event_messages
from procurement.services.intake import invitation_answer, invitations_send
from procurement.services.lifecycle import procurement_transition


@pytest.fixture(autouse=True)
def offsets(settings):
    settings.REMINDER_OFFSETS = [7, 1, 0, -1]
    settings.REMINDER_OVERDUE_DAYS = 14


def _today():
    return timezone.localdate()


def _addresses(messages) -> list[str]:
    return sorted(address for message in messages for address in message.to)


def _emails(people) -> list[str]:
    return sorted(person.email for person in people)


def sweep() -> int:
    return len(reminders_sweep())


def deliver() -> int:
    return outbox_deliver_pending()


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
    # The set-up's own notifications are not what these tests count.
    Event.objects.update(expanded_at=timezone.now())
    return world, procurement


# --------------------------------------------------------------------------- which offset


@pytest.mark.parametrize(
    ("days_left", "offset"),
    [(30, None), (8, None), (7, 7), (3, 7), (2, 7), (1, 1), (0, 0), (-1, -1), (-10, -1)],
)
def test_the_offset_reached_last_is_the_one_due(days_left, offset):
    today = _today()
    assert offset_reached(today + timedelta(days=days_left), today, (7, 1, 0, -1)) == offset


def test_offsets_without_an_overdue_one_stop_on_the_day():
    today = _today()
    assert offset_reached(today - timedelta(days=3), today, (7, 0)) == 0


# --------------------------------------------------------------------------- reminders


@pytest.mark.django_db
def test_invitation_reminders_go_to_the_unanswered_municipalities_once(waiting, mailoutbox):
    world, procurement = waiting
    _, _, silent_a, silent_b = world.municipalities
    expected = [world.person(role, m) for m in (silent_a, silent_b) for role in (Role.MUNICIPAL_REPRESENTATIVE, Role.CHIEF_EXECUTIVE)]

    assert sweep() == 4
    assert deliver() == 4
    assert _addresses(mailoutbox) == _emails(expected)
    assert all(len(message.to) == 1 for message in mailoutbox)  # nobody sees the others' addresses
    assert all(procurement.title in message.subject for message in mailoutbox)
    assert Outbox.objects.filter(sent_at__isnull=False).count() == 4

    # Beat sweeps again and again: nothing is recorded or sent twice.
    assert sweep() == 0
    assert sweep() == 0
    assert deliver() == 0
    assert len(mailoutbox) == 4
    assert Outbox.objects.count() == 4


@pytest.mark.django_db
def test_each_offset_is_sent_once_as_the_deadline_comes_closer(waiting, mailoutbox):
    _, procurement = waiting
    deadline = Deadline.objects.get(procurement=procurement, kind=DeadlineKind.INVITATION_ANSWER)
    now = timezone.now()
    for days_before, expected in ((9, 0), (6, 4), (5, 0), (1, 4), (1, 0), (0, 4), (-1, 4), (-3, 0)):
        at = now + (deadline.due_date - _today()) - timedelta(days=days_before)
        assert len(reminders_sweep(now=at)) == expected, days_before
    deliver()
    assert len(mailoutbox) == 16  # four people, four reminders each
    subjects = sorted({message.subject.split(":")[0] for message in mailoutbox})
    assert subjects == ["Fristen er passert", "Påminnelse"]
    said = {message.body.split("»")[2].split(":")[0].strip() for message in mailoutbox}
    assert said == {"er om 6 dager", "er i morgen", "er i dag", "er passert"}
    keys = sorted({key.split(":")[2] for key in Outbox.objects.values_list("key", flat=True)}, key=int)
    assert keys == ["-1", "0", "1", "7"]


@pytest.mark.django_db
def test_a_moved_deadline_is_reminded_again_for_its_new_date(waiting, mailoutbox):
    world, procurement = waiting
    silent_a = world.municipalities[2]
    assert sweep() == 4
    invitations_send(
        user=world.coordinator, procurement=procurement, municipalities=[silent_a], answer_deadline=_today() + timedelta(days=1)
    )
    assert sweep() == 4  # same offset band, new due date: a new reminder


@pytest.mark.django_db
def test_a_municipality_that_answers_is_not_reminded(waiting, mailoutbox):
    world, procurement = waiting
    _, _, silent_a, silent_b = world.municipalities
    invitation_answer(user=world.chief_executive(silent_a), procurement=procurement, municipality=silent_a, join=True)
    Outbox.objects.all().delete()
    sweep()
    deliver()
    assert _addresses(mailoutbox) == _emails([world.representative(silent_b), world.chief_executive(silent_b)])


@pytest.mark.django_db
def test_no_invitation_reminder_once_everybody_answered(waiting, mailoutbox):
    world, procurement = waiting
    for municipality in world.municipalities[2:]:
        invitation_answer(
            user=world.chief_executive(municipality), procurement=procurement, municipality=municipality, join=False, reason="Nei."
        )
    assert Deadline.objects.get(procurement=procurement, kind=DeadlineKind.INVITATION_ANSWER).done_at is not None
    assert sweep() == 0


@pytest.mark.django_db
def test_no_invitation_reminder_after_the_procurement_started(waiting, mailoutbox):
    world, procurement = waiting
    # The answer deadline passed with two municipalities silent; the coordinator starts.
    Procurement.objects.filter(pk=procurement.pk).update(invitation_deadline=_today() - timedelta(days=1))
    Deadline.objects.filter(procurement=procurement).update(due_date=_today() - timedelta(days=1))
    procurement_transition(user=world.coordinator, procurement_id=procurement.pk, transition="start")
    # They can no longer answer, so they must not be asked to.
    assert sweep() == 0


@pytest.mark.django_db
def test_one_mail_per_person_even_with_two_roles(waiting, mailoutbox):
    from municipalities.services import role_assign

    world, procurement = waiting
    silent_a = world.municipalities[2]
    person = world.chief_executive(silent_a)
    role_assign(actor=None, person=person, role=Role.MUNICIPAL_REPRESENTATIVE, municipality=silent_a)
    sweep()
    deliver()
    assert _addresses(mailoutbox).count(person.email) == 1
    assert Outbox.objects.filter(recipient=person).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("days_ahead", "reminded"),
    [(-20, False), (-2, True), (0, True), (1, True), (3, True), (7, True), (8, False), (30, False)],
)
def test_only_deadlines_within_an_offset(waiting, mailoutbox, days_ahead, reminded):
    _, procurement = waiting
    Deadline.objects.filter(procurement=procurement).update(due_date=_today() + timedelta(days=days_ahead))
    assert (sweep() > 0) is reminded
    deliver()
    assert bool(mailoutbox) is reminded


@pytest.mark.django_db
def test_the_offsets_follow_the_setting(waiting, mailoutbox, settings):
    _, procurement = waiting
    Deadline.objects.filter(procurement=procurement).update(due_date=_today() + timedelta(days=5))
    settings.REMINDER_OFFSETS = [3, 0]
    assert sweep() == 0
    settings.REMINDER_OFFSETS = [5, 0]
    assert sweep() == 4


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
    Outbox.objects.all().delete()
    assert sweep() == 2
    deliver()
    assert _addresses(mailoutbox) == _emails([world.coordinator, buyer])
    assert all("Behov kartlagt" in message.subject for message in mailoutbox)


@pytest.mark.django_db
def test_no_reminders_for_a_cancelled_procurement(waiting, mailoutbox):
    world, procurement = waiting
    procurement_transition(user=world.coordinator, procurement_id=procurement.pk, transition="cancel", reason="Stoppet.")
    assert sweep() == 0


@pytest.mark.django_db
def test_the_command_sweeps_and_delivers_and_says_how_many(waiting, mailoutbox):
    out = StringIO()
    call_command("sweep_reminders", stdout=out)
    assert out.getvalue().strip().splitlines()[-1] == "reminders: created 4, sent 4"
    out = StringIO()
    call_command("sweep_reminders", stdout=out)
    assert out.getvalue().strip().splitlines()[-1] == "reminders: created 0, sent 0"
    assert len(mailoutbox) == 4


# --------------------------------------------------------------------------- the sweep's cost


def _due_deadlines(make_collaboration, make_procurement, count: int):
    """COUNT due deadlines of every kind the sweep reads, over a few procurements."""
    world = make_collaboration(3)
    lead, *silent = world.municipalities
    inviting = make_procurement(world, joined=[lead], unanswered=silent)
    started = make_procurement(world, phase=phases.NEEDS)
    today = _today()
    rows = [
        Deadline(
            procurement=started,
            kind=DeadlineKind.PHASE,
            phase=phases.NEEDS,
            title=f"Frist {n}",
            due_date=today + timedelta(days=n % 9 - 1),
        )
        for n in range(count - 1)
    ]
    Deadline.objects.bulk_create(rows)
    Deadline.objects.filter(procurement=inviting).update(due_date=today + timedelta(days=1))
    Outbox.objects.all().delete()
    return world


@pytest.mark.django_db
def test_the_sweep_costs_the_same_queries_for_10_and_1000_deadlines(make_collaboration, make_procurement, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for size in (10, 1000):
        Deadline.objects.all().delete()
        _due_deadlines(make_collaboration, make_procurement, size)
        with CaptureQueriesContext(connection) as queries:
            created = reminders_sweep()
        counts[size] = len(queries)
        assert len(created) > size  # every due deadline got its reminders (several people each)
    assert counts[10] == counts[1000], counts
    with django_assert_max_num_queries(counts[10]):
        assert reminders_sweep() == []  # and a sweep that finds everything recorded costs no more


# --------------------------------------------------------------------------- notifications on commit


@pytest.mark.django_db
def test_notifications_leave_only_after_commit(make_collaboration, make_procurement, mailoutbox, django_capture_on_commit_callbacks):
    world = make_collaboration(3)
    lead, *others = world.municipalities
    procurement = make_procurement(world, joined=[lead])
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        invitations_send(user=world.coordinator, procurement=procurement, municipalities=others, answer_deadline=_today() + timedelta(days=7))
    assert mailoutbox == []  # nothing leaves inside the transaction
    assert len(callbacks) == 1
    with django_capture_on_commit_callbacks(execute=True):
        callbacks[0]()  # the commit: the (eager) task records one message per invited person and sends them
    expected = [world.person(role, m) for m in others for role in (Role.MUNICIPAL_REPRESENTATIVE, Role.CHIEF_EXECUTIVE)]
    assert _addresses(mailoutbox) == _emails(expected)
    assert all(message.subject == f"Invitasjon til felles anskaffelse: {procurement.title}" for message in mailoutbox)


@pytest.mark.django_db
def test_a_rolled_back_change_notifies_nobody(make_collaboration, make_procurement, mailoutbox, django_capture_on_commit_callbacks):
    world = make_collaboration(2)
    procurement = make_procurement(world, joined=world.municipalities[:1])
    mailoutbox.clear()
    events = Event.objects.count()
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
    assert Event.objects.count() == events  # the event rolled back with the decision


@pytest.mark.django_db
def test_a_transition_notifies_the_coordinators(procurement, collaboration, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        procurement_transition(user=collaboration.coordinator, procurement_id=procurement.pk, transition="start")
    assert collaboration.coordinator.email in _addresses(mailoutbox)
    assert all(message.subject == f"Ny fase i anskaffelsen: {procurement.title}" for message in mailoutbox)


@pytest.mark.django_db
def test_notification_for_a_vanished_procurement_or_unknown_event_has_no_messages(procurement):
    assert event_messages(Event(pk=1, name="phase_changed", procurement_id=procurement.pk + 1000)) == []
    assert event_messages(Event(pk=1, name="no_such_event", procurement_id=procurement.pk)) == []
    assert event_messages(Event(pk=1, name="phase_changed", procurement_id=procurement.pk))


def test_mail_links_are_absolute_and_point_at_the_procurement(make_collaboration, make_procurement, settings):
    settings.SITE_URL = "https://anskaffelser.example.no/"
    world = make_collaboration(2)
    procurement = make_procurement(world)
    messages = event_messages(Event(pk=1, name="phase_changed", procurement_id=procurement.pk))
    assert messages, "the coordinators are told when the phase changes"
    assert f"https://anskaffelser.example.no/anskaffelser/{procurement.pk}/" in messages[0].body
