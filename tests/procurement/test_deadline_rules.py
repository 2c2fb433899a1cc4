"""Legal time (procurement/deadlines.py): working days, 1182/71 periods, the end of a day,
the standstill period and the minutes rules of seed 003. Pure functions, no database: tables
of cases on real calendars, every expected date worked out by hand in its comment, then
Hypothesis properties checked against an oracle built straight from the ``holidays`` library.

Calendar facts the tables lean on (2026): 1 January Thursday; Maundy Thursday 2 April, Good
Friday 3 April, Easter Sunday 5 April, Easter Monday 6 April; 1 May Friday; Ascension 14 May;
17 May Sunday; Whit Monday 25 May; Christmas Day Friday 25 December; 1 January 2027 Friday.
DST in Europe: 29 March 2026 (23 hours), 25 October 2026 (25 hours).
"""
import dataclasses
import itertools
from datetime import UTC, date, datetime, time, timedelta, timezone
from unittest import mock
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import given
from hypothesis import strategies as st

from procurement import deadlines
from procurement.deadlines import (
    STANDSTILL_MINIMUM_DAYS_DEFAULTS,
    Country,
    DeadlineError,
    StandstillMinimum,
    add_working_days,
    end_of_day,
    has_passed,
    is_working_day,
    meetings_too_close,
    minutes_deemed_approved,
    minutes_due,
    next_working_day_on_or_after,
    period_end,
    standstill_days_valid,
    standstill_end,
    standstill_last_day,
    subtract_working_days,
)

D = date
OSLO = "Europe/Oslo"
COPENHAGEN = "Europe/Copenhagen"
HOUR = timedelta(hours=1)


# ------------------------------------------------------------------ working days


@pytest.mark.parametrize(
    ("country", "day", "working"),
    [
        ("NO", D(2026, 3, 16), True),    # an ordinary Monday
        ("NO", D(2026, 3, 14), False),   # Saturday
        ("NO", D(2026, 3, 15), False),   # an ordinary Sunday: not in the library's calendar, still not a working day
        ("NO", D(2026, 4, 1), True),     # Wednesday before Easter is a working day
        ("NO", D(2026, 4, 2), False),    # Maundy Thursday (skjærtorsdag)
        ("NO", D(2026, 4, 3), False),    # Good Friday
        ("NO", D(2026, 4, 4), False),    # Easter Saturday: no holiday, but a Saturday
        ("NO", D(2026, 4, 6), False),    # Easter Monday
        ("NO", D(2026, 4, 7), True),     # Tuesday after Easter
        ("NO", D(2026, 5, 1), False),    # 1 May, Friday (offentlig høytidsdag)
        ("NO", D(2026, 5, 14), False),   # Ascension Day, Thursday
        ("NO", D(2026, 5, 15), True),    # the Friday after Ascension is an ordinary working day
        ("NO", D(2028, 5, 17), False),   # 17 May 2028 is a Wednesday (2027 would coincide with Whit Monday)
        ("NO", D(2026, 5, 25), False),   # Whit Monday
        ("NO", D(2026, 12, 24), True),   # Christmas Eve is not a public holiday in Norway
        ("NO", D(2026, 12, 25), False),  # Christmas Day, Friday
        ("NO", D(2026, 12, 28), True),   # Monday between Christmas and New Year
        ("NO", D(2026, 12, 31), True),   # New Year's Eve, Thursday: a working day
        ("NO", D(2027, 1, 1), False),    # New Year's Day, Friday
        ("NO", D(2023, 5, 5), True),     # Store Bededag 2023 is Danish only
        ("DK", D(2026, 4, 2), False),    # skærtorsdag
        ("DK", D(2026, 4, 3), False),    # langfredag
        ("DK", D(2026, 4, 6), False),    # anden påskedag
        ("DK", D(2026, 5, 14), False),   # Kristi himmelfartsdag
        ("DK", D(2026, 5, 25), False),   # anden pinsedag
        ("DK", D(2026, 5, 1), True),     # 1 May is not a helligdag in Denmark
        ("DK", D(2028, 5, 17), True),    # 17 May is Norwegian only (Wednesday 2028)
        ("DK", D(2023, 5, 5), False),    # Store Bededag 2023 (Easter 9 April + 26 days), last year it was a holiday
        ("DK", D(2024, 4, 26), True),    # Store Bededag abolished from 2024 (Act no. 214 of 2023)
        ("DK", D(2025, 5, 16), True),    # ... and 2025 (Easter 20 April + 26)
        ("DK", D(2027, 4, 23), True),    # ... and 2027 (Easter 28 March + 26)
        ("DK", D(2026, 6, 5), True),     # Grundlovsdag, Friday: not a helligdag [check, see is_working_day]
        ("DK", D(2026, 12, 24), True),   # juleaftensdag: not a helligdag [check]
        ("DK", D(2026, 12, 31), True),   # nytårsaftensdag: not a helligdag [check]
        ("DK", D(2026, 12, 26), False),  # anden juledag (a Saturday anyway)
        ("DK", D(2027, 1, 1), False),    # nytårsdag
    ],
)
def test_is_working_day_table(country, day, working):
    assert is_working_day(day, country) is working
    assert is_working_day(day, Country(country)) is working  # the enum is the same key


