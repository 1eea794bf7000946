"""Normalising and validating calendar settings (the ``BusinessCalendar`` constructor input).

Settings arrive either as Python values (code) or as JSON (a DB column, an admin
form). Both go through here so they end up in one canonical form and a bad
setting is reported with the field it came from, all problems at once.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import replace
from datetime import time
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from core.calendar_data import supported_country
from core.calendar_data.schedule import (
    YearSchedule,
    _collect_year_schedule,
    _Problems,
    parse_date_list,
    parse_hh_mm,
)

SETTING_KEYS: tuple[str, ...] = (
    "country",
    "timezone",
    "working_hours",
    "closing_time",
    "closures",
    "extra_workdays",
    "schedules",
)
"""The keys a stored calendar may contain (``BusinessCalendar`` field names)."""


def normalise_settings(values: Mapping[str, Any], problems: _Problems) -> dict[str, Any]:
    """Coerce every setting in ``values`` to its canonical type, recording problems."""
    out: dict[str, Any] = {}
    raw_country = values["country"]
    country = raw_country.upper() if isinstance(raw_country, str) else ""
    if not country or not supported_country(country):
        problems.add("country", f"unsupported country code: {raw_country!r}")
    out["country"] = country

    timezone = values["timezone"]
    try:
        if not isinstance(timezone, str) or not timezone:
            raise ValueError
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        problems.add("timezone", f"unknown time zone: {timezone!r}")
    out["working_hours"] = _normalise_hours(values["working_hours"], problems)

    closing = None
    if values["closing_time"] is not None:
        closing = parse_hh_mm(values["closing_time"])
        if closing is None:
            problems.add("closing_time", "must be HH:MM or null (= 24:00)")
        elif closing == time(0):
            problems.add("closing_time", "00:00 would end deadlines as the day starts; use null for 24:00")
    out["closing_time"] = closing

    closures = {d for _, d in parse_date_list(_as_list(values["closures"]), "closures", problems)}
    extra = {d for _, d in parse_date_list(_as_list(values["extra_workdays"]), "extra_workdays", problems)}
    for d in sorted(closures & extra):
        problems.add("extra_workdays", f"{d.isoformat()} is also listed as a closure")
    out["closures"], out["extra_workdays"] = frozenset(closures), frozenset(extra)
    out["schedules"] = _normalise_schedules(values["schedules"], problems)
    return out


def _as_list(value: object) -> object:
    return sorted(value) if isinstance(value, set | frozenset) else value


def _normalise_hours(value: object, problems: _Problems) -> tuple[tuple[time, time], ...]:
    if not isinstance(value, list | tuple):
        problems.add("working_hours", 'must be a list of ["HH:MM", "HH:MM"] intervals')
        return ()
    hours: list[tuple[time, time]] = []
    for i, pair in enumerate(value):
        if not isinstance(pair, list | tuple) or len(pair) != 2:
            problems.add(f"working_hours[{i}]", 'must be a ["HH:MM", "HH:MM"] pair')
            continue
        start, end = parse_hh_mm(pair[0]), parse_hh_mm(pair[1])
        if start is None or end is None:
            problems.add(f"working_hours[{i}]", f"times must be HH:MM, got {list(pair)!r}")
        elif start >= end:
            problems.add(f"working_hours[{i}]", "start must be before end (intervals cannot cross midnight)")
        else:
            hours.append((start, end))
    hours.sort()
    for (_, prev_end), (start, _) in itertools.pairwise(hours):
        if start < prev_end:
            problems.add("working_hours", f"intervals overlap at {start.strftime('%H:%M')}")
    return tuple(hours)


def _normalise_schedules(value: object, problems: _Problems) -> tuple[YearSchedule, ...]:
    if not isinstance(value, list | tuple):
        problems.add("schedules", "must be a list of year schedules")
        return ()
    found: dict[int, YearSchedule] = {}
    for i, item in enumerate(value):
        if isinstance(item, YearSchedule):
            schedule: YearSchedule | None = replace(item, status="imported")
        else:
            sub = _Problems()
            schedule = _collect_year_schedule(item, sub)
            problems.extend(f"schedules[{i}]", sub.items)
            if sub.items:
                schedule = None
        if schedule is None:
            continue
        if schedule.year in found:
            problems.add(f"schedules[{i}].year", f"{schedule.year} is imported twice")
        found[schedule.year] = schedule
    return tuple(found[y] for y in sorted(found))
