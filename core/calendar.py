"""A tenant's business calendar: which days are worked, and at which hours.

The calendar is an immutable value so it can be cached, hashed, shared between
requests and stored verbatim in a JSON column (``to_dict`` / ``from_dict``).
Deciding whether a day is worked follows a fixed precedence, most specific first:

1. the tenant's own closures (e.g. office move) — never worked;
2. the tenant's extra workdays — always worked;
3. the year's schedule: a schedule the tenant imported, else the project's day
   table (``core/calendar_data``), else the ``holidays`` library's estimate —
   listed make-up workdays are worked, listed holidays are not;
4. otherwise the country's weekend rule.

Each year carries a status (official / imported / provisional) so deadlines that
rely on an estimated year can be flagged instead of silently presented as final.
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property, lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from core.calendar_data import table_or_library_year, weekend_days
from core.calendar_data.config import SETTING_KEYS, normalise_settings
from core.calendar_data.schedule import (
    CalendarError,
    CalendarImportError,
    YearSchedule,
    YearStatus,
    _Problems,
    parse_date_list,
    parse_year_schedule,
)

__all__ = [
    "DEFAULT_WORKING_HOURS",
    "BusinessCalendar",
    "CalendarError",
    "CalendarImportError",
    "YearSchedule",
    "YearStatus",
    "add_months",
    "dates",
    "parse_year_schedule",
    "require_aware",
]

DEFAULT_WORKING_HOURS: tuple[tuple[time, time], ...] = (
    (time(8, 30), time(12, 0)),
    (time(13, 30), time(17, 30)),
)
"""08:30–12:00 and 13:30–17:30: the common Chinese public-office day (7.5 h with a lunch break)."""

MAX_EMPTY_RUN_DAYS = 731
"""Searching for a working day/hour gives up after this many consecutive days without one.