@pytest.mark.parametrize(
    ("call", "day", "n", "country", "expected"),
    [
        # n = 0 is the day itself, even a Saturday: nothing is counted.
        (add_working_days, D(2026, 3, 14), 0, "NO", D(2026, 3, 14)),
        (subtract_working_days, D(2026, 3, 14), 0, "NO", D(2026, 3, 14)),
        # Friday + 1: Saturday and Sunday are skipped -> Monday 16 March.
        (add_working_days, D(2026, 3, 13), 1, "NO", D(2026, 3, 16)),
        # Wednesday 1 April + 1: 2, 3 (holidays), 4, 5 (weekend), 6 (Easter Monday) -> Tuesday 7.
        (add_working_days, D(2026, 4, 1), 1, "NO", D(2026, 4, 7)),
        (add_working_days, D(2026, 4, 1), 1, "DK", D(2026, 4, 7)),
        # ... and back again: the day before Tuesday 7 that is a working day is Wednesday 1.
        (subtract_working_days, D(2026, 4, 7), 1, "NO", D(2026, 4, 1)),
        # Thursday 30 April + 1: Norway skips 1 May and the weekend -> Monday 4 May;
        # Denmark works on 1 May.
        (add_working_days, D(2026, 4, 30), 1, "NO", D(2026, 5, 4)),
        (add_working_days, D(2026, 4, 30), 1, "DK", D(2026, 5, 1)),
        # 31 December 2026 + 1: 1 January (holiday), 2, 3 (weekend) -> Monday 4 January 2027.
        (add_working_days, D(2026, 12, 31), 1, "NO", D(2027, 1, 4)),
        (subtract_working_days, D(2027, 1, 4), 1, "NO", D(2026, 12, 31)),
        # Monday 9 March + 10 working days, no holidays: two full weeks -> Monday 23 March.
        (add_working_days, D(2026, 3, 9), 10, "NO", D(2026, 3, 23)),
        # Monday 11 May - 3: Friday 8, Thursday 7, Wednesday 6 May.
        (subtract_working_days, D(2026, 5, 11), 3, "NO", D(2026, 5, 6)),
    ],
)
def test_add_and_subtract_working_days_table(call, day, n, country, expected):
    assert call(day, n, country) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2026, 3, 16), D(2026, 3, 16)),  # a working Monday stays
        (D(2026, 3, 14), D(2026, 3, 16)),  # Saturday -> Monday
        (D(2026, 4, 2), D(2026, 4, 7)),    # Maundy Thursday -> Tuesday after Easter
    ],
)
def test_next_working_day_on_or_after(day, expected):
    assert next_working_day_on_or_after(day, "NO") == expected


# ------------------------------------------------------------------ period_end (1182/71)


@pytest.mark.parametrize(
    ("country", "event", "days", "working_days", "expected"),
    [
        # Monday 9 March + 10 calendar days = Thursday 19 March, a working day.
        ("NO", D(2026, 3, 9), 10, False, D(2026, 3, 19)),
        # Thursday 12 March, 1 day: Friday 13 March.
        ("NO", D(2026, 3, 12), 1, False, D(2026, 3, 13)),
        # Saturday 14 March, 1 day: Sunday 15 -> Monday 16 (art. 3(4)).
        ("NO", D(2026, 3, 14), 1, False, D(2026, 3, 16)),
        # Thursday 12 March, 2 days: Friday 13, Saturday 14 -> Monday 16; Friday and Monday
        # are two working days, so art. 3(5) adds nothing.
        ("NO", D(2026, 3, 12), 2, False, D(2026, 3, 16)),
        # Friday 13 March, 2 days: Saturday 14, Sunday 15 -> Monday 16, the only working day
        # in the period, so art. 3(5) runs it on to Tuesday 17.
        ("NO", D(2026, 3, 13), 2, False, D(2026, 3, 17)),
        # Wednesday 1 April, 1 day: Maundy Thursday -> past Good Friday, the weekend and
        # Easter Monday -> Tuesday 7 April.
        ("NO", D(2026, 4, 1), 1, False, D(2026, 4, 7)),
        # Wednesday 1 April, 2 days: Good Friday -> Tuesday 7 (art. 3(4)); only one working
        # day (7 April) in 2-7 April, so art. 3(5) -> Wednesday 8 April.
        ("NO", D(2026, 4, 1), 2, False, D(2026, 4, 8)),
        # Thursday 30 April, 1 day: 1 May (Friday) -> Monday 4 May in Norway ...
        ("NO", D(2026, 4, 30), 1, False, D(2026, 5, 4)),
        # ... but 1 May is a working day in Denmark.
        ("DK", D(2026, 4, 30), 1, False, D(2026, 5, 1)),
        # Wednesday 13 May, 1 day: Ascension -> Friday 15 May.
        ("NO", D(2026, 5, 13), 1, False, D(2026, 5, 15)),
        # Wednesday 13 May, 2 days: Friday 15 is a working day but the only one (14 May is
        # Ascension), so -> the second working day, Monday 18 May. Same in Denmark.
        ("NO", D(2026, 5, 13), 2, False, D(2026, 5, 18)),
        ("DK", D(2026, 5, 13), 2, False, D(2026, 5, 18)),
        # Friday 22 May, 3 days: Saturday, Sunday, Whit Monday 25 -> Tuesday 26, the only
        # working day in 23-26 May -> Wednesday 27 May.
        ("NO", D(2026, 5, 22), 3, False, D(2026, 5, 27)),
        # Christmas Eve, 2 days: Christmas Day, Saturday 26 -> Sunday -> Monday 28, one
        # working day -> Tuesday 29 December.
        ("NO", D(2026, 12, 24), 2, False, D(2026, 12, 29)),
        # Wednesday 30 December, 2 days: 31 December (working), 1 January (holiday) ->
        # Monday 4 January 2027; 31 Dec and 4 Jan are two working days.
        ("NO", D(2026, 12, 30), 2, False, D(2027, 1, 4)),
        # 1 December + 30 days = Thursday 31 December (a working day in Norway).
        ("NO", D(2026, 12, 1), 30, False, D(2026, 12, 31)),
        # 1 December + 35 days (open procedure) = Tuesday 5 January 2027.
        ("NO", D(2026, 12, 1), 35, False, D(2027, 1, 5)),
        # Thursday 4 May 2023, 1 day: Store Bededag in Denmark -> Monday 8 May ...
        ("DK", D(2023, 5, 4), 1, False, D(2023, 5, 8)),
        # ... an ordinary Friday in Norway.
        ("NO", D(2023, 5, 4), 1, False, D(2023, 5, 5)),
        # Thursday 25 April 2024, 1 day: Friday 26 April, no longer Store Bededag.
        ("DK", D(2024, 4, 25), 1, False, D(2024, 4, 26)),
        # Thursday 4 June, 1 day: Grundlovsdag, counted as a working day [check].
        ("DK", D(2026, 6, 4), 1, False, D(2026, 6, 5)),
        # Working days: Wednesday 1 April + 3 -> 7 (1), 8 (2), 9 (3) April.
        ("NO", D(2026, 4, 1), 3, True, D(2026, 4, 9)),
        # Friday 27 March + 5 working days -> 30 (1), 31 (2) March, 1 (3), [2-6 closed],
        # 7 (4), 8 (5) April.
        ("NO", D(2026, 3, 27), 5, True, D(2026, 4, 8)),
        # Saturday 14 March + 1 working day: counting starts on Sunday -> Monday 16.
        ("NO", D(2026, 3, 14), 1, True, D(2026, 3, 16)),
    ],
)
def test_period_end_table(country, event, days, working_days, expected):
    assert period_end(event, days=days, country=country, working_days=working_days) == expected


