"""The two complaint deadlines are derived, never typed in: the tenderers' deadline to
complain against an award (the standstill's last day: a complaint after it no longer stops
the signing) for each award notice sent, and the buyer's deadline to answer a complaint made
to it (COMPLAINT_ANSWER_WORKING_DAYS working days after receipt), which ends when the
complaint is decided. Both are reminded to the coordinator and the regional buyer, and both
move when a declared public holiday moves their last day."""
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from audit.actions import Action
from audit.models import AuditEntry
from contracts.models import ComplaintKind, ComplaintState
from contracts.services import (
    COMPLAINT_ANSWER_RULE,
    COMPLAINT_RULE,
    award_notice_send,
    award_notice_withdraw,
    complaint_register,
    complaint_resolve,
)
from municipalities.roles import Role
from notifications.models import Outbox
from notifications.reminders import reminders_sweep
from procurement import deadlines, phases
from procurement.extensions import deadline_rule_recipients
from procurement.models import Deadline, DeadlineKind, DeclaredHoliday
from procurement.services.holidays import declared_holiday_save
from tests.conftest import STEERING, person_with_role
from tests.factories import CollaborationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _calendar_reset():
    yield
    deadlines.declared_holidays_use({})


# ------------------------------------------------------------------ the rule, by table


@pytest.mark.parametrize(
    ("received_on", "working_days", "country", "last_day"),
    [
        (date(2025, 3, 3), 10, "NO", date(2025, 3, 17)),  # Monday: two weeks on
        (date(2025, 3, 7), 10, "NO", date(2025, 3, 21)),  # Friday: the day of receipt never counts
        (date(2025, 3, 8), 10, "NO", date(2025, 3, 21)),  # Saturday: the same as Friday's
        (date(2025, 4, 11), 10, "NO", date(2025, 4, 30)),  # over Easter: Thursday, Friday, Monday off
        (date(2025, 4, 11), 10, "DK", date(2025, 4, 30)),  # Danish Easter the same
        (date(2025, 5, 28), 2, "NO", date(2025, 6, 2)),  # Ascension Day is not a working day
        (date(2025, 5, 14), 2, "DK", date(2025, 5, 16)),  # 2025: Store Bededag (16 May) is a working day
        (date(2023, 5, 3), 2, "DK", date(2023, 5, 8)),  # 2023: it still was (Friday 5 May)
    ],
)
def test_the_answer_deadline_counts_working_days_after_receipt(received_on, working_days, country, last_day):
    assert deadlines.complaint_answer_last_day(received_on, working_days, country) == last_day


@pytest.mark.parametrize(
    ("sent_on", "days", "country"),
    [(date(2025, 3, 3), 10, "NO"), (date(2025, 4, 8), 10, "NO"), (date(2025, 12, 15), 14, "NO"), (date(2025, 4, 8), 10, "DK")],
)
def test_the_tenderers_deadline_to_complain_is_the_standstills_last_day(sent_on, days, country):
    assert deadlines.complaint_last_day(sent_on, days, country) == deadlines.standstill_last_day(sent_on, days, country)


# ------------------------------------------------------------------ derived by the services


@pytest.fixture
def world(make_collaboration):
    world = make_collaboration(2)
    world.buyer = person_with_role(Role.REGIONAL_BUYER, body=world.bodies[STEERING], first_name="Innkjøper")
    return world


def _case(world, make_procurement, *, sent_days_ago=4):
    procurement = make_procurement(world, phase=phases.CONTRACT)
    notice = award_notice_send(
        user=world.coordinator, procurement=procurement, sent_on=world.collaboration.today() - timedelta(days=sent_days_ago)
    )
    return procurement, notice


def _live(procurement, kind):
    return list(Deadline.objects.filter(procurement=procurement, kind=kind, done_at__isnull=True))


