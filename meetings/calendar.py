"""A meeting as an iCalendar file (RFC 5545) that Outlook and Google Calendar import: one
VEVENT whose UID stays the same, so importing it again after a change updates the entry."""
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.utils import timezone

from .models import Meeting
from .services import meeting_link


def meeting_uid(meeting: Meeting) -> str:
    return f"meeting-{meeting.pk}@{urlsplit(settings.SITE_URL).hostname or 'localhost'}"


def new_calendar(prodid: str) -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", prodid)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    return calendar


def meeting_ics(meeting: Meeting) -> bytes:
    calendar = new_calendar("-//Felles anskaffelser//Møter//NO")
    calendar.add_component(meeting_event(meeting))
    return calendar.to_ical()


def meeting_event(meeting: Meeting) -> icalendar.Event:
    """The meeting as one VEVENT, the same in its own file and in a subscribed calendar."""
    event = icalendar.Event()
    event.add("uid", meeting_uid(meeting))
    event.add("dtstamp", timezone.now())
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.ends_at)
    event.add("summary", meeting.title)
    location = meeting.place or meeting.link
    if location:
        event.add("location", location)
    link = meeting_link(meeting)
    event.add("url", meeting.link or link)
    description = [meeting.agenda.strip()] if meeting.agenda.strip() else []
    if meeting.link and meeting.place:
        description.append(f"Lenke: {meeting.link}")
    description.append(f"Referent: {meeting.secretary}")
    description.append(f"Møtet i løsningen: {link}")
    event.add("description", "\n\n".join(description))
    return event