# ------------------------------------------------------------------ standstill


@pytest.mark.parametrize(
    ("country", "notice", "days", "expected"),
    [
        # Notice on Friday 27 March, the Friday before Easter, 10 days: day 10 is Easter
        # Monday 6 April -> Tuesday 7 April; the contract can be signed on 8 April.
        ("NO", D(2026, 3, 27), 10, D(2026, 4, 7)),
        ("DK", D(2026, 3, 27), 10, D(2026, 4, 7)),
        # Same notice by letter, 15 days: Saturday 11 April -> Monday 13 April.
        ("NO", D(2026, 3, 27), 15, D(2026, 4, 13)),
        # Notice on Maundy Thursday 2 April, 10 days: Sunday 12 April -> Monday 13 April.
        ("NO", D(2026, 4, 2), 10, D(2026, 4, 13)),
        # Monday 4 May, 10 days: Ascension 14 May -> Friday 15 May.
        ("NO", D(2026, 5, 4), 10, D(2026, 5, 15)),
        # Thursday 7 May, 10 days: 17 May (Sunday) -> Monday 18 May.
        ("NO", D(2026, 5, 7), 10, D(2026, 5, 18)),
        # Fosen's 14 days from Friday 11 December: Christmas Day -> Saturday, Sunday ->
        # Monday 28 December.
        ("NO", D(2026, 12, 11), 14, D(2026, 12, 28)),
        # Friday 22 May, 10 days: Monday 1 June (Whit Monday 25 May lies inside, no effect).
        ("DK", D(2026, 5, 22), 10, D(2026, 6, 1)),
        # Tuesday 26 May, 10 days: Friday 5 June, Grundlovsdag, counted as a working day
        # [check: if it is not, the period runs to Monday 8 June].
        ("DK", D(2026, 5, 26), 10, D(2026, 6, 5)),
        # Tuesday 25 April 2023, 10 days: Store Bededag 5 May -> Monday 8 May 2023.
        ("DK", D(2023, 4, 25), 10, D(2023, 5, 8)),
        # Tuesday 16 April 2024, 10 days: Friday 26 April, a working day since 2024.
        ("DK", D(2024, 4, 16), 10, D(2024, 4, 26)),
        # Tuesday 21 April, 10 days: Friday 1 May, a public holiday in Norway -> Monday 4 May ...
        ("NO", D(2026, 4, 21), 10, D(2026, 5, 4)),
        # ... but not in Denmark, where 1 May is a working day.
        ("DK", D(2026, 4, 21), 10, D(2026, 5, 1)),
        # Friday 15 May, 10 days: Whit Monday 25 May -> Tuesday 26 May, in both countries.
        ("NO", D(2026, 5, 15), 10, D(2026, 5, 26)),
        ("DK", D(2026, 5, 15), 10, D(2026, 5, 26)),
        # Ascension Thursday 14 May is a Danish holiday too.
        ("DK", D(2026, 5, 4), 10, D(2026, 5, 15)),
        # Easter in Denmark: Maundy Thursday 2 April, 10 days: Sunday 12 April -> Monday 13 April.
        ("DK", D(2026, 4, 2), 10, D(2026, 4, 13)),
        # Christmas in Denmark: 14 days from Friday 11 December -> Monday 28 December.
        ("DK", D(2026, 12, 11), 14, D(2026, 12, 28)),
        # New Year: Tuesday 22 December, 10 days: Friday 1 January 2027 -> Monday 4 January.
        ("NO", D(2026, 12, 22), 10, D(2027, 1, 4)),
        ("DK", D(2026, 12, 22), 10, D(2027, 1, 4)),
        # A plain weekend: Wednesday 4 March, 10 days: Saturday 14 March -> Monday 16 March.
        ("NO", D(2026, 3, 4), 10, D(2026, 3, 16)),
        ("DK", D(2026, 3, 4), 10, D(2026, 3, 16)),
        # 17 May on a weekday (Wednesday 2028): Friday 5 May 2028, 12 days -> Thursday 18 May
        # in Norway; an ordinary Wednesday in Denmark.
        ("NO", D(2028, 5, 5), 12, D(2028, 5, 18)),
        ("DK", D(2028, 5, 5), 12, D(2028, 5, 17)),
    ],
)
def test_standstill_end_table(country, notice, days, expected):
    assert standstill_last_day(notice, days, country) == expected
    end = standstill_end(notice, days, country)
    zone = ZoneInfo(Country(country).time_zone)
    assert end.tzinfo is not None
    # 24:00 of the last day in the country's zone: the first instant of the next local day.
    assert end == datetime.combine(expected + timedelta(days=1), datetime.min.time(), tzinfo=zone)
    assert end.astimezone(zone).date() - timedelta(days=1) == expected


