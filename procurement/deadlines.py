"""Legal time: working days, periods under Regulation (EEC, Euratom) No 1182/71 as applied by
FOA § 7-6, the end of a day as an instant, the standstill period and the minutes rules of
seed 003. Pure functions (standard library and ``holidays``), no Django, so every rule can be
tested against real calendars and every deadline in the database can be recomputed from its
rule and inputs.

Dates are local calendar dates of the country whose rules apply; a period returns its LAST
DAY, and ``end_of_day`` turns that day into the instant the period runs out (24:00 local).

Public holidays are the ``public`` category of the ``holidays`` library: for Denmark that is
the helligdage, so Grundlovsdag (5 June), 24 and 31 December and 1 May count as working days
here [check, see ``is_working_day``]; Store Bededag is a holiday up to 2023 only.
"""
from __future__ import annotations

import enum
import functools
import itertools
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import ClassVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

ONE_DAY = timedelta(days=1)
SATURDAY = 5  # date.weekday(): Monday is 0


class DeadlineError(ValueError):
    """Input no rule can be computed from. ``code`` names the problem and ``params`` hold its
    values, so the service layer can word it in the user's language; str() is the bokmål
    sentence, for callers without Django."""

    MESSAGES: ClassVar[dict[str, str]] = {
        "unknown_country": "Ukjent land «%(country)s». Bruk NO eller DK.",
        "too_few_days": "Antall dager må være minst %(minimum)s, ikke %(days)s.",
        "negative_working_days": "Antall virkedager kan ikke være negativt (%(n)s).",
        "unknown_time_zone": "Ukjent tidssone «%(time_zone)s».",
        "naive_datetime": "Tidspunktet mangler tidssone, så det kan ikke sammenlignes med en frist.",
        "minimum_gap": "Minste avstand mellom møter må være minst én dag, ikke %(minimum_days)s.",
        "minimum_standstill": "Minste karensperiode må være minst én dag, ikke %(minimum)s.",
    }

    def __init__(self, code: str, **params):
        self.code = code
        self.params = params
        super().__init__(self.MESSAGES[code] % params)


class Country(enum.StrEnum):
    """The countries whose calendars we know. A StrEnum, so "NO" and Country.NO are the same
    key everywhere (data, caches, comparisons)."""

    NO = "NO"
    DK = "DK"

    @property
    def time_zone(self) -> str:
        """The zone legal days are counted in (legal.md: Europe/Oslo, Europe/Copenhagen for
        Danish collaborations); a collaboration may still store its own."""
        return {Country.NO: "Europe/Oslo", Country.DK: "Europe/Copenhagen"}[self]


# ------------------------------------------------------------------ checks of input


def _country(country: str) -> Country:
    try:
        return Country(country)
    except ValueError:
        raise DeadlineError("unknown_country", country=country) from None


def _require_date(value: date, name: str) -> date:
    # A datetime is a date subclass, and one in UTC near midnight names another local day
    # than the caller thinks: make them say which day they mean.
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(f"{name} must be a datetime.date (not a datetime), got {type(value).__name__}")
    return value


def _require_int(value: int, name: str) -> int:
    # bool is an int subclass; True days is a bug upstream, not one day.
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, got {type(value).__name__}")
    return value


def _zone(time_zone: str) -> ZoneInfo:
    try:
        return ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise DeadlineError("unknown_time_zone", time_zone=time_zone) from None


# ------------------------------------------------------------------ working days


# Holidays declared by the authorities that the library does not list (yet): data, loaded by
# procurement.services.holidays from the DeclaredHoliday rows. Every function below counts
# them as the library's own.
_declared: dict[Country, frozenset[date]] = {}
# Called once, before the first question about a holiday, to load them (None: nothing to load).
_declared_loader = None
_loaded = threading.Event()
# Set when another process may have declared a day since this one last read them: at the
# start of every request and task (procurement/apps.py). The next holiday lookup reads the
# declared days again (one small query) and drops the cached calendars only if they differ,
# so a holiday declared in one process counts in the next request of every other, at the
# cost of one query per request or task that looks a holiday up, never one per calculation.
_recheck = threading.Event()


