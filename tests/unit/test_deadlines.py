"""Rules of the deadline engine, one behaviour per test (scenarios live elsewhere)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import msgspec
import pytest

from core.calendar import BusinessCalendar
from core.deadlines import (
    UNITS,
    Due,
    Remaining,
    add_months,
    compute_due,
    extend_due,
    remaining,
    resume_due,
    shift,
)

TZ = ZoneInfo("Asia/Shanghai")
CN = BusinessCalendar()
CLOSING = BusinessCalendar(closing_time=time(17, 30))
SEED_HOURS = BusinessCalendar(working_hours=(("08:30", "11:30"), ("14:30", "17:00")))


def at(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=TZ)


def end(y: int, m: int, d: int) -> datetime:
    return datetime.combine(date(y, m, d) + timedelta(days=1), time(0), TZ)


# ---------------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"amount": -1}, "must not be negative"),
        ({"amount": 1.5}, "must be an integer"),
        ({"amount": True}, "must be an integer"),
        ({"unit": "fortnights"}, "unknown unit 'fortnights'"),
        ({"start": datetime(2026, 3, 2, 9)}, "timezone-aware"),
        ({"start": date(2026, 3, 2)}, "must be a datetime"),
    ],
)
def test_compute_due_rejects_bad_input(kwargs: dict[str, Any], message: str) -> None:
    args: dict[str, Any] = {"start": at(2026, 3, 2, 9), "amount": 3, "unit": "working_days", **kwargs}
    with pytest.raises(ValueError, match=message):
        compute_due(args["start"], args["amount"], args["unit"], CN)


def test_helpers_reject_bad_input() -> None:
    naive = datetime(2026, 3, 2, 9)
    with pytest.raises(ValueError, match="timezone-aware"):
        shift(naive, 1, "hours", CN)
    with pytest.raises(ValueError, match="direction"):
        shift(at(2026, 3, 2), 1, "hours", CN, direction=2)
    with pytest.raises(ValueError, match="same_day"):
        shift(at(2026, 3, 2), 1, "same_day", CN)
    with pytest.raises(ValueError, match="same_day"):
        extend_due(at(2026, 3, 2), 1, "same_day", CN)
    with pytest.raises(ValueError, match="timezone-aware"):
        remaining(naive, at(2026, 3, 3), "hours", CN)
    with pytest.raises(ValueError, match="mode"):
        resume_due(at(2026, 3, 9), at(2026, 3, 3), at(2026, 3, 4), "hours", CN, mode="rewind")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="before paused_at"):
        resume_due(at(2026, 3, 9), at(2026, 3, 4), at(2026, 3, 3), "hours", CN)
    with pytest.raises(ValueError, match="timezone-aware"):
        resume_due(at(2026, 3, 9), naive, at(2026, 3, 4), "hours", CN)


# ----------------------------------------------------------------------- day units
def test_start_day_is_not_counted_and_zero_means_end_of_start_day() -> None:
    assert compute_due(at(2026, 3, 2, 23, 59), 1, "calendar_days", CN).at == end(2026, 3, 3)
    assert compute_due(at(2026, 3, 2, 9), 0, "calendar_days", CN).at == end(2026, 3, 2)
    assert compute_due(at(2026, 3, 7, 9), 0, "working_days", CN).at == end(2026, 3, 7)  # Saturday
    assert compute_due(at(2026, 3, 6, 9), 1, "working_days", CN).at == end(2026, 3, 9)


def test_day_deadline_representation() -> None:
    due = compute_due(at(2026, 3, 2, 9), 7, "calendar_days", CN)
    assert due.at == at(2026, 3, 10)  # 24:00 of 03-09 is 00:00 of 03-10 ...
    assert due.last_day == date(2026, 3, 9)  # ... and the day is kept for display
    assert due.at.tzinfo == TZ


def test_closing_time_ends_day_deadlines() -> None:
    assert compute_due(at(2026, 3, 2, 9), 7, "calendar_days", CLOSING).at == at(2026, 3, 9, 17, 30)
    assert compute_due(at(2026, 9, 30, 16), 15, "working_days", CLOSING).at == at(2026, 10, 27, 17, 30)


def test_start_is_read_in_the_calendar_timezone() -> None:
    utc_evening = datetime(2026, 9, 30, 20, tzinfo=UTC)  # 2026-10-01 04:00 in Shanghai
    due = compute_due(utc_evening, 1, "working_days", CN)
    assert due.at == end(2026, 10, 8)
    assert due.at.tzinfo == TZ


@pytest.mark.parametrize(
    ("start", "months", "last"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2026, 3, 31), 1, date(2026, 4, 30)),
        (date(2026, 11, 15), 3, date(2027, 2, 15)),
        (date(2026, 3, 2), 0, date(2026, 3, 2)),
    ],
)
def test_months_follow_civil_code_art_202(start: date, months: int, last: date) -> None:
    due = compute_due(datetime.combine(start, time(10), TZ), months, "months", CN)
    assert due.last_day == last
    assert add_months(start, months) == last


def test_weeks_and_months_roll_forward() -> None:
    assert compute_due(at(2026, 9, 16, 9), 2, "weeks", CN).last_day == date(2026, 9, 30)
    due = compute_due(at(2026, 9, 1, 9), 1, "months", CN, roll_forward=True)
    assert (due.nominal_day, due.last_day) == (date(2026, 10, 1), date(2026, 10, 8))
    assert compute_due(at(2026, 9, 1, 9), 1, "months", CN).last_day == date(2026, 10, 1)


def test_roll_forward_is_ignored_for_other_units() -> None:
    start = at(2026, 9, 30, 16)
    for unit in ("working_days", "hours", "working_hours", "minutes"):
        assert compute_due(start, 3, unit, CN, roll_forward=True) == compute_due(start, 3, unit, CN)


# ------------------------------------------------------------------------ same_day
def test_same_day_variants() -> None:
    # Without the flag, hours do not matter (the amount is ignored too).
    assert compute_due(at(2026, 4, 4, 10), 5, "same_day", CN).at == end(2026, 4, 4)
    # Non-working day with the flag: next working day's close.
    due = compute_due(at(2026, 4, 4, 10), 0, "same_day", CN, after_hours_next_day=True)
    assert due.at == end(2026, 4, 7)
    # No closing time: "after hours" means after the last working interval (17:30 by default).
    assert compute_due(at(2026, 4, 3, 17, 29), 0, "same_day", CN, after_hours_next_day=True).at == end(
        2026, 4, 3
    )
    assert compute_due(at(2026, 4, 3, 17, 30), 0, "same_day", CN, after_hours_next_day=True).at == end(
        2026, 4, 7
    )


# ------------------------------------------------------------------- working hours
def test_working_hours_compute() -> None:
    due = compute_due(at(2026, 4, 30, 16), 2, "working_hours", SEED_HOURS)
    assert due.at == at(2026, 5, 6, 9, 30)  # 1 h on Thu, then May 1–5 off
    assert not due.provisional
    assert compute_due(at(2026, 5, 8, 12), 1, "working_hours", SEED_HOURS).at == at(2026, 5, 8, 15, 30)


# --------------------------------------------------------------------- provisional
def test_provisional_only_when_relying_on_provisional_days() -> None:
    start = at(2026, 12, 20, 9)
    assert not compute_due(start, 20, "calendar_days", CN).provisional  # pure arithmetic
    assert compute_due(start, 20, "calendar_days", CN, roll_forward=True).provisional
    assert compute_due(start, 20, "working_days", CN).provisional
    assert compute_due(start, 100, "working_hours", CN).provisional
    assert not compute_due(start, 100, "hours", CN).provisional
    assert not compute_due(at(2026, 12, 31, 9), 0, "working_days", CN).provisional


# --------------------------------------------------------------------------- shift
def test_shift_backwards_and_forwards() -> None:
    due = end(2026, 10, 8)  # end of Thursday Oct 8
    assert shift(due, 1, "working_days", CN).at == end(2026, 9, 30)
    assert shift(due, 1, "working_days", CN).last_day == date(2026, 9, 30)
    assert shift(due, 2, "calendar_days", CN).at == end(2026, 10, 6)
    assert shift(due, 3, "hours", CN).at == at(2026, 10, 8, 21)
    assert shift(at(2026, 10, 8, 9), 1, "working_days", CN, direction=1).at == at(2026, 10, 9, 9)
    assert shift(at(2026, 10, 8, 9), 1, "working_days", CN, direction=1).last_day is None
    assert shift(at(2026, 3, 31, 9), 1, "months", CN).at == at(2026, 2, 28, 9)
    assert shift(at(2026, 5, 7, 10), 4, "working_hours", SEED_HOURS, direction=1).at == end(2026, 5, 7) - (
        timedelta(hours=7)
    )
    assert shift(at(2026, 3, 9, 17, 30), 1, "working_days", CLOSING).last_day == date(2026, 3, 6)


# ------------------------------------------------------------------------- extend
def test_extend_due() -> None:
    due = compute_due(at(2026, 9, 18, 9), 7, "working_days", CN)
    assert extend_due(due, 3, "working_days", CN).at == end(2026, 10, 9)
    assert extend_due(due.at, 2, "calendar_days", CN).at == end(2026, 10, 1)
    assert extend_due(due.at, 2, "calendar_days", CN, roll_forward=True).at == end(2026, 10, 8)
    assert extend_due(at(2026, 3, 2, 9), 2, "hours", CN).at == at(2026, 3, 2, 11)
    provisional = compute_due(at(2026, 12, 16, 9), 15, "working_days", CN)
    assert extend_due(provisional, 1, "hours", CN).provisional


# ------------------------------------------------------------------------- pauses
def test_resume_wall_units() -> None:
    due = at(2026, 3, 2, 12)
    paused, resumed = at(2026, 3, 2, 10), at(2026, 3, 2, 11, 30)
    assert resume_due(due, paused, resumed, "hours", CN).at == at(2026, 3, 2, 13, 30)
    assert resume_due(due, paused, resumed, "minutes", CN, mode="restart").at == at(2026, 3, 2, 13, 30)


def test_resume_working_hours_adds_back_paused_working_time() -> None:
    due = compute_due(at(2026, 5, 8, 9), 4, "working_hours", SEED_HOURS)
    assert due.at == at(2026, 5, 8, 16)
    paused, resumed = at(2026, 5, 8, 10), at(2026, 5, 9, 9)
    new = resume_due(due, paused, resumed, "working_hours", SEED_HOURS)
    # Paused working time: 1.5 h + 2.5 h on Fri, 0.5 h on make-up Sat = 4.5 h, added after Fri 16:00.
    assert new.at == at(2026, 5, 9, 15)
    assert SEED_HOURS.working_time_between(due.at, new.at) == timedelta(hours=4, minutes=30)
    # restart: 3 h were left at the pause, counted from Sat 09:00 → the same instant.
    assert resume_due(due, paused, resumed, "working_hours", SEED_HOURS, mode="restart").at == new.at
    capped = resume_due(due, paused, resumed, "working_hours", SEED_HOURS, mode="restart", amount=1)
    assert capped.at == at(2026, 5, 9, 10)


def test_resume_working_days_both_modes() -> None:
    due = compute_due(at(2026, 9, 18, 9), 7, "working_days", CN)  # ends 09-29
    paused, resumed = at(2026, 9, 21, 10), at(2026, 9, 23, 15)  # Mon → Wed
    # continue: 2 working days paused (Tue, Wed) → two working days after 09-29.
    assert resume_due(due, paused, resumed, "working_days", CN).at == end(2026, 10, 8)
    # restart: the unfinished Mon is given back: 21–24, 28, 29 = 6 left, counted from Thu 09-24.
    restarted = resume_due(due, paused, resumed, "working_days", CN, mode="restart")
    assert restarted.at == end(2026, 10, 9)
    assert resume_due(due, paused, resumed, "working_days", CN, mode="restart", amount=3).at == end(
        2026, 9, 29
    )


def test_restart_pause_on_the_uncounted_start_day_needs_the_amount_cap() -> None:
    due = compute_due(at(2026, 3, 2, 9), 7, "calendar_days", CN)
    paused, resumed = at(2026, 3, 2, 11), at(2026, 3, 4, 9)
    capped = resume_due(due, paused, resumed, "calendar_days", CN, mode="restart", amount=7)
    assert capped.at == end(2026, 3, 11)
    months = compute_due(at(2026, 1, 31, 9), 1, "months", CN)
    paused, resumed = at(2026, 1, 31, 10), at(2026, 2, 2, 9)
    capped = resume_due(months, paused, resumed, "months", CN, mode="restart", amount=1)
    assert capped.last_day == date(2026, 3, 2)  # nothing used: the full month again


def test_resume_reapplies_roll_forward_from_the_nominal_day() -> None:
    due = compute_due(at(2026, 8, 3, 9), 60, "calendar_days", CN, roll_forward=True)  # nominal 10-02
    new = resume_due(due, at(2026, 8, 4, 9), at(2026, 8, 5, 9), "calendar_days", CN, roll_forward=True)
    assert (new.nominal_day, new.last_day) == (date(2026, 10, 3), date(2026, 10, 8))


def test_pause_after_due_changes_nothing() -> None:
    due = compute_due(at(2026, 3, 2, 9), 1, "calendar_days", CN)
    assert resume_due(due, at(2026, 3, 5), at(2026, 3, 9), "calendar_days", CN) == due


# ----------------------------------------------------------------------- remaining
def test_remaining_for_display() -> None:
    due = compute_due(at(2026, 9, 30, 16), 15, "working_days", CN)
    left = remaining(at(2026, 10, 20, 9), due, "working_days", CN)
    assert left == Remaining(False, due.at - at(2026, 10, 20, 9), 5, "working_days")
    assert remaining(at(2026, 10, 27, 20), due, "working_days", CN).amount == 0
    late = remaining(at(2026, 10, 29, 9), due.at, "working_days", CN)
    assert late.overdue and late.amount == -2
    assert remaining(at(2026, 3, 2, 9), at(2026, 3, 2, 10, 30), "minutes", CN).amount == 90
    assert remaining(at(2026, 3, 2, 10, 31), at(2026, 3, 2, 10, 30), "hours", CN).amount == -1
    wh = remaining(at(2026, 5, 8, 11), at(2026, 5, 8, 15), "working_hours", SEED_HOURS)
    assert (wh.amount, wh.measure) == (60, "working_minutes")
    cd = remaining(at(2026, 3, 2, 9), compute_due(at(2026, 3, 2, 9), 7, "calendar_days", CN), "weeks", CN)
    assert (cd.amount, cd.measure) == (7, "calendar_days")


# --------------------------------------------------------------------- wire format
def test_due_is_serialisable() -> None:
    due = compute_due(at(2026, 8, 3, 9), 60, "calendar_days", CN, roll_forward=True)
    assert msgspec.json.decode(msgspec.json.encode(due), type=Due) == due
    assert msgspec.json.decode(
        msgspec.json.encode(remaining(at(2026, 8, 3), due, "weeks", CN)), type=Remaining
    )


def test_every_unit_is_supported() -> None:
    for unit in UNITS:
        assert compute_due(at(2026, 3, 2, 9), 2, unit, CN).at.tzinfo == TZ
