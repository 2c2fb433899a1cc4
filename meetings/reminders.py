"""Reminders to the secretary: the minutes are due by the 2nd working day after the meeting
(seed 003), and the secretary is reminded at the sweep's offsets once the meeting is over:
before the day, on the day, and when they are late. One query for any number of meetings."""
from datetime import UTC, datetime, time, timedelta

from notifications.reminders import Sweep, days_left_words
from notifications.services import Message
from procurement.deadlines import minutes_due

from .models import Meeting
from .services import meeting_link

# Minutes are due at most a week or so after the meeting (2 working days, Easter included).
LONGEST_DUE = timedelta(days=10)


def minutes_reminders(sweep: Sweep) -> list[Message]:
    first, _ = sweep.window()
    meetings = (
        Meeting.objects.filter(
            minutes_sent_at__isnull=True,
            minutes_approved_at__isnull=True,
            starts_at__lte=sweep.now,
            starts_at__gte=datetime.combine(first, time.min, tzinfo=UTC) - LONGEST_DUE,
            secretary__is_active=True,
        )
        .exclude(secretary__email="")
        .select_related("collaboration", "procurement")
    )
    messages = []
    for meeting in meetings:
        if meeting.ends_at > sweep.now:
            continue  # still going on: the reminder "before the day" comes after it
        collaboration = meeting.collaboration
        due = minutes_due(meeting.meeting_on, collaboration.country)
        offset = sweep.offset_for(due, collaboration.time_zone)
        if offset is None:
            continue
        left = (due - sweep.today(collaboration.time_zone)).days
        late = offset < 0
        messages.append(
            Message(
                key=f"minutes:{meeting.pk}:{offset}:{due.isoformat()}:{meeting.secretary_id}",
                kind="reminder:minutes_due",
                recipient_id=meeting.secretary_id,
                subject=f"{'Referatet er for sent' if late else 'Påminnelse: referat'}: {meeting.title}",
                body=(
                    f"Referatet fra møtet «{meeting.title}» {meeting.meeting_on:%d.%m.%Y} skal sendes senest "
                    f"{due:%d.%m.%Y} (2 virkedager etter møtet). Fristen {days_left_words(left)}.\n"
                    f"Skriv og send referatet her: {meeting_link(meeting)}\n"
                ),
                procurement_id=meeting.procurement_id,
            )
        )
    return messages