def declared_holidays_loader(load) -> None:
    """LOAD() returns the declared holidays ({"NO": [date, ...]}); it is called the first
    time a holiday is looked up, and again by declared_holidays_reload()."""
    global _declared_loader
    _declared_loader = load
    _loaded.clear()


def declared_holidays_reload() -> None:
    if _declared_loader is not None:
        declared_holidays_use(_declared_loader())


def declared_holidays_recheck(**_signal) -> None:
    """The declared days may have changed elsewhere: the next lookup asks the loader again.
    Cheap (a flag), so it can run on every request_started and task_prerun."""
    if _declared_loader is not None:
        _recheck.set()


def _declared_normalise(days_by_country: dict[str, Iterable[date]]) -> dict[Country, frozenset[date]]:
    return {
        code: days
        for code, days in (
            (_country(code), frozenset(_require_date(day, "day") for day in days)) for code, days in days_by_country.items()
        )
        if days
    }


def declared_holidays_use(days_by_country: dict[str, Iterable[date]]) -> None:
    """Count DAYS_BY_COUNTRY ({"NO": [date, ...]}) as public holidays from now on, in place
    of the days given before."""
    global _declared
    _declared = _declared_normalise(days_by_country)
    _holidays_of.cache_clear()
    _loaded.set()


def _public_holidays(country: Country, year: int) -> frozenset[date]:
    if _declared_loader is not None:
        if not _loaded.is_set():
            _loaded.set()  # first: a loader that fails is not asked again on every call
            _recheck.clear()
            declared_holidays_use(_declared_loader())
        elif _recheck.is_set():
            # Cleared before reading, so a request that starts while this one reads sets it
            # again and reads for itself.
            _recheck.clear()
            fresh = _declared_normalise(_declared_loader())
            if fresh != _declared:
                declared_holidays_use(fresh)
    return _holidays_of(country, year)


@functools.lru_cache(maxsize=512)
def _holidays_of(country: Country, year: int) -> frozenset[date]:
    declared = {day for day in _declared.get(country, ()) if day.year == year}
    return _library_holidays(country, year) | declared if declared else _library_holidays(country, year)


@functools.lru_cache(maxsize=512)
def _library_holidays(country: Country, year: int) -> frozenset[date]:
    # One calendar per (country, year): deadlines cluster in a few years, and a frozenset
    # makes the cached value safe to share (a HolidayBase is a mutable dict that grows
    # itself when asked about another year).
    if country is Country.NO:
        # holidays lists every Sunday as a holiday when include_sundays=True (Sundays are
        # helligdager in Norway). Saying False explicitly keeps the calendar to the named
        # days whatever the library's default; Sundays are weekend days anyway.
        calendar = holidays.Norway(years=year, include_sundays=False)
    else:
        calendar = holidays.Denmark(years=year)  # the "public" category only
    return frozenset(calendar)


def is_working_day(day: date, country: str) -> bool:
    """A working day (*virkedag*, 1182/71 art. 2(2)): not Saturday, not Sunday, not a public
    holiday.

    [check] Only the library's public holidays count. In Denmark Grundlovsdag, 24 and 31
    December are not helligdage, so they are working days here, although some Danish
    statutes (e.g. forældelsesloven § 27(2)) extend their own deadlines over them.
    """
    _require_date(day, "day")
    code = _country(country)
    return day.weekday() < SATURDAY and day not in _public_holidays(code, day.year)


def _step_working_days(day: date, n: int, country: str, step: timedelta) -> date:
    _require_date(day, "day")
    code = _country(country)
    if _require_int(n, "n") < 0:
        raise DeadlineError("negative_working_days", n=n)
    while n:
        day += step
        if is_working_day(day, code):
            n -= 1
    return day


def add_working_days(day: date, n: int, country: str) -> date:
    """The Nth working day after DAY; the count starts with the day after, so DAY itself
    never counts. N = 0 returns DAY unchanged, working day or not."""
    return _step_working_days(day, n, country, ONE_DAY)


def subtract_working_days(day: date, n: int, country: str) -> date:
    """The Nth working day before DAY; the count starts with the day before."""
    return _step_working_days(day, n, country, -ONE_DAY)