def test_an_award_notice_derives_the_deadline_to_complain(world, make_procurement):
    procurement, notice = _case(world, make_procurement)
    (deadline,) = _live(procurement, DeadlineKind.COMPLAINT)
    assert (deadline.rule, deadline.due_date) == (COMPLAINT_RULE, notice.standstill_ends_on)
    assert deadline.rule_inputs["notice"] == notice.pk


def test_a_withdrawn_notice_ends_its_deadline_to_complain_and_a_new_one_starts_its_own(world, make_procurement):
    procurement, notice = _case(world, make_procurement, sent_days_ago=6)
    award_notice_withdraw(user=world.coordinator, notice=notice, reason="Feil i begrunnelsen")
    assert _live(procurement, DeadlineKind.COMPLAINT) == []
    assert Deadline.objects.get(procurement=procurement, kind=DeadlineKind.COMPLAINT).done_at is not None
    again = award_notice_send(user=world.coordinator, procurement=procurement, sent_on=world.collaboration.today())
    (deadline,) = _live(procurement, DeadlineKind.COMPLAINT)
    assert deadline.due_date == again.standstill_ends_on and deadline.rule_inputs["notice"] == again.pk


@pytest.mark.parametrize(
    ("kind", "working_days", "answer_deadline"),
    [
        (ComplaintKind.BUYER, 10, True),
        (ComplaintKind.BUYER, 5, True),
        # The board or the court sets its own deadlines for the buyer's reply.
        (ComplaintKind.APPEALS_BOARD, 10, False),
        (ComplaintKind.INJUNCTION, 10, False),
    ],
)
def test_an_open_complaint_to_the_buyer_has_a_deadline_to_answer(world, make_procurement, settings, kind, working_days, answer_deadline):
    settings.COMPLAINT_ANSWER_WORKING_DAYS = working_days
    procurement, _notice = _case(world, make_procurement)
    received_on = world.collaboration.today() - timedelta(days=2)
    complaint = complaint_register(
        user=world.coordinator, procurement=procurement, received_on=received_on, complainant="Tilbyder A", summary="Feil poeng", kind=kind
    )
    found = _live(procurement, DeadlineKind.COMPLAINT_ANSWER)
    if not answer_deadline:
        assert found == []
        return
    (deadline,) = found
    expected = deadlines.complaint_answer_last_day(received_on, working_days, world.collaboration.country)
    assert (deadline.rule, deadline.due_date, deadline.rule_inputs["working_days"]) == (COMPLAINT_ANSWER_RULE, expected, working_days)
    entry = AuditEntry.objects.get(action=Action.COMPLAINT_REGISTERED, procurement=procurement)
    assert f"Frist for å svare: {expected:%d.%m.%Y}" in entry.message
    assert entry.data["complaint"] == complaint.pk


@pytest.mark.parametrize("outcome", [ComplaintState.UPHELD, ComplaintState.DISMISSED, ComplaintState.WITHDRAWN])
def test_deciding_the_complaint_ends_the_deadline_to_answer_it_and_only_that_one(world, make_procurement, outcome):
    procurement, _notice = _case(world, make_procurement)
    today = world.collaboration.today()
    first, second = (
        complaint_register(user=world.coordinator, procurement=procurement, received_on=today, complainant=name, summary="Feil poeng")
        for name in ("Tilbyder A", "Tilbyder B")
    )
    complaint_resolve(user=world.coordinator, complaint=first, outcome=outcome, resolution="Vurdert på nytt.")
    (still_open,) = _live(procurement, DeadlineKind.COMPLAINT_ANSWER)
    assert still_open.rule_inputs["complaint"] == second.pk
    done = Deadline.objects.get(procurement=procurement, kind=DeadlineKind.COMPLAINT_ANSWER, rule_inputs__complaint=first.pk)
    assert done.done_at is not None
    assert len(_live(procurement, DeadlineKind.COMPLAINT)) == 1  # the deadline to complain runs on


