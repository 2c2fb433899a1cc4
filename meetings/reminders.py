"""Reminders to the secretary: the minutes are due by the 2nd working day after the meeting
(seed 003), and the secretary is reminded at the sweep's offsets once the meeting is over:
before the day, on the day, and when they are late. One query for any number of meetings."""
from datetime import UTC, datetime, time, timedelta

from django.utils.translation import gettext

from notifications.inbox import InTheirLanguage
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
    meetings = list(meetings)
    texts = InTheirLanguage({meeting.secretary_id for meeting in meetings})
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

        def render(meeting=meeting, due=due, late=offset < 0, left=left):
            words = {
                "title": meeting.title,
                "date": f"{meeting.meeting_on:%d.%m.%Y}",
                "due": f"{due:%d.%m.%Y}",
                "when": days_left_words(left),
            }
            subject = (gettext("Referatet er for sent: %(title)s") if late else gettext("Påminnelse: referat: %(title)s")) % words
            body = (
                gettext(
                    "Referatet fra møtet «%(title)s» %(date)s skal sendes senest %(due)s (2 virkedager etter møtet). "
                    "Fristen %(when)s."
                )
                % words
                + "\n" + gettext("Skriv og send referatet her: %(link)s") % {"link": meeting_link(meeting)} + "\n"
            )
            return subject, body

        messages.append(
            Message(
                f"minutes:{meeting.pk}:{offset}:{due.isoformat()}:{meeting.secretary_id}",
                "reminder:minutes_due",
                meeting.secretary_id,
                *texts.text(meeting.secretary_id, (meeting.pk, offset), render),
                procurement_id=meeting.procurement_id,
            )
        )
    return messages