A mis-configured calendar (every day closed, no working hours) must fail loudly
instead of looping forever inside a request.
"""


@lru_cache(maxsize=64)
def _zone(key: str) -> ZoneInfo:
    return ZoneInfo(key)


def _utc(at: datetime) -> datetime:
    """Arithmetic happens in UTC: Python ignores offset changes between two datetimes
    sharing one tzinfo, which would make durations wrong across DST switches."""
    return at.astimezone(UTC)


@dataclass(frozen=True)
class BusinessCalendar:
    """Working days and hours of one tenant; see the module docstring for precedence.

    ``working_hours`` apply to every working day (make-up Saturdays included) and
    are half-open local intervals ``[start, end)``; a lunch break is simply the gap
    between two intervals. ``closing_time`` (None = 24:00) is when *day*-based
    deadlines end (民法典 Art. 203: where there are business hours, the period ends
    when business stops). The constructor also accepts the JSON forms
    (``"08:30"``, ``"2026-10-09"``, schedule dicts) and normalises them.
    """

    country: str = "CN"
    timezone: str = "Asia/Shanghai"
    working_hours: tuple[tuple[time, time], ...] = DEFAULT_WORKING_HOURS
    closing_time: time | None = None
    closures: frozenset[date] = field(default_factory=frozenset)
    extra_workdays: frozenset[date] = field(default_factory=frozenset)
    schedules: tuple[YearSchedule, ...] = ()

    def __post_init__(self) -> None:
        problems = _Problems()
        values = normalise_settings({k: getattr(self, k) for k in SETTING_KEYS}, problems)
        if problems.items:
            raise CalendarError(problems.items)
        for name, value in values.items():
            object.__setattr__(self, name, value)

    # ----------------------------------------------------------------- serialisation
    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form for storage; ``from_dict(to_dict())`` round-trips exactly."""
        return {
            "country": self.country,
            "timezone": self.timezone,
            "working_hours": [[s.strftime("%H:%M"), e.strftime("%H:%M")] for s, e in self.working_hours],
            "closing_time": self.closing_time.strftime("%H:%M") if self.closing_time else None,
            "closures": [d.isoformat() for d in sorted(self.closures)],
            "extra_workdays": [d.isoformat() for d in sorted(self.extra_workdays)],
            "schedules": [s.to_dict() for s in self.schedules],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> BusinessCalendar:
        """Build from stored/submitted JSON; missing keys take defaults, unknown keys are errors.

        Raises ``CalendarError`` whose ``problems`` name every bad field.
        """
        if not isinstance(data, Mapping):
            raise CalendarError([{"field": "", "message": "calendar settings must be an object"}])
        unknown = sorted(str(k) for k in data if k not in SETTING_KEYS)
        if unknown:
            raise CalendarError([{"field": k, "message": "unknown field"} for k in unknown])
        return cls(**{k: data[k] for k in SETTING_KEYS if k in data})

    def with_year(self, schedule: YearSchedule | Mapping[str, Any]) -> BusinessCalendar:
        """A copy with ``schedule`` imported (replacing any earlier import for that year).

        Accepts a parsed ``YearSchedule`` or the raw import dict (validated here).
        The year's status becomes ``imported``, so it is no longer provisional.
        """
        parsed = schedule if isinstance(schedule, YearSchedule) else parse_year_schedule(schedule)
        parsed = replace(parsed, status="imported")
        kept = tuple(s for s in self.schedules if s.year != parsed.year)
        return replace(self, schedules=(*kept, parsed))

    def without_year(self, year: int) -> BusinessCalendar:
        """A copy with the tenant's import for ``year`` removed (back to table/estimate)."""
        return replace(self, schedules=tuple(s for s in self.schedules if s.year != year))

    # ------------------------------------------------------------------ day status
    @property
    def tz(self) -> ZoneInfo:
        """The tenant's time zone; every datetime this module returns is in it."""
        return _zone(self.timezone)

    @cached_property
    def _imported(self) -> dict[int, YearSchedule]:
        return {s.year: s for s in self.schedules}

    @cached_property
    def _weekend(self) -> frozenset[int]:
        return weekend_days(self.country)

    def schedule_for(self, year: int) -> YearSchedule:
        """The schedule in force for ``year``: tenant import, else day table, else estimate."""
        return self._imported.get(year) or table_or_library_year(self.country, year)

    def year_status(self, year: int) -> YearStatus:
        """``official`` | ``imported`` | ``provisional`` for ``year`` (see ``YearStatus``)."""
        return self.schedule_for(year).status

    def is_provisional(self, day: date) -> bool:
        """True when ``day`` lies in a year whose days are only estimated."""
        return self.year_status(day.year) == "provisional"

    def any_provisional(self, first: date, last: date) -> bool:
        """True when any day between ``first`` and ``last`` (either order) is provisional."""
        lo, hi = sorted((first.year, last.year))
        return any(self.year_status(y) == "provisional" for y in range(lo, hi + 1))

    def is_working_day(self, day: date) -> bool:
        """Whether ``day`` is worked (make-up weekend days yes, holidays no)."""
        if day in self.closures:
            return False
        if day in self.extra_workdays:
            return True
        schedule = self.schedule_for(day.year)
        if day in schedule.workdays:
            return True
        if day in schedule.holidays:
            return False
        return day.weekday() not in self._weekend

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after ``day``."""
        return self.add_working_days(day, 1)

    def previous_working_day(self, day: date) -> date:
        """The last working day strictly before ``day``."""
        return self.add_working_days(day, -1)

    def working_day_on_or_after(self, day: date) -> date:
        """``day`` itself if worked, else the next working day (statutory roll-forward)."""
        return day if self.is_working_day(day) else self.next_working_day(day)

    def add_working_days(self, day: date, count: int) -> date:
        """The ``count``-th working day after ``day`` (before it when negative); ``day`` is not counted.

        ``count == 0`` returns ``day`` unchanged, whatever its status.
        """
        step = timedelta(days=1 if count >= 0 else -1)
        left, empty_run = abs(count), 0
        while left:
            day += step
            if self.is_working_day(day):
                left -= 1
                empty_run = 0
            else:
                empty_run += 1
                if empty_run > MAX_EMPTY_RUN_DAYS:
                    raise ValueError(f"calendar has no working day within {MAX_EMPTY_RUN_DAYS} days of {day}")
        return day

    def working_days_between(self, first: date, last: date) -> int:
        """Number of working days in ``(first, last]``; negative when ``last < first``."""
        if last < first:
            return -self.working_days_between(last, first)
        return sum(1 for d in _days(first + timedelta(days=1), last) if self.is_working_day(d))

    # ---------------------------------------------------------------- time of day
    def end_of_day(self, day: date) -> datetime:
        """When a day-based deadline whose last day is ``day`` ends.

        Without ``closing_time`` that is 24:00 of ``day``, represented as 00:00 of
        the following day (the first instant at which the deadline has passed).
        """
        if self.closing_time is not None:
            return datetime.combine(day, self.closing_time, self.tz)
        return datetime.combine(day + timedelta(days=1), time(0), self.tz)

    def close_of_business(self, day: date) -> datetime | None:
        """End of the last working interval of ``day`` (None on non-working days / no hours)."""
        intervals = self.working_intervals(day)
        return intervals[-1][1] if intervals else None

    def working_intervals(self, day: date) -> list[tuple[datetime, datetime]]:
        """The aware ``[start, end)`` working intervals of ``day``; empty on non-working days."""
        if not self.is_working_day(day):
            return []
        tz = self.tz
        return [(datetime.combine(day, s, tz), datetime.combine(day, e, tz)) for s, e in self.working_hours]

    def _intervals(self, at: datetime, forward: bool) -> Iterator[tuple[datetime, datetime]]:
        """Working intervals clipped to start at ``at`` (forward) or end at it (backward)."""
        at = _utc(at)
        day = at.astimezone(self.tz).date()
        step = timedelta(days=1 if forward else -1)
        empty_run = 0
        while True:
            intervals = [(_utc(s), _utc(e)) for s, e in self.working_intervals(day)]
            found = False
            for s, e in intervals if forward else reversed(intervals):
                lo, hi = (max(s, at), e) if forward else (s, min(e, at))
                if lo < hi:
                    found = True
                    yield lo, hi
            empty_run = 0 if found else empty_run + 1
            if empty_run > MAX_EMPTY_RUN_DAYS:
                raise ValueError(f"calendar has no working hours within {MAX_EMPTY_RUN_DAYS} days of {day}")
            day += step

    def add_working_time(self, at: datetime, amount: timedelta) -> datetime:
        """The earliest instant at which ``amount`` of working time has elapsed since ``at``.

        A negative ``amount`` walks backwards ("4 working hours before due"). Zero
        returns ``at`` itself (converted to the calendar's zone).
        """
        require_aware(at, "at")
        if not amount:
            return at.astimezone(self.tz)
        forward = amount > timedelta(0)
        left = abs(amount)
        for lo, hi in self._intervals(at, forward):
            span = hi - lo
            if left <= span:
                result = lo + left if forward else hi - left
                return result.astimezone(self.tz)
            left -= span
        raise AssertionError("unreachable: _intervals never ends")  # pragma: no cover

    def working_time_between(self, start: datetime, end: datetime) -> timedelta:
        """Working time inside ``[start, end)``; negative when ``end < start``."""
        require_aware(start, "start")
        require_aware(end, "end")
        if end < start:
            return -self.working_time_between(end, start)
        total = timedelta(0)
        s_utc, e_utc = _utc(start), _utc(end)
        for day in _days(start.astimezone(self.tz).date(), end.astimezone(self.tz).date()):
            for s, e in self.working_intervals(day):
                lo, hi = max(_utc(s), s_utc), min(_utc(e), e_utc)
                if lo < hi:
                    total += hi - lo
        return total


def _days(first: date, last: date) -> Iterator[date]:
    """Every date from ``first`` to ``last`` inclusive."""
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def require_aware(at: object, name: str) -> None:
    """Reject anything but an aware datetime: a naive one would be read in the server's zone."""
    if not isinstance(at, datetime):
        raise ValueError(f"{name} must be a datetime, got {type(at).__name__}")
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got naive {at.isoformat()}")


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months`` calendar months, clamped to month end (民法典 Art. 202)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def dates(values: Iterable[str]) -> frozenset[date]:
    """Convenience for callers building calendars in code: ``dates(["2026-10-09"])``."""
    problems = _Problems()
    parsed = parse_date_list(list(values), "dates", problems)
    if problems.items:
        raise CalendarError(problems.items)
    return frozenset(d for _, d in parsed)