@pytest.mark.parametrize(
    ("days", "minimum", "valid"),
    [
        (10, 10, True),   # exactly the minimum
        (9, 10, False),   # one day short
        (14, 10, True),   # a longer period (Fosen) is always allowed
        (15, 15, True),
        (10, 15, False),  # the electronic minimum is too short for a letter
        (0, 10, False),
        (-5, 10, False),
    ],
)
def test_standstill_days_valid(days, minimum, valid):
    assert standstill_days_valid(days, minimum) is valid


def test_standstill_defaults_are_seed_rows_one_per_country_and_channel():
    keyed = {(row.country, row.channel): row for row in STANDSTILL_MINIMUM_DAYS_DEFAULTS}
    assert len(keyed) == len(STANDSTILL_MINIMUM_DAYS_DEFAULTS) == 4
    assert {key: row.days for key, row in keyed.items()} == {
        (Country.NO, "electronic"): 10,
        (Country.NO, "other"): 15,
        (Country.DK, "electronic"): 10,
        (Country.DK, "other"): 15,
    }
    # legal.md marks the Norwegian values [check] and the Danish ones [verified].
    assert {row.country: row.status for row in STANDSTILL_MINIMUM_DAYS_DEFAULTS} == {
        Country.NO: "check", Country.DK: "verified"
    }
    for row in STANDSTILL_MINIMUM_DAYS_DEFAULTS:
        assert row.source
        assert standstill_days_valid(row.days, row.days)
    with pytest.raises(dataclasses.FrozenInstanceError):
        STANDSTILL_MINIMUM_DAYS_DEFAULTS[0].days = 5
    assert isinstance(STANDSTILL_MINIMUM_DAYS_DEFAULTS, tuple)
    assert all(isinstance(row, StandstillMinimum) for row in STANDSTILL_MINIMUM_DAYS_DEFAULTS)


# ------------------------------------------------------------------ minutes and meetings


@pytest.mark.parametrize(
    ("country", "meeting", "expected"),
    [
        # Monday 9 March: Tuesday 10 (1), Wednesday 11 (2).
        ("NO", D(2026, 3, 9), D(2026, 3, 11)),
        # Thursday 12 March: Friday 13 (1), Monday 16 (2).
        ("NO", D(2026, 3, 12), D(2026, 3, 16)),
        # A meeting on Saturday 14 March: Monday 16 (1), Tuesday 17 (2).
        ("NO", D(2026, 3, 14), D(2026, 3, 17)),
        # Wednesday 1 April: Easter closes 2-6 April -> Tuesday 7 (1), Wednesday 8 (2).
        ("NO", D(2026, 4, 1), D(2026, 4, 8)),
        # Wednesday 29 April: Thursday 30 (1), 1 May closed in Norway, Monday 4 May (2) ...
        ("NO", D(2026, 4, 29), D(2026, 5, 4)),
        # ... Denmark works on 1 May: Thursday 30 (1), Friday 1 May (2).
        ("DK", D(2026, 4, 29), D(2026, 5, 1)),
        # Wednesday 13 May: Ascension, Friday 15 (1), Monday 18 (2).
        ("NO", D(2026, 5, 13), D(2026, 5, 18)),
        # Wednesday 23 December: 24th (1), Christmas, weekend, Monday 28 (2).
        ("NO", D(2026, 12, 23), D(2026, 12, 28)),
        # Denmark, Wednesday 3 May 2023: Thursday 4 (1), Store Bededag, Monday 8 (2).
        ("DK", D(2023, 5, 3), D(2023, 5, 8)),
    ],
)
def test_minutes_due_table(country, meeting, expected):
    assert minutes_due(meeting, country) == expected


@pytest.mark.parametrize(
    ("country", "next_meeting", "expected"),
    [
        # Friday 13 March: Thursday 12 (1), Wednesday 11 (2), Tuesday 10 (3), Monday 9 (4).
        ("NO", D(2026, 3, 13), D(2026, 3, 9)),
        # Monday 16 March: Friday 13 (1), 12 (2), 11 (3), Tuesday 10 (4).
        ("NO", D(2026, 3, 16), D(2026, 3, 10)),
        # Wednesday 8 April: Tuesday 7 (1), Easter back to Wednesday 1 April (2), Tuesday 31
        # March (3), Monday 30 March (4).
        ("NO", D(2026, 4, 8), D(2026, 3, 30)),
        # Tuesday 19 May: Monday 18 (1), Friday 15 (2), Ascension, Wednesday 13 (3), Tuesday 12 (4).
        ("NO", D(2026, 5, 19), D(2026, 5, 12)),
        # Monday 4 January 2027: 1 January closed, 31 (1), 30 (2), 29 (3), Monday 28 December (4).
        ("NO", D(2027, 1, 4), D(2026, 12, 28)),
        # Denmark, Tuesday 9 May 2023: Monday 8 (1), Store Bededag, Thursday 4 (2), 3 (3), Tuesday 2 (4) ...
        ("DK", D(2023, 5, 9), D(2023, 5, 2)),
        # ... Norway the same week: 8 (1), Friday 5 (2), 4 (3), Wednesday 3 May (4).
        ("NO", D(2023, 5, 9), D(2023, 5, 3)),
        # Denmark, Tuesday 30 April 2024: 29 (1), Friday 26 (2, no longer a holiday), 25 (3), Wednesday 24 (4).
        ("DK", D(2024, 4, 30), D(2024, 4, 24)),
    ],
)
def test_minutes_deemed_approved_table(country, next_meeting, expected):
    assert minutes_deemed_approved(next_meeting, country) == expected


