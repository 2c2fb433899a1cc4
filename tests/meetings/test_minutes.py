"""Meetings and minutes (seed 003): planning with the 14-day series warning, minutes due 2
working days after the meeting with the secretary reminded through the outbox, corrections
from participants, and approval by itself when none arrived by the 4th working day before
the next meeting, written in the audit log. Dates are Norwegian; the meetings are in the past
so that "now" can be chosen."""
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from audit.actions import Action
from audit.models import AuditEntry
from meetings.calendar import meeting_ics
from meetings.models import Meeting, MeetingGroup
from meetings.rules import MinutesStatus
from meetings.selectors import procurement_meetings
from meetings.services import correction_submit, meeting_dates, meeting_plan, minutes_approve, minutes_approve_due, minutes_send
from notifications.models import Outbox
from notifications.reminders import reminders_sweep

OSLO = ZoneInfo("Europe/Oslo")
pytestmark = pytest.mark.django_db


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=OSLO)


def monday_weeks_ago(weeks: int) -> date:
    today = timezone.localdate()
    return today - timedelta(days=today.weekday()) - timedelta(weeks=weeks)


@pytest.fixture
def group(make_collaboration, make_procurement):
    world = make_collaboration(2)
    procurement = make_procurement(world)
    first, second = world.municipalities
    people = [world.representative(first), world.representative(second), world.chief_executive(first)]
    return world, procurement, people


def plan(group, day: date, *, title="Møte", secretary=None, hour=10, **extra):
    world, procurement, people = group
    meeting, too_close = meeting_plan(
        user=world.coordinator,
        procurement=procurement,
        group=extra.pop("kind", MeetingGroup.PROJECT_GROUP),
        title=title,
        starts_at=at(day, hour),
        duration_minutes=90,
        place="Kongsberg rådhus",
        participants=people,
        secretary=secretary or world.coordinator,
        **extra,
    )
    return meeting, too_close


# --------------------------------------------------------------------------- planning


def test_the_coordinator_plans_and_the_participants_are_told(group):
    world, procurement, people = group
    meeting, too_close = plan(group, monday_weeks_ago(-1), agenda="1. Kravene\n2. Eventuelt")
    assert too_close == []
    assert set(meeting.participants.all()) == {*people, world.coordinator}  # the secretary is always there
    invited = Outbox.objects.filter(kind="meeting:planned")
    assert set(invited.values_list("recipient_id", flat=True)) == {p.pk for p in (*people, world.coordinator)}
    assert AuditEntry.objects.filter(action=Action.MEETING_PLANNED, procurement=procurement).exists()


def test_a_representative_cannot_plan(group):
    world, procurement, people = group
    with pytest.raises(PermissionDenied):
        meeting_plan(
            user=people[0], procurement=procurement, group="project_group", title="X", starts_at=at(monday_weeks_ago(-1)),
            duration_minutes=60, place="Her", participants=[], secretary=people[0],
        )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": "   "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"place": ""}, "place"),
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"duration_minutes": 10_000}, "duration_minutes"),
        ({"starts_at": datetime(9999, 12, 31, 23, tzinfo=OSLO)}, "starts_at"),
        ({"starts_at": datetime(2026, 1, 1, 10)}, "starts_at"),  # naive
        ({"group": "board_of_nobody"}, "group"),
        ({"agenda": "a\x00b"}, "agenda"),
    ],
)
def test_bad_input_is_a_clear_error(group, changes, field):
    world, procurement, people = group
    arguments = dict(
        user=world.coordinator, procurement=procurement, group="project_group", title="Møte", starts_at=at(monday_weeks_ago(-1)),
        duration_minutes=60, place="Her", participants=people, secretary=world.coordinator,
    )
    arguments.update(changes)
    with pytest.raises(ValidationError) as error:
        meeting_plan(**arguments)
    assert field in error.value.error_dict


def test_an_outsider_cannot_be_participant_or_secretary(group, make_collaboration):
    world, procurement, people = group
    stranger = make_collaboration(1).coordinator
    with pytest.raises(ValidationError) as error:
        meeting_plan(
            user=world.coordinator, procurement=procurement, group="project_group", title="Møte", starts_at=at(monday_weeks_ago(-1)),
            duration_minutes=60, place="Her", participants=[stranger], secretary=stranger,
        )
    assert {"participants", "secretary"} <= set(error.value.error_dict)


def test_meetings_less_than_14_days_apart_are_warned_about(group):
    start = monday_weeks_ago(-1)
    plan(group, start)
    _, too_close = plan(group, start + timedelta(days=14))
    assert too_close == []
    _, too_close = plan(group, start + timedelta(days=24))
    assert too_close == [(start + timedelta(days=14), start + timedelta(days=24))]
    # Another group's meetings are another series.
    _, too_close = plan(group, start + timedelta(days=25), kind=MeetingGroup.STEERING_GROUP)
    assert too_close == []
    rows = procurement_meetings(procurement=group[1])
    assert [bool(r.too_close) for r in rows] == [False, True, True, False]


