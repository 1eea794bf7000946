"""Acceptance scenarios for the deadline engine on China's 2026 official schedule.

Each test is one scenario of the spec (S1–S23). Schedule used (chinese-calendar
1.11): holidays Jan 1–3, Feb 15–23, Apr 4–6, May 1–5, Jun 19–21, Sep 25–27,
Oct 1–7; make-up workdays Sun Jan 4, Sat Feb 14, Sat Feb 28, Sat May 9, Sun Sep 20,
Sat Oct 10. "D 24:00" is represented as 00:00 of D+1 (see ``end``).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from core.calendar import BusinessCalendar
from core.deadlines import Due, compute_due, extend_due, resume_due, shift

TZ = ZoneInfo("Asia/Shanghai")
CN = BusinessCalendar(country="CN", timezone="Asia/Shanghai")
SEED_HOURS = BusinessCalendar(working_hours=(("08:30", "11:30"), ("14:30", "17:00")))


def at(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=TZ)


def end(y: int, m: int, d: int) -> datetime:
    """``D 24:00``: the first instant after day D."""
    return datetime.combine(date(y, m, d) + timedelta(days=1), time(0), TZ)


def assert_day_due(due: Due, y: int, m: int, d: int) -> None:
    assert due.at == end(y, m, d)
    assert due.last_day == date(y, m, d)
    assert due.at.tzinfo is not None
    assert not due.provisional


def test_s1_minutes_and_hours_are_wall_clock() -> None:
    assert compute_due(at(2026, 3, 13, 17, 50), 5, "minutes", CN).at == at(2026, 3, 13, 17, 55)
    assert compute_due(at(2026, 3, 13, 17, 53), 15, "minutes", CN).at == at(2026, 3, 13, 18, 8)
    assert compute_due(at(2026, 3, 13, 17, 50), 24, "hours", CN).at == at(2026, 3, 14, 17, 50)


def test_s2_national_day_skipped_make_up_saturday_counts() -> None:
    start = at(2026, 9, 30, 16)
    assert_day_due(compute_due(start, 15, "working_days", CN), 2026, 10, 27)
    assert_day_due(compute_due(start, 15, "calendar_days", CN, roll_forward=True), 2026, 10, 15)


def test_s3_spring_festival_make_up_saturdays() -> None:
    start = at(2026, 2, 12, 10)
    assert_day_due(compute_due(start, 3, "working_days", CN), 2026, 2, 24)
    assert_day_due(compute_due(start, 10, "working_days", CN), 2026, 3, 4)


def test_s4_labour_day_and_working_hours_before_due() -> None:
    start = at(2026, 4, 30, 11)
    two = compute_due(start, 2, "working_days", SEED_HOURS)
    assert_day_due(two, 2026, 5, 7)
    assert_day_due(compute_due(start, 5, "working_days", SEED_HOURS), 2026, 5, 11)
    # 17:00→14:30 is 2.5 h, the remaining 1.5 h back from 11:30 lands on 10:00.
    assert shift(two.at, 4, "working_hours", SEED_HOURS).at == at(2026, 5, 7, 10)


def test_s5_hours_ignore_holidays() -> None:
    assert compute_due(at(2026, 5, 2, 21, 30), 12, "hours", CN).at == at(2026, 5, 3, 9, 30)


def test_s6_thirty_days_and_extension() -> None:
    due = compute_due(at(2026, 6, 1, 9), 30, "calendar_days", CN, roll_forward=True)
    assert_day_due(due, 2026, 7, 1)
    assert_day_due(extend_due(due, 30, "calendar_days", CN, roll_forward=True), 2026, 7, 31)


def test_s7_dragon_boat_festival() -> None:
    start = at(2026, 6, 18, 10)
    assert_day_due(compute_due(start, 3, "working_days", CN), 2026, 6, 24)
    assert_day_due(compute_due(start, 5, "working_days", CN), 2026, 6, 26)


def test_s8_hours_over_a_weekend_then_calendar_days() -> None:
    start = at(2026, 10, 10, 16)
    assert compute_due(start, 24, "hours", CN).at == at(2026, 10, 11, 16)
    assert compute_due(start, 48, "hours", CN).at == at(2026, 10, 12, 16)
    assert_day_due(compute_due(at(2026, 10, 12, 16), 3, "calendar_days", CN), 2026, 10, 15)


def test_s9_mid_autumn_then_national_day() -> None:
    assert_day_due(compute_due(at(2026, 9, 18, 9), 7, "working_days", CN), 2026, 9, 29)
    assert_day_due(compute_due(at(2026, 9, 29, 16), 3, "working_days", CN), 2026, 10, 9)


def test_s10_friday_before_spring_festival() -> None:
    assert_day_due(compute_due(at(2026, 2, 13, 9), 3, "working_days", CN), 2026, 2, 25)


def test_s11_thirty_calendar_days() -> None:
    assert_day_due(compute_due(at(2026, 3, 2, 9), 30, "calendar_days", CN), 2026, 4, 1)


def test_s15_fifteen_working_days_over_both_autumn_holidays() -> None:
    assert_day_due(compute_due(at(2026, 9, 21, 9), 15, "working_days", CN), 2026, 10, 19)


def test_s19_pause_continue_versus_restart() -> None:
    due = compute_due(at(2026, 3, 2, 9), 7, "calendar_days", CN)
    assert_day_due(due, 2026, 3, 9)
    paused, resumed = at(2026, 3, 3, 11), at(2026, 3, 6, 16)
    # continue: Tue was used, 6 days left, counted from Sat 03-07.
    assert_day_due(resume_due(due, paused, resumed, "calendar_days", CN, mode="continue"), 2026, 3, 12)
    # restart: the unfinished pause day is given back, 7 days counted from Sat 03-07.
    restarted = resume_due(due, paused, resumed, "calendar_days", CN, mode="restart", amount=7)
    assert_day_due(restarted, 2026, 3, 13)
    assert resume_due(due.at, paused, resumed, "calendar_days", CN, mode="restart") == restarted


def test_s20_statutory_roll_forward_and_extension_from_nominal_end() -> None:
    due = compute_due(at(2026, 8, 3, 9), 60, "calendar_days", CN, roll_forward=True)
    assert due.nominal_day == date(2026, 10, 2)
    assert_day_due(due, 2026, 10, 8)
    extended = extend_due(due, 30, "calendar_days", CN, roll_forward=True)
    assert extended.nominal_day == date(2026, 11, 1)
    assert_day_due(extended, 2026, 11, 2)


def test_s21_provisional_year_then_imported_schedule() -> None:
    start = at(2026, 12, 16, 9)
    due = compute_due(start, 15, "working_days", CN)
    assert due.at == end(2027, 1, 7)
    assert due.provisional is True
    assert CN.year_status(2027) == "provisional"

    fixture = {  # a test fixture, NOT the official 2027 schedule
        "year": 2027,
        "holidays": ["2027-01-01", "2027-01-04"],
        "workdays": [],
        "source": "test fixture",
    }
    imported = CN.with_year(fixture)
    assert imported.year_status(2027) == "imported"
    due = compute_due(start, 15, "working_days", imported)
    assert due.at == end(2027, 1, 8)
    assert due.provisional is False


def test_s22_same_day_and_after_hours() -> None:
    assert_day_due(compute_due(at(2026, 4, 3, 16, 30), 0, "same_day", CN), 2026, 4, 3)
    closing = BusinessCalendar(closing_time=time(17, 30))
    due = compute_due(at(2026, 4, 3, 18, 10), 0, "same_day", closing, after_hours_next_day=True)
    assert due.at == at(2026, 4, 7, 17, 30)
    assert due.last_day == date(2026, 4, 7)
    # Before closing it stays today.
    due = compute_due(at(2026, 4, 3, 16, 30), 0, "same_day", closing, after_hours_next_day=True)
    assert due.at == at(2026, 4, 3, 17, 30)


@pytest.mark.parametrize(
    ("start", "expected"),
    [((2026, 4, 30), (2026, 5, 8)), ((2026, 5, 8), (2026, 5, 12))],
)
def test_s23_by_the_third_working_day(start: tuple[int, int, int], expected: tuple[int, int, int]) -> None:
    assert_day_due(compute_due(at(*start, 10), 3, "working_days", CN), *expected)