@pytest.mark.parametrize(
    ("dates", "minimum_days", "expected"),
    [
        ([], 14, []),
        ([D(2026, 3, 1)], 14, []),
        # Exactly 14 days apart is allowed ...
        ([D(2026, 3, 1), D(2026, 3, 15)], 14, []),
        # ... 13 days is not.
        ([D(2026, 3, 1), D(2026, 3, 14)], 14, [(D(2026, 3, 1), D(2026, 3, 14))]),
        # Unsorted input: sorted 1, 10, 15 March; 9 and 5 days apart, both flagged; 1 -> 15
        # is not a consecutive pair.
        (
            [D(2026, 3, 15), D(2026, 3, 1), D(2026, 3, 10)],
            14,
            [(D(2026, 3, 1), D(2026, 3, 10)), (D(2026, 3, 10), D(2026, 3, 15))],
        ),
        # The same day twice: 0 days apart.
        ([D(2026, 3, 5), D(2026, 3, 5)], 14, [(D(2026, 3, 5), D(2026, 3, 5))]),
        # Another minimum: 1 -> 8 March is 7 days (fine), 8 -> 14 is 6 (too close).
        ([D(2026, 3, 1), D(2026, 3, 8), D(2026, 3, 14)], 7, [(D(2026, 3, 8), D(2026, 3, 14))]),
        # Across the year: 28 December -> 8 January is 11 days.
        ([D(2026, 12, 28), D(2027, 1, 8)], 14, [(D(2026, 12, 28), D(2027, 1, 8))]),
        # Every other Monday all spring: always 14 days apart.
        ([D(2026, 1, 5) + timedelta(weeks=2 * k) for k in range(10)], 14, []),
    ],
)
def test_meetings_too_close_table(dates, minimum_days, expected):
    assert meetings_too_close(dates, minimum_days=minimum_days) == expected
    assert meetings_too_close(iter(dates), minimum_days=minimum_days) == expected  # any iterable


def test_meetings_too_close_default_minimum_is_14_days():
    assert meetings_too_close([D(2026, 3, 1), D(2026, 3, 14)]) == [(D(2026, 3, 1), D(2026, 3, 14))]
    assert meetings_too_close([D(2026, 3, 1), D(2026, 3, 15)]) == []


# ------------------------------------------------------------------ end of day and has_passed


@pytest.mark.parametrize(
    ("day", "time_zone", "expected_utc"),
    [
        # Winter time (+01:00): 29 March 00:00 local = 28 March 23:00 UTC.
        (D(2026, 3, 28), OSLO, datetime(2026, 3, 28, 23, 0, tzinfo=UTC)),
        # Spring forward day (02:00 -> 03:00): ends at 30 March 00:00 +02:00 = 22:00 UTC.
        (D(2026, 3, 29), OSLO, datetime(2026, 3, 29, 22, 0, tzinfo=UTC)),
        # Summer time: 25 October 00:00 +02:00 = 24 October 22:00 UTC.
        (D(2026, 10, 24), OSLO, datetime(2026, 10, 24, 22, 0, tzinfo=UTC)),
        # Fall back day (03:00 -> 02:00): ends at 26 October 00:00 +01:00 = 23:00 UTC.
        (D(2026, 10, 25), OSLO, datetime(2026, 10, 25, 23, 0, tzinfo=UTC)),
        # Copenhagen in summer: 22:00 UTC.
        (D(2026, 6, 15), COPENHAGEN, datetime(2026, 6, 15, 22, 0, tzinfo=UTC)),
        # New Year's Eve: 1 January 2027 00:00 +01:00 = 31 December 23:00 UTC.
        (D(2026, 12, 31), COPENHAGEN, datetime(2026, 12, 31, 23, 0, tzinfo=UTC)),
        # 2025's transitions (30 March, 26 October), so nothing depends on 2026 alone.
        (D(2025, 3, 30), COPENHAGEN, datetime(2025, 3, 30, 22, 0, tzinfo=UTC)),
        (D(2025, 10, 26), COPENHAGEN, datetime(2025, 10, 26, 23, 0, tzinfo=UTC)),
    ],
)
def test_end_of_day_table(day, time_zone, expected_utc):
    end = end_of_day(day, time_zone)
    assert end == expected_utc
    assert end.tzinfo == ZoneInfo(time_zone)
    assert (end.date(), end.time()) == (day + timedelta(days=1), time(0))  # 00:00 local of the next day


@pytest.mark.parametrize(
    ("day", "hours"),
    [
        (D(2026, 3, 29), 23),  # spring forward
        (D(2026, 3, 30), 24),
        (D(2026, 10, 25), 25),  # fall back
        (D(2026, 10, 26), 24),
    ],
)
def test_length_of_a_day_across_dst(day, hours):
    # Subtract in UTC: two datetimes sharing a ZoneInfo subtract by wall clock (always 24 h).
    start = end_of_day(day - timedelta(days=1), OSLO).astimezone(UTC)
    assert end_of_day(day, OSLO).astimezone(UTC) - start == timedelta(hours=hours)


