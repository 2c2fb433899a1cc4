"""What the meeting screens read: every meeting of a procurement (or of a collaboration's own
bodies) with its minutes' dates and the series warning, in a fixed number of queries."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch
from django.http import Http404
from django.utils import timezone

from procurement.deadlines import meetings_too_close

from .models import Meeting, MinutesCorrection
from .rules import MinutesDates, minutes_dates
from .scope import MeetingScope
from .services import MINIMUM_GAP_DAYS


@dataclass
class MeetingRow:
    meeting: Meeting
    dates: MinutesDates
    next_meeting: Meeting | None = None
    too_close: list[Meeting] = field(default_factory=list)  # meetings of the series < 14 days from this one
    previous_too_close: Meeting | None = None  # the meeting before it in the series, when < 14 days before

    @property
    def past(self) -> bool:
        return self.meeting.starts_at < timezone.now()


def _rows(meetings: list[Meeting], *, now) -> list[MeetingRow]:
    by_series: dict[str, list[Meeting]] = defaultdict(list)
    for meeting in meetings:
        by_series[meeting.series].append(meeting)
    rows: dict[int, MeetingRow] = {}
    for series in by_series.values():
        series.sort(key=lambda m: (m.starts_at, m.pk))
        close = meetings_too_close([m.meeting_on for m in series], minimum_days=MINIMUM_GAP_DAYS)
        close_days = defaultdict(set)
        for earlier, later in close:
            close_days[earlier].add(later)
            close_days[later].add(earlier)
        for index, meeting in enumerate(series):
            following = series[index + 1] if index + 1 < len(series) else None
            previous = series[index - 1] if index else None
            collaboration = meeting.collaboration
            dates = minutes_dates(
                meeting_on=meeting.meeting_on,
                ends_at=meeting.ends_at,
                next_meeting_on=following.meeting_on if following else None,
                country=collaboration.country,
                time_zone=collaboration.time_zone,
                sent_at=meeting.minutes_sent_at,
                approved_at=meeting.minutes_approved_at,
                approved_automatically=meeting.minutes_approved_automatically,
                corrected=meeting.correction_count > 0,
                now=now,
            )
            rows[meeting.pk] = MeetingRow(
                meeting=meeting,
                dates=dates,
                next_meeting=following,
                too_close=[m for m in series if m is not meeting and m.meeting_on in close_days[meeting.meeting_on]],
                previous_too_close=previous if previous and previous.meeting_on in close_days[meeting.meeting_on] else None,
            )
    return [rows[m.pk] for m in sorted(meetings, key=lambda m: (m.starts_at, m.pk))]


def _meetings(scope: MeetingScope):
    return (
        Meeting.objects.filter(collaboration=scope.collaboration, procurement=scope.procurement)
        .select_related("collaboration", "secretary")
        .annotate(correction_count=Count("corrections"))
    )


def scope_meetings(scope: MeetingScope, *, now=None) -> list[MeetingRow]:
    """Every meeting of SCOPE (a procurement's, or a collaboration's own), in time order: two
    queries whatever their number."""
    return _rows(list(_meetings(scope)), now=now or timezone.now())


def procurement_meetings(*, procurement, now=None) -> list[MeetingRow]:
    return scope_meetings(MeetingScope(procurement.collaboration, procurement), now=now)


@dataclass
class MeetingDetail:
    row: MeetingRow
    participants: list
    corrections: list[MinutesCorrection]
    series: list[MeetingRow]


def meeting_detail(*, scope: MeetingScope, meeting_id: int, now=None) -> MeetingDetail:
    meetings = list(
        _meetings(scope).prefetch_related(
            "participants",
            Prefetch("corrections", queryset=MinutesCorrection.objects.select_related("author")),
        )
    )
    wanted = next((m for m in meetings if m.pk == meeting_id), None)
    if wanted is None:
        raise Http404
    rows = _rows(meetings, now=now or timezone.now())
    row = next(r for r in rows if r.meeting.pk == meeting_id)
    return MeetingDetail(
        row=row,
        participants=sorted(wanted.participants.all(), key=lambda p: (p.first_name, p.last_name, p.username)),
        corrections=list(wanted.corrections.all()),
        series=[r for r in rows if r.meeting.series == wanted.series],
    )
