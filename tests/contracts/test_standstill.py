"""The standstill period through the award-notice service, as the contract phase's gates and
the award section judge it: the last day on real Norwegian and Danish calendars, the end of
that day in the collaboration's zone, refusals of a period shorter than the law's minimum,
and the contract phase that cannot be completed while the period runs or a complaint is
open."""
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError

from contracts.models import AwardNotice, Complaint, ComplaintState, NoticeChannel
from contracts.selectors import award_section
from contracts.services import award_notice_send, complaint_register, complaint_resolve
from procurement import phases
from procurement.exceptions import TransitionRefused
from procurement.models import Deadline, DeadlineKind
from procurement.readiness import ReadinessLoader
from procurement.services.lifecycle import procurement_transition
from tests.factories import CollaborationFactory

pytestmark = pytest.mark.django_db

ONE_MICROSECOND = timedelta(microseconds=1)


@pytest.fixture
def world_in(make_collaboration):
    """A collaboration of COUNTRY: Norway through the shared fixture, Denmark as a
    collaboration row made first (the fixture then fills that one by its name)."""

    def make(country: str):
        if country == "DK":
            CollaborationFactory(name="Indkøbsnetværket", country="DK", time_zone="Europe/Copenhagen")
            return make_collaboration(2, name="Indkøbsnetværket")
        return make_collaboration(2)

    return make


@pytest.fixture
def in_contract(world_in, make_procurement):
    def make(country: str = "NO"):
        world = world_in(country)
        return world, make_procurement(world, phase=phases.CONTRACT)

    return make


def _gate(procurement, code: str, *, now: datetime):
    procurement.refresh_from_db()
    readiness = ReadinessLoader([procurement], now=now).for_procurement(procurement)
    return next(gate for gate in readiness.gates if gate.gate.code == code)


# --------------------------------------------------------------------------------------
# The last day of the period, on real calendars
# --------------------------------------------------------------------------------------

STANDSTILL_CASES = [
    # country, sent on, channel, days, last day, why
    ("NO", date(2026, 3, 27), "electronic", None, date(2026, 4, 7), "10 days end on Easter Monday: moved to Tuesday"),
    ("DK", date(2026, 3, 27), "electronic", None, date(2026, 4, 7), "Easter Monday is a helligdag in Denmark too"),
    ("NO", date(2026, 4, 3), "electronic", None, date(2026, 4, 13), "sent on Good Friday; ends on a Saturday: Monday"),
    ("NO", date(2026, 3, 20), "other", None, date(2026, 4, 7), "letter: 15 days end on Easter Saturday: Tuesday"),
    ("NO", date(2026, 5, 7), "electronic", None, date(2026, 5, 18), "17 May is a Sunday: Monday"),
    ("NO", date(2026, 4, 21), "electronic", None, date(2026, 5, 4), "1 May is a public holiday in Norway"),
    ("DK", date(2026, 4, 21), "electronic", None, date(2026, 5, 1), "1 May is a working day in Denmark"),
    ("DK", date(2023, 4, 25), "electronic", None, date(2023, 5, 8), "Store Bededag 2023 was still a helligdag"),
    ("NO", date(2023, 4, 25), "electronic", None, date(2023, 5, 5), "no Store Bededag in Norway"),
    ("NO", date(2026, 6, 1), "electronic", 14, date(2026, 6, 15), "a longer period chosen (Fosen's 14 days)"),
    ("NO", date(2026, 10, 15), "electronic", None, date(2026, 10, 26), "ends on the Sunday clocks go back: Monday"),
]


@pytest.mark.parametrize(
    ("country", "sent_on", "channel", "days", "last_day", "why"), STANDSTILL_CASES, ids=[case[-1] for case in STANDSTILL_CASES]
)
def test_last_day_of_the_standstill(in_contract, country, sent_on, channel, days, last_day, why):
    world, procurement = in_contract(country)
    notice = award_notice_send(
        user=world.coordinator, procurement=procurement, sent_on=sent_on, channel=channel, standstill_days=days
    )
    assert notice.standstill_ends_on == last_day, why
    assert notice.standstill_days == (days or {"electronic": 10, "other": 15}[channel])
    deadline = Deadline.objects.get(procurement=procurement, kind=DeadlineKind.STANDSTILL)
    assert deadline.due_date == last_day
    assert deadline.rule_inputs == {
        "sent_on": sent_on.isoformat(),
        "days": notice.standstill_days,
        "country": country,
        "channel": channel,
    }


# --------------------------------------------------------------------------------------
# The gate passes at 24:00 of the last day in the collaboration's zone, not before
# --------------------------------------------------------------------------------------

GATE_CASES = [
    # country, sent on, the instant the period ends (24:00 local, written in UTC)
    ("NO", date(2026, 3, 27), datetime(2026, 4, 7, 22, 0, tzinfo=UTC)),  # summer time: UTC+2
    ("DK", date(2026, 3, 27), datetime(2026, 4, 7, 22, 0, tzinfo=UTC)),
    ("NO", date(2026, 10, 15), datetime(2026, 10, 26, 23, 0, tzinfo=UTC)),  # winter time again: UTC+1
]