def next_working_day_on_or_after(day: date, country: str) -> date:
    """DAY itself when it is a working day, otherwise the first working day after it."""
    return day if is_working_day(day, country) else add_working_days(day, 1, country)


# ------------------------------------------------------------------ periods (1182/71)


def period_end(event: date, *, days: int, country: str, working_days: bool = False) -> date:
    """The last day of a period of DAYS days that runs from EVENT (1182/71 art. 3, FOA § 7-6).

    - The day of the event does not count: the period starts at 00:00 of the next day
      (art. 3(1)) and ends at 24:00 of the day returned (art. 3(2)(b); see end_of_day).
    - Calendar days unless WORKING_DAYS (art. 3(3)).
    - A last day on a Saturday, Sunday or public holiday moves to the next working day
      (art. 3(4)).
    - A period of two days or more holds at least two working days (art. 3(5)): otherwise it
      runs to the second working day after the event.

    Only forward periods: art. 3(4) does not apply to periods counted back from a date, so
    those need their own rule (see minutes_deemed_approved).
    """
    _require_date(event, "event")
    code = _country(country)
    if _require_int(days, "days") < 1:
        raise DeadlineError("too_few_days", minimum=1, days=days)
    if working_days:
        # Every day counted is a working day, so art. 3(4) and 3(5) hold by construction.
        return add_working_days(event, days, code)
    end = next_working_day_on_or_after(event + timedelta(days=days), code)
    if days >= 2:
        # The second working day after the event is the earliest end that holds two
        # working days; an end already later than that holds at least two.
        end = max(end, add_working_days(event, 2, code))
    return end


# ------------------------------------------------------------------ instants


def end_of_day(day: date, time_zone: str) -> datetime:
    """The instant DAY ends in TIME_ZONE: 24:00 local, i.e. the first instant of the next
    local day, an exclusive bound (a deadline "by the end of the day" is met by anything
    strictly before it). Aware, in TIME_ZONE.

    Built from the next day's 00:00 and normalised through UTC: where a zone skips midnight
    (clocks jump 00:00 -> 01:00) fold=0 resolves to the transition itself, which is exactly
    when the old day ends; in Oslo and Copenhagen midnight always exists, so this is plain
    00:00 with the right offset, 23 h after the start of the spring-forward day, 25 h after
    the start of the fall-back day.
    """
    _require_date(day, "day")
    zone = _zone(time_zone)
    midnight = datetime.combine(day + ONE_DAY, time(0), tzinfo=zone)
    return midnight.astimezone(UTC).astimezone(zone)


def has_passed(day: date, *, time_zone: str, now: datetime) -> bool:
    """True once NOW is at or after the end of DAY in TIME_ZONE."""
    if not isinstance(now, datetime):
        raise TypeError(f"now must be a datetime, got {type(now).__name__}")
    if now.tzinfo is None or now.utcoffset() is None:
        raise DeadlineError("naive_datetime")
    # Compare in UTC: Python compares two datetimes that share a tzinfo object by wall
    # clock, ignoring the offset, which is wrong across a DST change.
    return now.astimezone(UTC) >= end_of_day(day, time_zone).astimezone(UTC)


# ------------------------------------------------------------------ standstill


@dataclass(frozen=True)
class StandstillMinimum:
    """One seed row: the minimum standstill in calendar days for a country and a way of
    sending the award notice. Seed only: the value in force lives in data an administrator
    can correct; this table is what that data starts from."""

    country: Country
    channel: str  # "electronic" or "other" (letter)
    days: int
    source: str
    status: str  # "verified" or "check", as in legal.md
    valid_from: date = date(2017, 1, 1)  # the Norwegian regulation of 2016 came into force then


STANDSTILL_MINIMUM_DAYS_DEFAULTS: tuple[StandstillMinimum, ...] = (
    StandstillMinimum(Country.NO, "electronic", 10, "FOA § 25-2 (del III); legal.md", "check"),
    StandstillMinimum(Country.NO, "other", 15, "FOA § 25-2 (del III); legal.md", "check"),
    StandstillMinimum(Country.DK, "electronic", 10, "Dansk håndhævelseslov (standstill); legal.md", "verified"),
    StandstillMinimum(Country.DK, "other", 15, "Dansk håndhævelseslov (standstill); legal.md", "verified"),
)


