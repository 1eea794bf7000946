"""The pure deadline engine: when is something due, given a tenant's business calendar.

No database, no clock, no I/O: every function takes the instants it needs and a
``BusinessCalendar`` and returns values, so plugin authors can call it freely and
tests can pin every rule. The rules (民法典 Art. 200–204 where they apply):

* **Units.** ``minutes`` and ``hours`` are wall-clock (elapsed real time; holidays
  and working hours are irrelevant). ``working_hours`` count only time inside the
  calendar's working intervals. ``calendar_days``, ``working_days``, ``weeks``,
  ``months`` and ``same_day`` are *day* units.
* **The start day is not counted** for day units (Art. 201): 3 days from Monday
  end with Thursday. ``working_days`` counts only working days — make-up
  Saturdays/Sundays count, holidays and ordinary weekends do not.
* **Months** (Art. 202): the period ends on the same date N months later, or on
  that month's last day when the date does not exist (Jan 31 + 1 month = Feb 28).
  ``weeks`` are 7 calendar days each.
* **End of a day deadline.** A day deadline ends at the end of its last day:
  24:00 local, represented as **00:00 of the following day** — the first instant
  at which the deadline has passed (overdue ⇔ ``now >= due.at``). ``Due.last_day``
  keeps the day itself for display ("2026-10-27 24:00"). When the calendar sets a
  ``closing_time`` the deadline ends at that time on the last day instead (Art. 203:
  business stops).
* **Roll forward** (``roll_forward=True``, use it for statutory periods, Art. 203):
  for ``calendar_days``/``weeks``/``months`` a last day that is not a working day
  moves to the next working day. ``working_days`` always end on a working day;
  the flag is ignored for the other units.
* **same_day** ends at today's close (24:00 or ``closing_time``). With
  ``after_hours_next_day``, something received on a non-working day or at/after
  close of business (``closing_time``, else the end of the last working interval)
  is due at the close of the next working day. The amount is ignored for it.
* **Provisional.** ``Due.provisional`` is true when any day the computation relied
  on (the days counted, skipped or rolled over) lies in a provisional year.
  Pure arithmetic (wall units, calendar days without roll-forward) relies on no
  day status and is never provisional.
* **Bad input** — negative or non-integer amount, unknown unit, naive datetime —
  raises ``ValueError`` with a message naming the problem.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Literal, get_args

import msgspec

from core.calendar import BusinessCalendar, add_months, require_aware

__all__ = [
    "DAY_UNITS",
    "UNITS",
    "WALL_UNITS",
    "Due",
    "PauseMode",
    "Remaining",
    "Unit",
    "add_months",
    "compute_due",
    "extend_due",
    "remaining",
    "resume_due",
    "shift",
]

Unit = Literal["minutes", "hours", "working_hours", "calendar_days", "working_days", "same_day", "weeks", "months"]
UNITS: tuple[str, ...] = get_args(Unit)
WALL_UNITS = frozenset({"minutes", "hours"})
DAY_UNITS = frozenset({"calendar_days", "working_days", "same_day", "weeks", "months"})

PauseMode = Literal["continue", "restart"]
"""How a paused clock resumes (see ``resume_due``)."""


class Due(msgspec.Struct, frozen=True):
    """A computed deadline.

    ``at`` is aware, in the calendar's zone; overdue means ``now >= at``. For day
    units ``last_day`` is the day whose end ``at`` is (so 00:00 of Oct 28 shows as
    "Oct 27 24:00") and ``nominal_day`` the last day before roll-forward, which
    extensions count from. Both are None for time units.
    """

    at: datetime
    provisional: bool = False
    last_day: date | None = None
    nominal_day: date | None = None


class Remaining(msgspec.Struct, frozen=True):
    """What is left until a deadline, for display.

    ``amount`` is in ``measure`` units — ``minutes``, ``working_minutes``,
    ``calendar_days`` or ``working_days`` (whole days *after* today up to the last
    day; 0 = due today) — and negative once overdue. ``wall`` is ``at - now``.
    """

    overdue: bool
    wall: timedelta
    amount: int
    measure: str


# --------------------------------------------------------------------------- public API
def compute_due(
    start: datetime,
    amount: int,
    unit: str,
    calendar: BusinessCalendar,
    *,
    roll_forward: bool = False,
    after_hours_next_day: bool = False,
) -> Due:
    """When a period of ``amount`` ``unit`` starting at ``start`` ends (rules: module docstring).

    ``amount == 0`` for a day unit means the end of the start day itself.
    """
    require_aware(start, "start")
    _check_unit(unit)
    _check_amount(amount)
    local = start.astimezone(calendar.tz)
    if unit in WALL_UNITS:
        return Due(_wall_add(local, _wall_delta(amount, unit), calendar))
    if unit == "working_hours":
        at = calendar.add_working_time(local, timedelta(hours=amount))
        return Due(at, calendar.any_provisional(local.date(), at.date()))
    if unit == "same_day":
        return _same_day(local, calendar, after_hours_next_day)
    if unit == "working_days":
        return _working_days_from(local.date(), amount, calendar)
    return _close(_date_add(local.date(), amount, unit), calendar, roll_forward)


def extend_due(
    due: Due | datetime, amount: int, unit: str, calendar: BusinessCalendar, *, roll_forward: bool = False
) -> Due:
    """Extend a deadline by ``amount`` ``unit`` (延期).

    Day extensions count from the original **nominal** last day (before any
    roll-forward), then roll forward again if asked: a 60-day period nominally
    ending on a holiday and rolled to Oct 8, extended by 30 days, counts the 30
    from the holiday, not from Oct 8 — the extension lengthens the period itself,
    it does not stack on the holiday bonus. ``working_days`` count on from the last
    day; time units add to ``at``.
    """
    base = due if isinstance(due, Due) else Due(due)
    require_aware(base.at, "due")
    _check_unit(unit)
    _check_amount(amount)
    if unit == "same_day":
        raise ValueError("same_day deadlines cannot be extended; use calendar_days or working_days")
    local = base.at.astimezone(calendar.tz)
    if unit in WALL_UNITS or unit == "working_hours":
        moved = shift(local, amount, unit, calendar, direction=1)
        return Due(moved.at, base.provisional or moved.provisional)
    last = base.last_day or _split(local, calendar)[0]
    if unit == "working_days":
        new = _working_days_from(last, amount, calendar)
    else:
        new = _close(_date_add(base.nominal_day or last, amount, unit), calendar, roll_forward)
    return Due(new.at, base.provisional or new.provisional, new.last_day, new.nominal_day)


def shift(at: datetime, amount: int, unit: str, calendar: BusinessCalendar, direction: int = -1) -> Due:
    """Move an instant ``amount`` ``unit`` back (``direction=-1``, "4 working hours before due")
    or forward (``+1``).

    Wall units move elapsed time; ``working_hours`` walk working intervals (from
    the end of Thursday, 4 working hours back with 08:30–11:30/14:30–17:00 is
    Thursday 10:00). Day units keep the time of day and move the day: calendar
    days/weeks/months by the calendar, ``working_days`` to the N-th working day
    before/after. An end-of-day instant (00:00, i.e. 24:00 of the previous day) is
    treated as belonging to the previous day, so "1 working day before the end of
    Thursday" is the end of Wednesday.
    """
    require_aware(at, "at")
    _check_unit(unit)
    _check_amount(amount)
    if direction not in (1, -1):
        raise ValueError(f"direction must be 1 or -1, got {direction!r}")
    if unit == "same_day":
        raise ValueError("same_day is not a shift amount; use working_days or calendar_days")
    local = at.astimezone(calendar.tz)
    if unit in WALL_UNITS:
        return Due(_wall_add(local, direction * _wall_delta(amount, unit), calendar))
    if unit == "working_hours":
        moved = calendar.add_working_time(local, direction * timedelta(hours=amount))
        return Due(moved, calendar.any_provisional(local.date(), moved.date()))
    day, offset, end_of_day = _split(local, calendar)
    if unit == "working_days":
        new_day = calendar.add_working_days(day, direction * amount)
        provisional = amount > 0 and calendar.any_provisional(day, new_day)
    else:
        new_day, provisional = _date_add(day, direction * amount, unit), False
    moved_at = datetime.combine(new_day, time(0), calendar.tz) + offset
    marker = new_day if end_of_day else None
    return Due(moved_at, provisional, marker, marker)


def resume_due(
    due: Due | datetime,
    paused_at: datetime,
    resumed_at: datetime,
    unit: str,
    calendar: BusinessCalendar,
    *,
    mode: PauseMode = "continue",
    amount: int | None = None,
    roll_forward: bool = False,
) -> Due:
    """The deadline of a clock paused at ``paused_at`` and resumed at ``resumed_at``.

    ``mode="continue"`` (中止后继续计算): time already used stays used and the pause
    is added back — wall time for ``minutes``/``hours``, working time inside the
    pause for ``working_hours``, and for day units the days from the pause day to
    the resume day (the day of pausing counts as used, the resume day as paused;
    for ``working_days`` only working days in that span). Registered Mon with 7
    days (due Mon+7 24:00), paused Tue, resumed Fri: 6 days were left, counted from
    Saturday, so the new due is 3 days later.

    ``mode="restart"``: the *remaining* amount at the pause is counted afresh from
    ``resumed_at`` under ``compute_due`` rules (the resume day is not counted). A
    partly used unit is given back: for day units the pause day was not completed,
    so remaining = the counted days from the pause day through the last day (7 in
    the example above, giving Fri+7); weeks/months remain as days. Pass the clock's
    original ``amount`` to cap the remainder (needed when pausing on the uncounted
    start day); when the cap binds nothing was used and the whole period runs again
    in its own unit. To restart the *full* period regardless of use (期限重新计算)
    call ``compute_due(resumed_at, amount, ...)``.

    A clock already overdue when paused stays as it was (a pause does not revive
    it). Day units re-apply ``roll_forward`` to the new nominal last day.
    """
    base = due if isinstance(due, Due) else Due(due)
    for value, name in ((base.at, "due"), (paused_at, "paused_at"), (resumed_at, "resumed_at")):
        require_aware(value, name)
    _check_unit(unit)
    if amount is not None:
        _check_amount(amount)
    if mode not in ("continue", "restart"):
        raise ValueError(f"mode must be 'continue' or 'restart', got {mode!r}")
    if resumed_at < paused_at:
        raise ValueError("resumed_at is before paused_at")
    tz = calendar.tz
    due_at, paused, resumed = (v.astimezone(tz) for v in (base.at, paused_at, resumed_at))
    if paused >= due_at:
        return Due(due_at, base.provisional, base.last_day, base.nominal_day)
    if unit in WALL_UNITS:
        if mode == "continue":
            return Due(_wall_add(due_at, _utc(resumed) - _utc(paused), calendar))
        left = _cap(_utc(due_at) - _utc(paused), amount, unit)
        return Due(_wall_add(resumed, left, calendar))
    if unit == "working_hours":
        if mode == "continue":
            new_at = calendar.add_working_time(due_at, calendar.working_time_between(paused, resumed))
        else:
            left = _cap(calendar.working_time_between(paused, due_at), amount, unit)
            new_at = calendar.add_working_time(resumed, left)
        provisional = base.provisional or calendar.any_provisional(paused.date(), new_at.date())
        return Due(new_at, provisional)
    return _resume_days(base, paused.date(), resumed.date(), unit, calendar, mode, amount, roll_forward)


def remaining(now: datetime, due: Due | datetime, unit: str, calendar: BusinessCalendar) -> Remaining:
    """What is left (or how far overdue) at ``now`` for a deadline counted in ``unit``."""
    base = due if isinstance(due, Due) else Due(due)
    require_aware(now, "now")
    require_aware(base.at, "due")
    _check_unit(unit)
    tz = calendar.tz
    local_now, due_at = now.astimezone(tz), base.at.astimezone(tz)
    wall = _utc(due_at) - _utc(local_now)
    overdue = local_now >= due_at
    if unit in WALL_UNITS:
        return Remaining(overdue, wall, _whole_minutes(wall), "minutes")
    if unit == "working_hours":
        worked = calendar.working_time_between(local_now, due_at)
        return Remaining(overdue, wall, _whole_minutes(worked), "working_minutes")
    last = base.last_day or _split(due_at, calendar)[0]
    today = local_now.date()
    if unit == "working_days":
        return Remaining(overdue, wall, calendar.working_days_between(today, last), "working_days")
    return Remaining(overdue, wall, (last - today).days, "calendar_days")


# ------------------------------------------------------------------------------ helpers
def _same_day(local: datetime, calendar: BusinessCalendar, after_hours_next_day: bool) -> Due:
    """Today's close, or the next working day's when received after hours / on a day off."""
    day = local.date()
    if not after_hours_next_day:
        return Due(calendar.end_of_day(day), False, day, day)
    cutoff = (
        datetime.combine(day, calendar.closing_time, calendar.tz)
        if calendar.closing_time is not None
        else calendar.close_of_business(day)
    )
    if not calendar.is_working_day(day) or (cutoff is not None and local >= cutoff):
        last = calendar.next_working_day(day)
        return Due(calendar.end_of_day(last), calendar.any_provisional(day, last), last, last)
    return Due(calendar.end_of_day(day), calendar.is_provisional(day), day, day)


def _working_days_from(day: date, amount: int, calendar: BusinessCalendar) -> Due:
    last = calendar.add_working_days(day, amount)
    provisional = amount > 0 and calendar.any_provisional(day + timedelta(days=1), last)
    return Due(calendar.end_of_day(last), provisional, last, last)


def _close(nominal: date, calendar: BusinessCalendar, roll_forward: bool) -> Due:
    """End of a date-arithmetic period, rolled to a working day when asked."""
    if not roll_forward:
        return Due(calendar.end_of_day(nominal), False, nominal, nominal)
    last = calendar.working_day_on_or_after(nominal)
    return Due(calendar.end_of_day(last), calendar.any_provisional(nominal, last), last, nominal)


def _resume_days(
    base: Due,
    paused_day: date,
    resumed_day: date,
    unit: str,
    calendar: BusinessCalendar,
    mode: PauseMode,
    amount: int | None,
    roll_forward: bool,
) -> Due:
    """``resume_due`` for day units (see its docstring for the two modes)."""
    last = base.last_day or _split(base.at.astimezone(calendar.tz), calendar)[0]
    if unit == "working_days":
        if mode == "continue":
            paused_days = calendar.working_days_between(paused_day, resumed_day)
            new = _working_days_from(last, paused_days, calendar)
        else:
            left = calendar.working_days_between(paused_day - timedelta(days=1), last)
            new = _working_days_from(resumed_day, min(left, amount) if amount is not None else left, calendar)
        provisional = calendar.any_provisional(paused_day, resumed_day)
    else:
        nominal = base.nominal_day or last
        if mode == "continue":
            new_nominal = nominal + (resumed_day - paused_day)
        else:
            # Remaining counted in days; when nothing of the period was used (the cap
            # binds) the whole period runs again in its own unit (months stay months).
            left = (nominal - paused_day).days + 1
            period_unit = "calendar_days" if unit == "same_day" else unit
            before_pause = paused_day - timedelta(days=1)
            if amount is not None and left >= (_date_add(before_pause, amount, period_unit) - before_pause).days:
                new_nominal = _date_add(resumed_day, amount, period_unit)
            else:
                new_nominal = resumed_day + timedelta(days=left)
        new = _close(new_nominal, calendar, roll_forward)
        provisional = False
    return Due(new.at, base.provisional or provisional or new.provisional, new.last_day, new.nominal_day)


def _date_add(day: date, amount: int, unit: str) -> date:
    if unit == "months":
        return add_months(day, amount)
    return day + timedelta(days=amount * (7 if unit == "weeks" else 1))


def _split(local: datetime, calendar: BusinessCalendar) -> tuple[date, timedelta, bool]:
    """(deadline day, offset from that day's midnight, is-end-of-day) of a local instant.

    00:00 is read as 24:00 of the previous day and the calendar's closing time as
    the end of its day, matching how ``compute_due`` represents day deadlines.
    """
    midnight = datetime.combine(local.date(), time(0), local.tzinfo)
    offset = local.replace(tzinfo=None) - midnight.replace(tzinfo=None)
    if offset == timedelta(0):
        return local.date() - timedelta(days=1), timedelta(days=1), True
    return local.date(), offset, local.time() == calendar.closing_time


def _cap(left: timedelta, amount: int | None, unit: str) -> timedelta:
    if amount is None:
        return left
    return min(left, _wall_delta(amount, "hours" if unit == "working_hours" else unit))


def _wall_delta(amount: int, unit: str) -> timedelta:
    return timedelta(minutes=amount) if unit == "minutes" else timedelta(hours=amount)


def _wall_add(local: datetime, delta: timedelta, calendar: BusinessCalendar) -> datetime:
    """Elapsed-time addition (done in UTC so DST switches do not skew it)."""
    return (_utc(local) + delta).astimezone(calendar.tz)


def _utc(at: datetime) -> datetime:
    return at.astimezone(UTC)


def _whole_minutes(delta: timedelta) -> int:
    """Minutes truncated toward zero, so 59 s overdue shows as 0, not -1."""
    return int(delta.total_seconds() / 60)


def _check_unit(unit: object) -> None:
    if unit not in UNITS:
        raise ValueError(f"unknown unit {unit!r}; expected one of {', '.join(UNITS)}")


def _check_amount(amount: object) -> None:
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise ValueError(f"amount must be an integer, got {amount!r}")
    if amount < 0:
        raise ValueError(f"amount must not be negative, got {amount}")
