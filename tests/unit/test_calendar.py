"""BusinessCalendar: day status, precedence, working time and serialisation."""

from __future__ import annotations

import dataclasses
import json
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar
import pytest

from core.calendar import DEFAULT_WORKING_HOURS, BusinessCalendar, CalendarError, dates

TZ = ZoneInfo("Asia/Shanghai")
CN = BusinessCalendar(country="CN", timezone="Asia/Shanghai")


def at(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=TZ)


def every_day(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


# ------------------------------------------------------------------ China day table
def test_default_calendar_is_china() -> None:
    assert BusinessCalendar() == CN
    assert CN.country == "CN"
    assert CN.tz == TZ
    assert CN.working_hours == DEFAULT_WORKING_HOURS
    assert CN.closing_time is None


@pytest.mark.parametrize("year", [2025, 2026])
def test_day_table_matches_chinese_calendar(year: int) -> None:
    """chinese-calendar is the oracle for every day of the years it covers officially."""
    mismatches = [
        d
        for d in every_day(date(year, 1, 1), date(year, 12, 31))
        if CN.is_working_day(d) != chinese_calendar.is_workday(d)
    ]
    assert mismatches == []


def test_day_table_matches_chinese_calendar_for_all_its_years() -> None:
    first = min(chinese_calendar.holidays).replace(month=1, day=1)
    days = every_day(first, date(2026, 12, 31))
    assert [d for d in days if CN.is_working_day(d) != chinese_calendar.is_workday(d)] == []
    assert {CN.year_status(y) for y in range(first.year, 2027)} == {"official"}


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 1, 4), True),  # Sunday make-up workday
        (date(2026, 2, 14), True),  # Saturday make-up workday
        (date(2026, 2, 23), False),  # Monday in the Spring Festival block
        (date(2026, 5, 9), True),
        (date(2026, 9, 20), True),
        (date(2026, 10, 7), False),
        (date(2026, 10, 8), True),
        (date(2026, 10, 10), True),
        (date(2026, 10, 11), False),  # ordinary Sunday
    ],
)
def test_china_2026_days(day: date, working: bool) -> None:
    assert CN.is_working_day(day) is working


def test_year_status_and_provisional_years() -> None:
    assert CN.year_status(2026) == "official"
    assert CN.year_status(2027) == "provisional"
    assert CN.year_status(2040) == "provisional"  # beyond the table: library estimate
    assert not CN.is_provisional(date(2026, 12, 31))
    assert CN.is_provisional(date(2027, 1, 1))
    assert CN.any_provisional(date(2026, 12, 1), date(2027, 1, 5))
    assert not CN.any_provisional(date(2026, 1, 1), date(2026, 12, 31))


def test_provisional_2027_uses_statutory_holidays_without_make_up_days() -> None:
    assert not CN.is_working_day(date(2027, 1, 1))  # New Year's Day (Friday)
    assert CN.is_working_day(date(2027, 1, 4))  # unknown: plain Monday
    assert not CN.is_working_day(date(2027, 10, 1))
    assert CN.schedule_for(2027).workdays == frozenset()


def test_next_and_previous_working_day() -> None:
    assert CN.next_working_day(date(2026, 9, 30)) == date(2026, 10, 8)
    assert CN.next_working_day(date(2026, 10, 9)) == date(2026, 10, 10)  # make-up Saturday
    assert CN.previous_working_day(date(2026, 10, 8)) == date(2026, 9, 30)
    assert CN.working_day_on_or_after(date(2026, 10, 2)) == date(2026, 10, 8)
    assert CN.working_day_on_or_after(date(2026, 10, 8)) == date(2026, 10, 8)
    assert CN.add_working_days(date(2026, 10, 8), 0) == date(2026, 10, 8)
    assert CN.add_working_days(date(2026, 10, 12), -3) == date(2026, 10, 8)
    assert CN.working_days_between(date(2026, 9, 30), date(2026, 10, 12)) == 4
    assert CN.working_days_between(date(2026, 10, 12), date(2026, 9, 30)) == -4


# --------------------------------------------------------------- tenant overrides
def test_closures_and_extra_workdays_take_precedence() -> None:
    cal = BusinessCalendar(closures=dates(["2026-10-10"]), extra_workdays=dates(["2026-10-05"]))
    assert not cal.is_working_day(date(2026, 10, 10))  # closure beats the make-up workday
    assert cal.is_working_day(date(2026, 10, 5))  # extra workday beats the holiday
    assert cal.year_status(2026) == "official"  # tenant days do not change the status


def test_closure_and_extra_workday_on_the_same_day_is_rejected() -> None:
    with pytest.raises(CalendarError) as err:
        BusinessCalendar(closures=["2026-10-10"], extra_workdays=["2026-10-10"])
    assert err.value.problems[0]["field"] == "extra_workdays"


# ------------------------------------------------------------------ working hours
def test_working_intervals() -> None:
    cal = BusinessCalendar(working_hours=(("08:30", "11:30"), ("14:30", "17:00")))
    assert cal.working_intervals(date(2026, 5, 9)) == [
        (at(2026, 5, 9, 8, 30), at(2026, 5, 9, 11, 30)),
        (at(2026, 5, 9, 14, 30), at(2026, 5, 9, 17)),
    ]
    assert cal.working_intervals(date(2026, 5, 1)) == []
    assert all(s.tzinfo is TZ for s, _ in cal.working_intervals(date(2026, 5, 8)))
    assert cal.close_of_business(date(2026, 5, 8)) == at(2026, 5, 8, 17)
    assert cal.close_of_business(date(2026, 5, 1)) is None