def standstill_days_valid(days: int, minimum: int) -> bool:
    """Whether a standstill the buyer chose is allowed: at least MINIMUM days (a longer one,
    such as Fosen's 14, is always allowed)."""
    if _require_int(minimum, "minimum") < 1:
        raise DeadlineError("minimum_standstill", minimum=minimum)
    return _require_int(days, "days") >= minimum


def standstill_last_day(sent_on: date, days: int, country: str) -> date:
    """The last day of the standstill period (*karensperiode*) after an award notice sent on
    SENT_ON: a period of DAYS calendar days under 1182/71, counted from the day after sending,
    moved to the next working day of COUNTRY when it falls on a Saturday, Sunday or public
    holiday. This is the date stored on the award notice and the case's deadline."""
    return period_end(sent_on, days=days, country=country)


def standstill_end(sent_on: date, days: int = 10, country: str = "NO") -> datetime:
    """The instant the standstill period ends: the end (24:00) of its last day
    (standstill_last_day) in COUNTRY's zone (Europe/Oslo, Europe/Copenhagen), aware. 24:00
    is the first instant of the next local day, an exclusive bound like end_of_day: the
    contract may be signed from this instant on, never before. DAYS comes from data (see
    STANDSTILL_MINIMUM_DAYS_DEFAULTS and standstill_days_valid); 10 is the usual minimum."""
    code = _country(country)
    return end_of_day(standstill_last_day(sent_on, days, code), code.time_zone)


# ------------------------------------------------------------------ complaints


def complaint_last_day(sent_on: date, days: int, country: str) -> date:
    """The last day a tenderer can complain against the award and still stop the signing:
    a complaint received during the standstill blocks signing until it is resolved
    (legal.md), so it is the standstill's last day."""
    return standstill_last_day(sent_on, days, country)


def complaint_answer_last_day(received_on: date, working_days: int, country: str) -> date:
    """The last day for the buyer's answer to a complaint received on RECEIVED_ON: a period
    of WORKING_DAYS working days under 1182/71 (the day of receipt does not count). The
    number is a setting (COMPLAINT_ANSWER_WORKING_DAYS), not law."""
    return period_end(received_on, days=working_days, country=country, working_days=True)


# ------------------------------------------------------------------ minutes and meetings (seed 003)

MINUTES_DUE_WORKING_DAYS = 2
MINUTES_CORRECTION_WORKING_DAYS = 4


def minutes_due(meeting_on: date, country: str) -> date:
    """The last day the minutes may be sent: the 2nd working day after the meeting."""
    return add_working_days(meeting_on, MINUTES_DUE_WORKING_DAYS, country)


def minutes_deemed_approved(next_meeting_on: date, country: str) -> date:
    """The last day a correction to the minutes can still arrive: the 4th working day before
    the next meeting, counted back from the day before it. With none by the end of this day
    the minutes count as approved.

    [check] "At the latest 4 working days before" is read as counting the meeting day out
    and this day in: the day returned and the three working days after it are the four
    working days before the meeting.
    """
    return subtract_working_days(next_meeting_on, MINUTES_CORRECTION_WORKING_DAYS, country)


def meetings_too_close(dates: Iterable[date], *, minimum_days: int = 14) -> list[tuple[date, date]]:
    """Consecutive meetings (in date order) less than MINIMUM_DAYS apart, as (earlier, later)
    pairs. Meetings 14 days apart (Monday to Monday two weeks on) are far enough. Two
    meetings on the same day are 0 days apart."""
    if _require_int(minimum_days, "minimum_days") < 1:
        raise DeadlineError("minimum_gap", minimum_days=minimum_days)
    ordered = sorted(_require_date(day, "dates") for day in dates)
    return [
        (earlier, later)
        for earlier, later in itertools.pairwise(ordered)
        if (later - earlier).days < minimum_days
    ]