# --------------------------------------------------------------------------- minutes due and reminders


def test_minutes_are_due_two_working_days_after_and_the_secretary_is_reminded(group, settings):
    settings.REMINDER_OFFSETS = [7, 1, 0, -1]
    world, procurement, people = group
    # Thursday 9 April 2026 is Maundy Thursday: the meeting on Wednesday 1 April... use a plain week.
    thursday = monday_weeks_ago(3) + timedelta(days=3)
    meeting, _ = plan(group, thursday, secretary=people[0])
    dates = meeting_dates(meeting)
    assert dates.due >= thursday + timedelta(days=4)  # Friday and Monday (or later, over a holiday)

    def sweep_on(day: date, hour=12):
        return Outbox.objects.filter(pk__in=reminders_sweep(now=at(day, hour)), kind="reminder:minutes_due")

    assert not sweep_on(thursday, 9).exists()  # before the meeting
    before = sweep_on(thursday, 18)  # after it: the reminder before the day
    assert [r.recipient_id for r in before] == [people[0].pk]
    assert "skal sendes senest" in before[0].body
    assert not sweep_on(thursday + timedelta(days=1)).exists()  # the same offset: nothing new
    assert sweep_on(dates.due - timedelta(days=1)).count() <= 1
    on_the_day = sweep_on(dates.due)
    assert on_the_day.count() == 1 and "er i dag" in on_the_day[0].body
    late = sweep_on(dates.due + timedelta(days=1))
    assert late.count() == 1 and late[0].subject.startswith("Referatet er for sent")
    assert not sweep_on(dates.due + timedelta(days=2)).exists()


def test_no_reminder_once_the_minutes_are_sent(group, settings):
    settings.REMINDER_OFFSETS = [1, 0, -1]
    world, procurement, people = group
    meeting, _ = plan(group, monday_weeks_ago(1))
    minutes_send(user=world.coordinator, meeting=meeting, text="Vi ble enige.")
    assert not Outbox.objects.filter(kind="reminder:minutes_due").exists()
    reminders_sweep()
    assert not Outbox.objects.filter(kind="reminder:minutes_due").exists()


# --------------------------------------------------------------------------- sending, correcting, approving


def test_the_secretary_sends_and_every_other_participant_is_told(group):
    world, procurement, people = group
    meeting, _ = plan(group, monday_weeks_ago(2), secretary=people[0])
    with pytest.raises(PermissionDenied):
        minutes_send(user=people[1], meeting=meeting, text="Ikke min jobb.")
    with pytest.raises(ValidationError):
        minutes_send(user=people[0], meeting=meeting, text="  ")
    minutes_send(user=people[0], meeting=meeting, text="Referat: kravene ble vedtatt.")
    told = set(Outbox.objects.filter(kind="minutes:sent").values_list("recipient_id", flat=True))
    assert told == {people[1].pk, people[2].pk}  # the coordinator planned it but takes no part
    assert AuditEntry.objects.filter(action=Action.MINUTES_SENT).count() == 1


def test_a_future_meeting_has_no_minutes_yet(group):
    world, procurement, people = group
    meeting, _ = plan(group, monday_weeks_ago(-1))
    with pytest.raises(ValidationError):
        minutes_send(user=world.coordinator, meeting=meeting, text="For tidlig.")


def test_participants_correct_and_others_may_not(group):
    world, procurement, people = group
    meeting, _ = plan(group, monday_weeks_ago(3))
    with pytest.raises(ValidationError):
        correction_submit(user=people[0], meeting=meeting, text="Ikke sendt ennå")
    minutes_send(user=world.coordinator, meeting=meeting, text="Referat.")
    correction_submit(user=people[0], meeting=meeting, text="Punkt 2: det var Notodden, ikke Kongsberg.")
    assert Outbox.objects.filter(kind="minutes:corrected", recipient=world.coordinator).count() == 1
    outsider = world.user_representative(world.municipalities[0])
    with pytest.raises(PermissionDenied):
        correction_submit(user=outsider, meeting=meeting, text="Jeg var ikke der.")
    meeting.refresh_from_db()
    assert meeting_dates(meeting).status == MinutesStatus.CORRECTED


