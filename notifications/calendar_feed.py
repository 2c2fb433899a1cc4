"""Calendar subscriptions (RFC 5545 over HTTP): a person's deadlines and meetings, or those of
one procurement, at a secret address a calendar program polls. What the feed holds is read at
each poll, so a moved deadline or meeting moves in the subscribed calendar too (the UIDs stay
the same), and what the person may no longer see drops out of it."""
from __future__ import annotations

import re
import secrets
from datetime import timedelta
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from audit.actions import Action
from audit.services import audit_record

from .models import CalendarFeed

# A feed shows what is coming and a little of what has just passed.
PAST_DAYS = 60
MAX_EVENTS = 2000

TOKEN = re.compile(r"[A-Za-z0-9_-]+")


def _host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def _scope_words(procurement) -> str:
    return f"anskaffelsen «{procurement.title}»" if procurement is not None else "alle anskaffelsene sine"


@transaction.atomic
def calendar_feed_create(*, user, procurement=None) -> CalendarFeed:
    """A new secret address for USER's calendar (of PROCUREMENT, or of every procurement they
    see). An address made before for the same scope stops working: making a new one is how a
    person who shared theirs by mistake shuts it."""
    if procurement is not None and not user.has_perm("procurement.view_procurement", procurement):
        raise PermissionDenied(gettext("Du har ikke tilgang til denne anskaffelsen."))
    now = timezone.now()
    replaced = CalendarFeed.objects.filter(person=user, procurement=procurement, revoked_at__isnull=True).update(revoked_at=now)
    feed = CalendarFeed.objects.create(person=user, procurement=procurement, token=secrets.token_urlsafe(32), created_at=now)
    audit_record(
        actor=user,
        action=Action.CALENDAR_FEED_CREATED,
        procurement=procurement,
        message=(
            f"{user} laget en kalenderadresse for {_scope_words(procurement)}"
            + ("; den forrige virker ikke lenger." if replaced else ".")
        ),
        data={"feed": feed.pk, "replaced": replaced},
    )
    return feed


@transaction.atomic
def calendar_feed_revoke(*, user, feed_id: int) -> CalendarFeed:
    # of=self: the feed of all procurements has none, and PostgreSQL refuses to lock the
    # nullable side of the outer join to it.
    feed = CalendarFeed.objects.select_for_update(of=("self",)).select_related("procurement").filter(pk=feed_id, person=user).first()
    if feed is None:
        raise CalendarFeed.DoesNotExist
    if feed.revoked_at is None:
        feed.revoked_at = timezone.now()
        feed.save(update_fields=["revoked_at"])
        audit_record(
            actor=user,
            action=Action.CALENDAR_FEED_REVOKED,
            procurement=feed.procurement,
            message=f"{user} trakk tilbake kalenderadressen for {_scope_words(feed.procurement)}.",
            data={"feed": feed.pk},
        )
    return feed


def live_feed(token: str) -> CalendarFeed | None:
    """The feed at TOKEN if it still works: not revoked, its person active, and the
    procurement (for a procurement's feed) still one they may see."""
    # Only what secrets.token_urlsafe writes: anything else (a NUL byte, which PostgreSQL
    # refuses in a query) cannot be a feed.
    if not token or len(token) > 64 or not TOKEN.fullmatch(token):
        return None
    feed = (
        CalendarFeed.objects.select_related("person", "procurement")
        .filter(token=token, revoked_at__isnull=True, person__is_active=True)
        .first()
    )
    if feed is None:
        return None
    if feed.procurement is not None and not feed.person.has_perm("procurement.view_procurement", feed.procurement):
        return None
    return feed


def _deadline_event(deadline, link: str) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", f"deadline-{deadline.pk}@{_host()}")
    event.add("dtstamp", timezone.now())
    # All day: a deadline is a date, the end of that day where the collaboration is.
    event.add("dtstart", deadline.due_date)
    event.add("dtend", deadline.due_date + timedelta(days=1))
    event.add("summary", f"Frist: {deadline.title} – {deadline.procurement.title}")
    event.add("url", link)
    event.add("description", f"{deadline.get_kind_display()} i anskaffelsen «{deadline.procurement.title}».\n\n{link}")
    event.add("transp", "TRANSPARENT")
    return event


def feed_ics(feed: CalendarFeed) -> bytes:
    """The calendar behind FEED as it stands now: three queries whatever it holds."""
    from meetings.calendar import meeting_event, new_calendar
    from meetings.models import Meeting
    from procurement import phases
    from procurement.models import Deadline, Procurement
    from procurement.notifications import procurement_link
    from procurement.selectors.access import procurements_permitted

    person = feed.person
    since = timezone.now() - timedelta(days=PAST_DAYS)
    if feed.procurement is not None:
        visible = Procurement.objects.filter(pk=feed.procurement_id)
        meetings = Meeting.objects.filter(procurement_id=feed.procurement_id)
        name = f"{feed.procurement.title} – Felles anskaffelser"
    else:
        visible = procurements_permitted(user=person, codename="view_procurement")
        meetings = Meeting.objects.filter(Q(participants=person) | Q(secretary=person)).distinct()
        name = f"{person} – Felles anskaffelser"
    deadlines = (
        Deadline.objects.filter(procurement__in=visible, done_at__isnull=True, due_date__gte=timezone.localtime(since).date())
        .exclude(procurement__state=phases.CANCELLED)
        .select_related("procurement")
        .order_by("due_date", "id")[:MAX_EVENTS]
    )
    calendar = new_calendar("-//Felles anskaffelser//Frister og møter//NO")
    calendar.add("x-wr-calname", name)
    links: dict[int, str] = {}
    for deadline in deadlines:
        if deadline.procurement_id not in links:
            links[deadline.procurement_id] = procurement_link(deadline.procurement_id)
        calendar.add_component(_deadline_event(deadline, links[deadline.procurement_id]))
    for meeting in meetings.filter(starts_at__gte=since).select_related("secretary", "collaboration").order_by("starts_at")[:MAX_EVENTS]:
        calendar.add_component(meeting_event(meeting))
    return calendar.to_ical()