@pytest.mark.parametrize(
    ("day", "now", "passed"),
    [
        # 7 April ends at 8 April 00:00 +02:00 = 22:00 UTC.
        (D(2026, 4, 7), datetime(2026, 4, 7, 23, 59, 59, 999999, tzinfo=ZoneInfo(OSLO)), False),
        (D(2026, 4, 7), datetime(2026, 4, 8, 0, 0, tzinfo=ZoneInfo(OSLO)), True),  # the bound itself
        (D(2026, 4, 7), datetime(2026, 4, 7, 21, 59, 59, tzinfo=UTC), False),
        (D(2026, 4, 7), datetime(2026, 4, 7, 22, 0, tzinfo=UTC), True),
        # The same instant seen from Copenhagen or New York gives the same answer.
        (D(2026, 4, 7), datetime(2026, 4, 8, 0, 0, tzinfo=ZoneInfo(COPENHAGEN)), True),
        (D(2026, 4, 7), datetime(2026, 4, 7, 17, 59, tzinfo=timezone(timedelta(hours=-4))), False),
        # Spring forward: at 22:30 UTC Oslo is already at 00:30 on 30 March (a wrong +01:00
        # would say 23:30 and answer False).
        (D(2026, 3, 29), datetime(2026, 3, 29, 22, 30, tzinfo=UTC), True),
        (D(2026, 3, 29), datetime(2026, 3, 29, 21, 59, tzinfo=UTC), False),
        # Fall back: at 22:30 UTC Oslo is at 23:30 on 25 October (a wrong +02:00 would say
        # 00:30 and answer True).
        (D(2026, 10, 25), datetime(2026, 10, 25, 22, 30, tzinfo=UTC), False),
        (D(2026, 10, 25), datetime(2026, 10, 25, 23, 0, tzinfo=UTC), True),
        # The day before the fall back, now = the second 02:30 of 25 October (fold=1).
        (D(2026, 10, 24), datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=ZoneInfo(OSLO)), True),
        # Long before and long after.
        (D(2026, 4, 7), datetime(2026, 1, 1, tzinfo=UTC), False),
        (D(2026, 4, 7), datetime(2027, 1, 1, tzinfo=UTC), True),
    ],
)
def test_has_passed_table(day, now, passed):
    assert has_passed(day, time_zone=OSLO, now=now) is passed


def test_standstill_instant_in_use():
    # Notice Friday 27 March 2026, 10 days: last day 7 April, over at 8 April 00:00 Oslo.
    last_day = standstill_last_day(D(2026, 3, 27), days=10, country="NO")
    assert standstill_end(D(2026, 3, 27), 10, "NO") == datetime(2026, 4, 8, 0, 0, tzinfo=ZoneInfo(OSLO))
    assert not has_passed(last_day, time_zone=OSLO, now=datetime(2026, 4, 7, 23, 30, tzinfo=ZoneInfo(OSLO)))
    assert has_passed(last_day, time_zone=OSLO, now=datetime(2026, 4, 8, 0, 0, 1, tzinfo=ZoneInfo(OSLO)))


def test_country_time_zones():
    assert Country.NO.time_zone == OSLO
    assert Country("DK").time_zone == COPENHAGEN
    for country in Country:
        ZoneInfo(country.time_zone)  # a real zone


# ------------------------------------------------------------------ refused input


@pytest.mark.parametrize(
    ("call", "code"),
    [
        (lambda: period_end(D(2026, 3, 9), days=0, country="NO"), "too_few_days"),
        (lambda: period_end(D(2026, 3, 9), days=-3, country="NO", working_days=True), "too_few_days"),
        (lambda: period_end(D(2026, 3, 9), days=10, country="SE"), "unknown_country"),
        (lambda: period_end(D(2026, 3, 9), days=10, country="no"), "unknown_country"),  # codes are exact
        (lambda: is_working_day(D(2026, 3, 9), ""), "unknown_country"),
        (lambda: add_working_days(D(2026, 3, 9), -1, "NO"), "negative_working_days"),
        (lambda: subtract_working_days(D(2026, 3, 9), -1, "DK"), "negative_working_days"),
        (lambda: standstill_end(D(2026, 3, 9), days=0, country="NO"), "too_few_days"),
        (lambda: standstill_days_valid(10, 0), "minimum_standstill"),
        (lambda: end_of_day(D(2026, 3, 9), "Europe/Atlantis"), "unknown_time_zone"),
        (lambda: end_of_day(D(2026, 3, 9), "../etc/passwd"), "unknown_time_zone"),
        (lambda: has_passed(D(2026, 3, 9), time_zone=OSLO, now=datetime(2026, 3, 10)), "naive_datetime"),
        (lambda: has_passed(D(2026, 3, 9), time_zone="Mars/Olympus", now=datetime.now(UTC)), "unknown_time_zone"),
        (lambda: meetings_too_close([D(2026, 3, 1)], minimum_days=0), "minimum_gap"),
        (lambda: minutes_due(D(2026, 3, 9), "SE"), "unknown_country"),
        (lambda: minutes_deemed_approved(D(2026, 3, 9), "XX"), "unknown_country"),
    ],
)
def test_refused_input(call, code):
    with pytest.raises(DeadlineError) as caught:
        call()
    assert caught.value.code == code
    assert isinstance(caught.value, ValueError)  # callers may catch the plain ValueError
    assert str(caught.value)  # a bokmål sentence with its values filled in


def test_error_messages_are_bokmal_with_values():
    with pytest.raises(DeadlineError, match="Antall dager må være minst 1, ikke 0"):
        period_end(D(2026, 3, 9), days=0, country="NO")
    with pytest.raises(DeadlineError, match="Ukjent land «SE»"):
        is_working_day(D(2026, 3, 9), "SE")