@pytest.mark.parametrize(("country", "sent_on", "ends_at"), GATE_CASES)
def test_standstill_gate_passes_only_at_the_end_of_the_last_day(in_contract, country, sent_on, ends_at):
    world, procurement = in_contract(country)
    award_notice_send(user=world.coordinator, procurement=procurement, sent_on=sent_on)

    before = _gate(procurement, "standstill-ended", now=ends_at - ONE_MICROSECOND)
    assert not before.passed
    assert before.reasons and "først etter" in before.reasons[0]
    assert _gate(procurement, "standstill-ended", now=ends_at).passed
    # The notice itself is the other gate; it passes from the moment it is recorded.
    assert _gate(procurement, "award-notice-sent", now=ends_at - ONE_MICROSECOND).passed

    # The award section says the same at the same instants.
    running = award_section(user=world.coordinator, procurement=procurement, now=ends_at - ONE_MICROSECOND)
    ended = award_section(user=world.coordinator, procurement=procurement, now=ends_at)
    assert (running.standstill.ended, ended.standstill.ended) == (False, True)
    assert running.standstill.ends_at == ends_at
    assert running.standstill.signable_from == running.standstill.ends_on + timedelta(days=1)


# --------------------------------------------------------------------------------------
# A shorter period than the law's minimum is refused; nothing is written
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("channel", "days", "minimum"),
    [("electronic", 9, 10), ("electronic", 1, 10), ("other", 10, 15), ("other", 14, 15)],
)
def test_a_period_shorter_than_the_minimum_is_refused(in_contract, channel, days, minimum):
    world, procurement = in_contract()
    with pytest.raises(ValidationError) as error:
        award_notice_send(
            user=world.coordinator,
            procurement=procurement,
            sent_on=procurement.collaboration.today(),
            channel=channel,
            standstill_days=days,
        )
    assert error.value.message_dict == {"standstill_days": [f"Karensperioden må være minst {minimum} dager."]}
    assert not AwardNotice.objects.filter(procurement=procurement).exists()
    assert not Deadline.objects.filter(procurement=procurement, kind=DeadlineKind.STANDSTILL).exists()


def test_the_minimum_itself_is_allowed(in_contract):
    world, procurement = in_contract()
    notice = award_notice_send(
        user=world.coordinator, procurement=procurement, sent_on=date(2026, 3, 20), channel=NoticeChannel.OTHER, standstill_days=15
    )
    assert notice.standstill_days == 15


# --------------------------------------------------------------------------------------
# The contract phase waits for the notice, the period and the complaints
# --------------------------------------------------------------------------------------


def _complete(world, procurement):
    return procurement_transition(user=world.coordinator, procurement_id=procurement.pk, transition="complete_phase")


def _refusal(world, procurement) -> list[str]:
    with pytest.raises(TransitionRefused) as error:
        _complete(world, procurement)
    procurement.refresh_from_db()
    assert procurement.state == phases.CONTRACT
    return error.value.reasons


def test_contract_phase_waits_for_the_notice_the_standstill_and_the_complaints(
    in_contract, fill_deliverables, sign_gate
):
    world, procurement = in_contract()
    fill_deliverables(procurement)
    sign_gate(procurement, "dpa")
    procurement.refresh_from_db()
    assert procurement.state == phases.CONTRACT  # signed, but the conditions are not met

    reasons = _refusal(world, procurement)
    assert any(reason.startswith("Meddelelse om tildeling er sendt – ennå ingen") for reason in reasons), reasons
    assert any(reason.startswith("Karensperioden er over – fristen er ikke satt") for reason in reasons), reasons

    # Sent today: the period runs for at least ten more days.
    notice = award_notice_send(user=world.coordinator, procurement=procurement, sent_on=procurement.collaboration.today())
    reasons = _refusal(world, procurement)
    assert reasons == [f"Karensperioden er over – først etter {notice.standstill_ends_on:%d.%m.%Y}"]


def test_an_open_complaint_blocks_completion_until_it_is_resolved(in_contract, fill_deliverables, sign_gate, meet_conditions):
    world, procurement = in_contract()
    fill_deliverables(procurement)
    meet_conditions(procurement)  # the notice went out 30 days ago: the period is over
    today = procurement.collaboration.today()
    complaint = complaint_register(
        user=world.coordinator, procurement=procurement, received_on=today, complainant="Leverandør AS", summary="Feil i evalueringen."
    )
    sign_gate(procurement, "dpa")
    procurement.refresh_from_db()
    assert procurement.state == phases.CONTRACT  # the last signature did not move it on

    assert _refusal(world, procurement) == ["Ingen klage er til behandling – 1 åpen sak (klage)"]

    complaint_resolve(user=world.coordinator, complaint=complaint, outcome=ComplaintState.DISMISSED, resolution="Avvist.")
    procurement = _complete(world, procurement)
    assert procurement.state == phases.ACCEPTANCE_TEST
    assert Complaint.objects.get(pk=complaint.pk).state == ComplaintState.DISMISSED
