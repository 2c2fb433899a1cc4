"""The minutes' dates and state, worked out from the meeting and the next one in its series
with the pure functions of procurement.deadlines (seed 003). Nothing here is stored, so a
moved meeting or a newly declared public holiday moves the dates with it."""
from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime

from procurement.deadlines import end_of_day, has_passed, minutes_deemed_approved, minutes_due


class MinutesStatus(enum.StrEnum):
    UPCOMING = "upcoming"  # the meeting has not been held
    DUE = "due"  # held, minutes not sent, not late yet
    OVERDUE = "overdue"  # not sent by the 2nd working day after the meeting
    OPEN = "open"  # sent; corrections may still arrive
    CORRECTED = "corrected"  # a correction arrived: the secretary approves once it is dealt with
    LATE = "late"  # sent after the last day for corrections: approved at the next meeting
    APPROVED = "approved"
    DEEMED_APPROVED = "deemed_approved"  # no correction by the deadline: approved by itself


@dataclass(frozen=True)
class MinutesDates:
    due: date  # last day the minutes may be sent
    corrections_until: date | None  # last day a correction can arrive (None: no next meeting yet)
    status: MinutesStatus
    corrections_closed: bool = False  # the last day for corrections has ended

    @property
    def approved(self) -> bool:
        return self.status in (MinutesStatus.APPROVED, MinutesStatus.DEEMED_APPROVED)

    @property
    def open_for_corrections(self) -> bool:
        """Sent, not approved, and the last day for corrections not over (another
        participant's correction does not close it)."""
        return self.status in (MinutesStatus.OPEN, MinutesStatus.CORRECTED) and not self.corrections_closed


def minutes_dates(
    *,
    meeting_on: date,
    ends_at: datetime,
    next_meeting_on: date | None,
    country: str,
    time_zone: str,
    sent_at: datetime | None,
    approved_at: datetime | None,
    approved_automatically: bool,
    corrected: bool,
    now: datetime,
) -> MinutesDates:
    due = minutes_due(meeting_on, country)
    until = minutes_deemed_approved(next_meeting_on, country) if next_meeting_on else None
    if approved_at is not None:
        status = MinutesStatus.DEEMED_APPROVED if approved_automatically else MinutesStatus.APPROVED
    elif sent_at is not None:
        if corrected:
            status = MinutesStatus.CORRECTED
        elif until is not None and sent_at >= end_of_day(until, time_zone):
            status = MinutesStatus.LATE
        else:
            status = MinutesStatus.OPEN
    elif now < ends_at:
        status = MinutesStatus.UPCOMING
    elif has_passed(due, time_zone=time_zone, now=now):
        status = MinutesStatus.OVERDUE
    else:
        status = MinutesStatus.DUE
    closed = until is not None and has_passed(until, time_zone=time_zone, now=now)
    return MinutesDates(due=due, corrections_until=until, status=status, corrections_closed=closed)


def deemed_approved_now(dates: MinutesDates, *, time_zone: str, now: datetime) -> bool:
    """Whether minutes that are open for corrections count as approved at NOW: the last
    day for corrections has ended with none."""
    return (
        dates.status == MinutesStatus.OPEN
        and dates.corrections_until is not None
        and has_passed(dates.corrections_until, time_zone=time_zone, now=now)
    )