@pytest.mark.parametrize(
    "call",
    [
        # A datetime is a date subclass; refusing it keeps "which local day?" explicit.
        lambda: is_working_day(datetime(2026, 3, 9, 23, 30, tzinfo=UTC), "NO"),
        lambda: period_end(datetime(2026, 3, 9, 12, 0), days=10, country="NO"),
        lambda: end_of_day(datetime(2026, 3, 9, 12, 0), OSLO),
        lambda: meetings_too_close([D(2026, 3, 1), datetime(2026, 3, 20, 9, 0)]),
        lambda: is_working_day("2026-03-09", "NO"),
        # Days are ints: not True, not 10.0, not "10".
        lambda: period_end(D(2026, 3, 9), days=True, country="NO"),
        lambda: period_end(D(2026, 3, 9), days=10.0, country="NO"),
        lambda: standstill_end(D(2026, 3, 9), "10", "NO"),
        lambda: add_working_days(D(2026, 3, 9), 1.5, "NO"),
        lambda: standstill_days_valid(10, 10.0),
        lambda: has_passed(D(2026, 3, 9), time_zone=OSLO, now=D(2026, 3, 10)),
    ],
)
def test_wrong_types_are_refused(call):
    with pytest.raises(TypeError):
        call()


# ------------------------------------------------------------------ the holiday calendar


def test_one_holiday_calendar_per_country_and_year(monkeypatch):
    deadlines._library_holidays.cache_clear(); deadlines._holidays_of.cache_clear()
    norway = mock.Mock(wraps=holidays.Norway)
    monkeypatch.setattr(deadlines.holidays, "Norway", norway)
    try:
        for day in range(1, 29):
            is_working_day(D(2026, 2, day), "NO")
        add_working_days(D(2026, 12, 30), 3, "NO")  # runs into 2027
        assert [call.kwargs["years"] for call in norway.call_args_list] == [2026, 2027]
        # Sundays are left to the weekday test, whatever the library's default.
        assert all(call.kwargs["include_sundays"] is False for call in norway.call_args_list)
    finally:
        deadlines._library_holidays.cache_clear(); deadlines._holidays_of.cache_clear()


# ------------------------------------------------------------------ properties

# The oracle: a working day straight from the library, Sundays included or not.
_ORACLE = {
    "NO": holidays.Norway(include_sundays=True),
    "DK": holidays.Denmark(),
}


def _working(day: date, country: str) -> bool:
    return day.weekday() < 5 and day not in _ORACLE[country]


def _working_days_in(first: date, last: date, country: str) -> int:
    """Working days from FIRST to LAST, both included."""
    return sum(_working(first + timedelta(days=k), country) for k in range((last - first).days + 1))


days_st = st.dates(min_value=D(2000, 1, 1), max_value=D(2060, 12, 31))
countries_st = st.sampled_from(["NO", "DK"])
period_days_st = st.integers(min_value=1, max_value=120)
zones_st = st.sampled_from([OSLO, COPENHAGEN])


@given(days_st, countries_st)
def test_is_working_day_agrees_with_the_library(day, country):
    assert is_working_day(day, country) is _working(day, country)


@given(days_st, countries_st, period_days_st, st.booleans())
def test_period_end_is_a_working_day_after_the_event(event, country, days, working_days):
    end = period_end(event, days=days, country=country, working_days=working_days)
    assert end > event
    assert _working(end, country)
    if not working_days:
        assert end >= event + timedelta(days=days)  # never shorter than the calendar days


@given(days_st, countries_st, st.integers(min_value=2, max_value=120), st.booleans())
def test_a_period_of_two_days_or_more_holds_two_working_days(event, country, days, working_days):
    end = period_end(event, days=days, country=country, working_days=working_days)
    assert _working_days_in(event + timedelta(days=1), end, country) >= 2


@given(days_st, countries_st, period_days_st)
def test_calendar_period_end_is_the_earliest_day_the_rules_allow(event, country, days):
    # Every day before the returned end (from the plain last day on) breaks a rule: it is
    # closed, or (for two days or more) the period up to it holds fewer than two working days.
    end = period_end(event, days=days, country=country)
    day = event + timedelta(days=days)
    while day < end:
        too_few = days >= 2 and _working_days_in(event + timedelta(days=1), day, country) < 2
        assert not _working(day, country) or too_few
        day += timedelta(days=1)


@given(days_st, countries_st, period_days_st)
def test_working_day_period_counts_exactly_its_working_days(event, country, days):
    end = period_end(event, days=days, country=country, working_days=True)
    assert _working_days_in(event + timedelta(days=1), end, country) == days
    assert _working(end, country)


@given(days_st, countries_st, st.integers(min_value=1, max_value=119), st.booleans())
def test_period_end_is_monotonic_in_days(event, country, days, working_days):
    shorter = period_end(event, days=days, country=country, working_days=working_days)
    longer = period_end(event, days=days + 1, country=country, working_days=working_days)
    assert shorter <= longer
    if working_days:
        assert shorter < longer  # one more working day is always a later day


@given(days_st, countries_st, st.integers(min_value=1, max_value=60))
def test_standstill_end_is_a_calendar_day_period(notice, country, days):
    assert standstill_last_day(notice, days, country) == period_end(notice, days=days, country=country)


@given(days_st, countries_st, st.integers(min_value=1, max_value=60))
def test_standstill_never_ends_on_a_non_working_day(notice, country, days):
    end = standstill_end(notice, days, country)
    zone = ZoneInfo(Country(country).time_zone)
    local = end.astimezone(zone)
    assert local.time() == datetime.min.time() and local.utcoffset() == end.utcoffset()
    last_day = local.date() - timedelta(days=1)
    assert _working(last_day, country)
    assert last_day >= notice + timedelta(days=days)  # never shorter than the days chosen
    # Nothing earlier would do: every day between the plain end and the last day is not a working day.
    day = notice + timedelta(days=days)
    while day < last_day:
        assert not _working(day, country) or days >= 2
        day += timedelta(days=1)


