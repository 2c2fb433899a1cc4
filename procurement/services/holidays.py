"""Declared public holidays: a day off the authorities add (a one-off holiday, a new law) that
the holidays library does not list yet. Saving or deleting one reloads the calendar of this
process and tells the apps whose stored deadlines are counted in working days
(procurement.extensions.holidays_changed), so each deadline that depends on the day moves and
its reminders follow it (their outbox keys carry the due date).

The calendar is loaded once per process on first use and kept in memory; every other web
and worker process sees a change at its next request or task, which reads the declared days
again (one small query, at its first holiday lookup) and drops its cached calendars when they
differ (procurement.deadlines.declared_holidays_recheck). The stored deadlines, which gates
and reminders read, are moved at once by the process that saved the day."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from audit.actions import Action
from audit.services import audit_record

from .. import deadlines as legal_time
from ..extensions import holidays_changed
from ..models import DeclaredHoliday


def declared_holidays_read() -> dict[str, list]:
    days: dict[str, list] = {}
    for country, day in DeclaredHoliday.objects.values_list("country", "day"):
        days.setdefault(country, []).append(day)
    return days


def _changed(*, actor, holiday: DeclaredHoliday, verb: str) -> None:
    legal_time.declared_holidays_use(declared_holidays_read())
    moved = holidays_changed(country=holiday.country, actor=actor)
    audit_record(
        actor=actor,
        action=Action.DECLARED_HOLIDAY_SAVED if verb != "fjernet" else Action.DECLARED_HOLIDAY_DELETED,
        message=(
            f"Helligdag {verb}: {holiday.name} {holiday.day:%d.%m.%Y} ({holiday.country}); "
            f"{moved} frist(er) flyttet."
        ),
        data={"country": holiday.country, "day": holiday.day, "name": holiday.name, "moved": moved},
    )


@transaction.atomic
def declared_holiday_save(*, actor, holiday: DeclaredHoliday) -> DeclaredHoliday:
    holiday.name = (holiday.name or "").strip()
    holiday.source = (holiday.source or "").strip()
    if not holiday.name:
        raise ValidationError({"name": gettext("Skriv hva dagen heter.")})
    if not holiday.source:
        raise ValidationError({"source": gettext("Skriv hvor vedtaket står.")})
    clash = DeclaredHoliday.objects.filter(country=holiday.country, day=holiday.day).exclude(pk=holiday.pk)
    if clash.exists():
        raise ValidationError({"day": gettext("Dagen er allerede lagt inn for dette landet.")})
    created = holiday.pk is None
    holiday.save()
    _changed(actor=actor, holiday=holiday, verb="lagt inn" if created else "endret")
    return holiday


@transaction.atomic
def declared_holiday_delete(*, actor, holiday: DeclaredHoliday) -> None:
    holiday.delete()
    _changed(actor=actor, holiday=holiday, verb="fjernet")