def test_add_working_time_skips_lunch_nights_and_holidays() -> None:
    cal = BusinessCalendar(working_hours=(("08:30", "11:30"), ("14:30", "17:00")))
    assert cal.add_working_time(at(2026, 5, 8, 11), timedelta(hours=1)) == at(2026, 5, 8, 15)
    assert cal.add_working_time(at(2026, 4, 30, 16), timedelta(hours=2)) == at(2026, 5, 6, 9, 30)
    # Exactly used up at the end of an interval: the interval end, not the next start.
    assert cal.add_working_time(at(2026, 5, 8, 8, 30), timedelta(hours=3)) == at(2026, 5, 8, 11, 30)
    assert cal.add_working_time(at(2026, 5, 6, 9, 30), timedelta(hours=-2)) == at(2026, 4, 30, 16)
    assert cal.add_working_time(at(2026, 5, 1, 10), timedelta(0)) == at(2026, 5, 1, 10)
    # Outside hours the clock starts at the next opening.
    assert cal.add_working_time(at(2026, 5, 8, 7), timedelta(minutes=30)) == at(2026, 5, 8, 9)


def test_working_time_between() -> None:
    cal = BusinessCalendar(working_hours=(("08:30", "11:30"), ("14:30", "17:00")))
    assert cal.working_time_between(at(2026, 4, 30, 16), at(2026, 5, 6, 9, 30)) == timedelta(hours=2)
    assert cal.working_time_between(at(2026, 5, 8), at(2026, 5, 9)) == timedelta(hours=5, minutes=30)
    assert cal.working_time_between(at(2026, 5, 9), at(2026, 5, 8)) == -timedelta(hours=5, minutes=30)


def test_end_of_day_is_next_midnight_or_closing_time() -> None:
    assert CN.end_of_day(date(2026, 10, 27)) == at(2026, 10, 28)
    closing = BusinessCalendar(closing_time="17:30")
    assert closing.closing_time == time(17, 30)
    assert closing.end_of_day(date(2026, 10, 27)) == at(2026, 10, 27, 17, 30)


def test_calendar_without_working_time_fails_loudly() -> None:
    closed = BusinessCalendar(working_hours=())
    with pytest.raises(ValueError, match="no working hours"):
        closed.add_working_time(at(2026, 5, 8, 9), timedelta(hours=1))


# ---------------------------------------------------------------- serialisation
def test_round_trip_through_json() -> None:
    cal = BusinessCalendar(
        country="cn",
        timezone="Asia/Shanghai",
        working_hours=[["13:30", "17:30"], ["08:30", "12:00"]],
        closing_time="17:30",
        closures=["2026-03-02"],
        extra_workdays={date(2026, 3, 7)},
        schedules=[{"year": 2027, "holidays": ["2027-01-01"], "workdays": ["2027-02-20"], "source": "x"}],
    )
    assert cal.country == "CN"
    assert cal.working_hours == DEFAULT_WORKING_HOURS  # sorted
    stored = json.loads(json.dumps(cal.to_dict()))
    again = BusinessCalendar.from_dict(stored)
    assert again == cal
    assert hash(again) == hash(cal)
    assert again.year_status(2027) == "imported"
    assert BusinessCalendar.from_dict({}) == CN


def test_calendar_is_immutable() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        CN.timezone = "UTC"  # type: ignore[misc]


def test_from_dict_reports_every_problem() -> None:
    with pytest.raises(CalendarError) as err:
        BusinessCalendar.from_dict(
            {
                "country": "XX",
                "timezone": "Mars/Olympus",
                "working_hours": [["9", "10"], ["12:00", "11:00"], ["08:00", "12:00"], ["11:00", "13:00"]],
                "closing_time": "00:00",
                "closures": ["2026-1-1"],
                "schedules": [{"year": 2027, "holidays": ["2026-12-31"]}],
            }
        )
    fields = {p["field"] for p in err.value.problems}
    assert fields >= {
        "country",
        "timezone",
        "working_hours[0]",
        "working_hours[1]",
        "working_hours",
        "closing_time",
        "closures[0]",
        "schedules[0].holidays[0]",
    }
    assert isinstance(err.value, ValueError)


def test_from_dict_rejects_unknown_keys() -> None:
    with pytest.raises(CalendarError) as err:
        BusinessCalendar.from_dict({"contry": "CN"})
    assert err.value.problems == [{"field": "contry", "message": "unknown field"}]


# -------------------------------------------------------------- other countries
def test_other_country_uses_its_own_weekend() -> None:
    sa = BusinessCalendar(country="SA", timezone="Asia/Riyadh")
    assert not sa.is_working_day(date(2026, 3, 6))  # Friday
    assert sa.is_working_day(date(2026, 3, 8))  # Sunday
    us = BusinessCalendar(country="us", timezone="America/New_York")
    assert not us.is_working_day(date(2026, 7, 3))  # Independence Day observed
    assert us.year_status(2026) == "official"


def test_other_country_estimated_years_are_provisional() -> None:
    sg = BusinessCalendar(country="SG", timezone="Asia/Singapore")
    assert sg.year_status(2026) == "official"
    assert sg.year_status(2080) == "provisional"  # the library estimates lunar/Islamic dates


def test_other_country_hours_are_elapsed_time_across_dst() -> None:
    de = BusinessCalendar(country="DE", timezone="Europe/Berlin", working_hours=(("09:00", "17:00"),))
    berlin = ZoneInfo("Europe/Berlin")
    start = datetime(2026, 3, 27, 16, tzinfo=berlin)  # Friday; DST starts Sunday 29 March
    assert de.add_working_time(start, timedelta(hours=2)) == datetime(2026, 3, 30, 10, tzinfo=berlin)
    assert de.working_time_between(start, datetime(2026, 3, 30, 10, tzinfo=berlin)) == timedelta(hours=2)
