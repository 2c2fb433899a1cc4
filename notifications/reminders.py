"""The reminder sweep: set-based. Each source (settings.REMINDER_SOURCES) reads everything
that has a reminder due in a fixed number of queries and returns the messages; the sweep
records them all in the outbox in one INSERT. The outbox key holds the deadline, the offset,
the due date and the person, so each reminder is recorded once however often beat sweeps,
and a deadline that moves gets its reminders again for the new date.

Offsets are days before the due date (settings.REMINDER_OFFSETS, by default 7, 1, 0 and -1:
a week before, the day before, on the day, and overdue). A sweep records, for each deadline,
only the reminder of the offset reached last: a deadline first seen two days ahead gets the
7-day reminder now and the 1-day one tomorrow, never two at once."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext

from .services import Message, outbox_add


def reminder_offsets() -> tuple[int, ...]:
    return tuple(sorted({int(days) for days in settings.REMINDER_OFFSETS}, reverse=True))


def offset_reached(due: date, today: date, offsets: tuple[int, ...]) -> int | None:
    """The offset whose reminder is due on TODAY for a deadline on DUE: of the offsets
    reached (DUE is at most that many days away), the one nearest the deadline."""
    left = (due - today).days
    reached = [days for days in offsets if left <= days]
    return min(reached) if reached else None


def days_left_words(days: int) -> str:
    """How a reminder says when the deadline is, DAYS from today (negative: passed), in the
    active language (the recipient's, see notifications.inbox.InTheirLanguage)."""
    if days < 0:
        return gettext("er passert")
    if days == 0:
        return gettext("er i dag")
    if days == 1:
        return gettext("er i morgen")
    return gettext("er om %(days)d dager") % {"days": days}


@dataclass
class Sweep:
    now: datetime
    offsets: tuple[int, ...]
    overdue_days: int = field(default_factory=lambda: settings.REMINDER_OVERDUE_DAYS)
    _today: dict[str, date] = field(default_factory=dict, repr=False)

    def today(self, time_zone: str) -> date:
        """Today in TIME_ZONE at the sweep's instant (one sweep, one instant, every zone)."""
        if time_zone not in self._today:
            self._today[time_zone] = timezone.localtime(self.now, ZoneInfo(time_zone)).date()
        return self._today[time_zone]

    def window(self) -> tuple[date, date]:
        """Due dates that may have a reminder due somewhere today, with a day of slack for
        the zones: a coarse filter for the database; offset_for decides."""
        today = timezone.localdate(self.now)
        return today - timedelta(days=self.overdue_days + 1), today + timedelta(days=max(self.offsets, default=0) + 1)

    def offset_for(self, due: date, time_zone: str) -> int | None:
        today = self.today(time_zone)
        if (today - due).days > self.overdue_days:
            return None
        return offset_reached(due, today, self.offsets)


Source = Callable[[Sweep], list[Message]]


def reminder_sources() -> list[Source]:
    return [import_string(path) for path in settings.REMINDER_SOURCES]


def reminders_sweep(*, now: datetime | None = None) -> list[int]:
    """Records every reminder that has come due. Returns the ids of the rows created (none
    for a reminder recorded before). Delivery is the outbox's (dispatch or
    outbox_deliver_pending)."""
    sweep = Sweep(now=now or timezone.now(), offsets=reminder_offsets())
    with transaction.atomic():
        messages = [message for source in reminder_sources() for message in source(sweep)]
        return outbox_add(messages)