def test_both_deadlines_are_for_the_coordinator_and_the_regional_buyer(world, make_procurement):
    procurement, _notice = _case(world, make_procurement)
    complaint_register(
        user=world.coordinator, procurement=procurement, received_on=world.collaboration.today(), complainant="Tilbyder A", summary="Feil"
    )
    rows = [(d.pk, d.rule, d.rule_inputs) for d in Deadline.objects.filter(procurement=procurement, rule__in=[COMPLAINT_RULE, COMPLAINT_ANSWER_RULE])]
    assert len(rows) == 2
    people = deadline_rule_recipients(rows)
    assert all(people[pk] == {world.coordinator.pk, world.buyer.pk} for pk, _rule, _inputs in rows)


def test_the_sweep_reminds_them_of_the_deadline_to_answer_on_its_last_day(world, make_procurement):
    procurement, _notice = _case(world, make_procurement)
    complaint_register(
        user=world.coordinator, procurement=procurement, received_on=world.collaboration.today(), complainant="Tilbyder A", summary="Feil"
    )
    (deadline,) = _live(procurement, DeadlineKind.COMPLAINT_ANSWER)
    noon = datetime.combine(deadline.due_date, time(12), tzinfo=ZoneInfo(world.collaboration.time_zone)).astimezone(UTC)
    reminders_sweep(now=noon)
    keys = set(Outbox.objects.filter(kind="reminder:complaint_answer").values_list("key", "recipient_id"))
    assert keys == {(f"deadline:{deadline.pk}:0:{deadline.due_date.isoformat()}:{p}", p) for p in (world.coordinator.pk, world.buyer.pk)}


# ------------------------------------------------------------------ a declared holiday moves them


def _declare(day, country="NO"):
    declared_holiday_save(actor=None, holiday=DeclaredHoliday(country=country, day=day, name="Ekstra fridag", source="Kongelig resolusjon (test)"))


def _next_working_day(day, country="NO"):
    return deadlines.add_working_days(day, 1, country)


def test_a_holiday_on_the_last_day_moves_both_deadlines(world, make_procurement):
    procurement, notice = _case(world, make_procurement)
    complaint_register(
        user=world.coordinator, procurement=procurement, received_on=world.collaboration.today(), complainant="Tilbyder A", summary="Feil"
    )
    (answer,) = _live(procurement, DeadlineKind.COMPLAINT_ANSWER)
    (to_complain,) = _live(procurement, DeadlineKind.COMPLAINT)
    answer_before, complain_before = answer.due_date, to_complain.due_date

    _declare(answer_before)
    answer.refresh_from_db()
    assert answer.due_date == _next_working_day(answer_before)
    entry = AuditEntry.objects.filter(action=Action.DEADLINE_MOVED_BY_HOLIDAY, procurement=procurement).latest("pk")
    assert f"{answer.due_date:%d.%m.%Y}" in entry.message and f"{answer_before:%d.%m.%Y}" in entry.message

    if complain_before != answer_before:
        _declare(complain_before)
    to_complain.refresh_from_db()
    notice.refresh_from_db()
    assert to_complain.due_date == notice.standstill_ends_on == _next_working_day(complain_before)


def test_a_holiday_in_another_country_moves_neither(make_collaboration, make_procurement):
    CollaborationFactory(name="Indkøbsnetværket", country="DK", time_zone="Europe/Copenhagen")
    danish = make_collaboration(2, name="Indkøbsnetværket")
    procurement, _notice = _case(danish, make_procurement)
    complaint_register(user=danish.coordinator, procurement=procurement, received_on=danish.collaboration.today(), complainant="A", summary="B")
    before = {d.pk: d.due_date for d in Deadline.objects.filter(procurement=procurement)}
    for day in set(before.values()):
        _declare(day, country="NO")
    assert {d.pk: d.due_date for d in Deadline.objects.filter(procurement=procurement)} == before