@given(days_st, countries_st, st.integers(min_value=0, max_value=60))
def test_add_working_days_counts_exactly_n(day, country, n):
    result = add_working_days(day, n, country)
    if n == 0:
        assert result == day
    else:
        assert result > day
        assert _working(result, country)
        assert _working_days_in(day + timedelta(days=1), result, country) == n


@given(days_st, countries_st, st.integers(min_value=0, max_value=60))
def test_subtract_working_days_counts_exactly_n(day, country, n):
    result = subtract_working_days(day, n, country)
    if n == 0:
        assert result == day
    else:
        assert result < day
        assert _working(result, country)
        assert _working_days_in(result, day - timedelta(days=1), country) == n


@given(days_st, countries_st, st.integers(min_value=1, max_value=60))
def test_subtract_undoes_add_from_a_working_day(day, country, n):
    start = next_working_day_on_or_after(day, country)
    assert subtract_working_days(add_working_days(start, n, country), n, country) == start


@given(days_st, countries_st)
def test_minutes_due_is_the_second_working_day_after(meeting, country):
    due = minutes_due(meeting, country)
    assert due > meeting
    assert _working(due, country)
    # Exactly two working days from the day after the meeting to the due day, both included.
    assert _working_days_in(meeting + timedelta(days=1), due, country) == 2


@given(days_st, countries_st)
def test_minutes_deemed_approved_is_the_fourth_working_day_before(next_meeting, country):
    # Definition: the day returned is a working day before the meeting, and it and the days
    # up to the day before the meeting hold exactly four working days (it is the fourth).
    last_correction = minutes_deemed_approved(next_meeting, country)
    assert last_correction < next_meeting
    assert _working(last_correction, country)
    assert _working_days_in(last_correction, next_meeting - timedelta(days=1), country) == 4
    # At least 4 days before (four working days need four days), at most 4 + the longest
    # closed run in between; a fortnight is far more than Easter ever closes.
    assert timedelta(days=4) <= next_meeting - last_correction <= timedelta(days=14)


@given(st.lists(days_st, max_size=12), st.integers(min_value=1, max_value=40))
def test_meetings_too_close_flags_exactly_the_close_consecutive_pairs(dates, minimum_days):
    flagged = meetings_too_close(dates, minimum_days=minimum_days)
    ordered = sorted(dates)
    pairs = list(itertools.pairwise(ordered))
    assert flagged == [(a, b) for a, b in pairs if (b - a).days < minimum_days]
    assert all(a <= b and (b - a).days < minimum_days for a, b in flagged)
    assert meetings_too_close(list(reversed(dates)), minimum_days=minimum_days) == flagged


def _dst_change(day: date, month: int) -> bool:
    """The last Sunday of MONTH, when the EU clocks change (since 1996)."""
    return day.month == month and day.weekday() == 6 and (day + timedelta(days=7)).month != month


@given(days_st, zones_st)
def test_end_of_day_is_aware_and_a_day_is_23_to_25_hours(day, time_zone):
    end = end_of_day(day, time_zone)
    assert end.tzinfo is not None and end.utcoffset() is not None
    assert (end.date(), end.time()) == (day + timedelta(days=1), time(0))
    start = end_of_day(day - timedelta(days=1), time_zone)
    length = end.astimezone(UTC) - start.astimezone(UTC)
    expected = 23 if _dst_change(day, 3) else 25 if _dst_change(day, 10) else 24
    assert length == expected * HOUR


@given(
    days_st,
    zones_st,
    st.integers(min_value=-3 * 86_400_000_000, max_value=3 * 86_400_000_000),
    st.sampled_from([UTC, ZoneInfo(OSLO), ZoneInfo(COPENHAGEN), timezone(timedelta(hours=-5))]),
)
def test_has_passed_is_at_or_after_the_end_of_day_in_any_zone(day, time_zone, microseconds, seen_from):
    end = end_of_day(day, time_zone)
    now = (end.astimezone(UTC) + timedelta(microseconds=microseconds)).astimezone(seen_from)
    assert has_passed(day, time_zone=time_zone, now=now) is (microseconds >= 0)



def test_end_of_day_where_midnight_does_not_exist():
    # Chile moves its clocks at 24:00 on the first Saturday of September: in 2024 local time
    # went from 7 September 23:59:59 (-04:00) straight to 8 September 01:00 (-03:00). The
    # day still ends at that instant (04:00 UTC), shown as the first local time of the next day.
    end = end_of_day(D(2024, 9, 7), "America/Santiago")
    assert end == datetime(2024, 9, 8, 4, 0, tzinfo=UTC)
    assert (end.date(), end.time(), end.utcoffset()) == (D(2024, 9, 8), time(1, 0), timedelta(hours=-3))


def test_a_declared_holiday_is_not_a_working_day_and_moves_what_counts_over_it():
    """A day the authorities declare off (data: procurement.DeclaredHoliday) counts as the
    library's own holidays do: Friday 10 April 2026 declared off moves a standstill period
    that would end that day to Monday 13 April, and the minutes of a Thursday meeting from
    Monday 13 to Tuesday 14 April."""
    friday = D(2026, 4, 10)
    assert is_working_day(friday, "NO")
    try:
        deadlines.declared_holidays_use({"NO": [friday]})
        assert not is_working_day(friday, "NO") and is_working_day(friday, "DK")
        assert deadlines.standstill_last_day(D(2026, 3, 31), 10, "NO") == D(2026, 4, 13)
        assert deadlines.minutes_due(D(2026, 4, 9), "NO") == D(2026, 4, 14)
    finally:
        deadlines.declared_holidays_use({})
    assert is_working_day(friday, "NO")
    assert deadlines.standstill_last_day(D(2026, 3, 31), 10, "NO") == friday