def _series(group, *, secretary=None, past=False):
    """Two meetings of one group 4 weeks apart, the first 2 weeks ago (both long past when
    PAST); the first one's minutes are sent right after it."""
    first_day = monday_weeks_ago(8 if past else 2) + timedelta(days=1)
    first, _ = plan(group, first_day, title="Møte 1", secretary=secretary)
    second, _ = plan(group, first_day + timedelta(weeks=4), title="Møte 2", secretary=secretary)
    first = minutes_send(user=group[0].coordinator, meeting=first, text="Referat.")
    Meeting.objects.filter(pk=first.pk).update(minutes_sent_at=first.ends_at + timedelta(hours=2))
    first.refresh_from_db()
    return first, second


def test_minutes_without_corrections_are_approved_by_themselves_and_the_log_says_so(group):
    world, procurement, people = group
    first, second = _series(group)
    dates = meeting_dates(first)
    assert dates.corrections_until < second.meeting_on
    last_day = dates.corrections_until

    assert minutes_approve_due(now=at(last_day, 23)) == []  # the last day has not ended
    assert minutes_approve_due(now=at(last_day + timedelta(days=1), 0) + timedelta(minutes=1)) == [first.pk]
    first.refresh_from_db()
    assert first.minutes_approved_automatically and first.minutes_approved_at is not None
    entry = AuditEntry.objects.get(action=Action.MINUTES_DEEMED_APPROVED)
    assert entry.actor is None and entry.procurement == procurement
    assert "godkjent automatisk" in entry.message and f"{last_day:%d.%m.%Y}" in entry.message
    assert minutes_approve_due(now=at(second.meeting_on)) == []  # once
    assert meeting_dates(first).status == MinutesStatus.DEEMED_APPROVED


def test_a_correction_in_time_stops_the_approval_and_the_secretary_approves(group):
    world, procurement, people = group
    first, second = _series(group)
    correction_submit(user=people[1], meeting=first, text="Feil dato i punkt 3.")
    assert minutes_approve_due() == []
    minutes_approve(user=world.coordinator, meeting=first)
    first.refresh_from_db()
    assert first.minutes_approved_at is not None and not first.minutes_approved_automatically
    assert AuditEntry.objects.filter(action=Action.MINUTES_APPROVED).exists()


def test_a_correction_after_the_last_day_is_refused(group, monkeypatch):
    world, procurement, people = group
    first, second = _series(group, past=True)
    # Today is past the last day (the second meeting was a few weeks ago).
    with pytest.raises(ValidationError) as error:
        correction_submit(user=people[1], meeting=first, text="For sent.")
    assert "Fristen for rettelser gikk ut" in str(error.value)


def test_minutes_sent_after_the_last_day_wait_for_the_next_meeting(group):
    world, procurement, people = group
    first, second = _series(group, past=True)
    Meeting.objects.filter(pk=first.pk).update(minutes_sent_at=timezone.now())  # sent today, weeks late
    first.refresh_from_db()
    assert meeting_dates(first).status == MinutesStatus.LATE
    assert minutes_approve_due() == []


def test_the_sweep_and_the_approval_cost_the_same_for_many_meetings(group, django_assert_max_num_queries, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.REMINDER_OFFSETS = [7, 1, 0, -1]
    world, procurement, people = group
    counts = []
    for weeks in ((4,), (8, 7, 6, 5)):
        for w in weeks:
            meeting, _ = plan(group, monday_weeks_ago(w) + timedelta(days=1))
            minutes_send(user=world.coordinator, meeting=meeting, text="R.")
            Meeting.objects.filter(pk=meeting.pk).update(minutes_sent_at=meeting.ends_at)
        plan(group, monday_weeks_ago(0) - timedelta(days=6))  # a next meeting, minutes not sent
        with CaptureQueriesContext(connection) as queries:
            minutes_approve_due()
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


# --------------------------------------------------------------------------- calendar


def test_the_calendar_file_reads_back(group):
    world, procurement, people = group
    day = monday_weeks_ago(-2)
    meeting, _ = plan(group, day, title="Styringsgruppe «Q3»", link="https://teams.example/m/1", agenda="1. Status; 2. Budsjett")
    calendar = icalendar.Calendar.from_ical(meeting_ics(meeting))
    (event,) = calendar.walk("VEVENT")
    assert str(event["summary"]) == "Styringsgruppe «Q3»"
    assert event.decoded("dtstart") == at(day)
    assert event.decoded("dtend") - event.decoded("dtstart") == timedelta(minutes=90)
    assert str(event["location"]) == "Kongsberg rådhus"
    assert "1. Status; 2. Budsjett" in str(event["description"])
    assert str(event["uid"]).startswith(f"meeting-{meeting.pk}@")


def test_a_second_participant_may_still_correct_after_the_first(group):
    world, procurement, people = group
    first, second = _series(group)
    correction_submit(user=people[1], meeting=first, text="Punkt 1.")
    first.refresh_from_db()
    assert meeting_dates(first).open_for_corrections
    correction_submit(user=people[2], meeting=first, text="Punkt 2.")
    assert first.corrections.count() == 2
