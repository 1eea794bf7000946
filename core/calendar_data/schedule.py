"""Year schedules (official holiday arrangements) and the validation of imported ones.

A *year schedule* is what the State Council publishes every November for the
following year: which days are off (法定节假日 plus the days moved by 调休) and
which Saturdays/Sundays become make-up workdays (补班). Tenants import it as JSON
when the project's day table does not have it yet, so the validator reports
*every* problem at once, each with a JSON-path-like ``field``, so an admin UI can
highlight the offending entries instead of failing on the first one.

This module has no dependency on ``core.calendar`` so that the day-table loader
and the seed script can use it without an import cycle.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, time
from typing import Any, Literal

YearStatus = Literal["official", "imported", "provisional"]
"""How trustworthy a year's days are.

``official``: from the project's day table, built from a source that carries the
published schedule (chinese-calendar for China). ``imported``: the tenant imported
the published schedule itself. ``provisional``: a best estimate (statutory
holidays the ``holidays`` library can compute, else weekends only); deadlines that
depend on such days are flagged so nobody mistakes them for final.
"""

YEAR_STATUSES: tuple[YearStatus, ...] = ("official", "imported", "provisional")
MIN_YEAR = 1950
MAX_YEAR = 2200
_MAX_SOURCE_LEN = 500
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_HH_MM = re.compile(r"^\d{2}:\d{2}$")
_SCHEDULE_KEYS = frozenset({"year", "holidays", "workdays", "source"})


class CalendarError(ValueError):
    """Invalid calendar configuration; ``problems`` lists every issue found.

    It subclasses ``ValueError`` so generic callers can treat it as bad input,
    while an API layer can turn ``problems`` straight into a 422 body.
    """

    def __init__(self, problems: list[dict[str, str]], what: str = "calendar settings") -> None:
        self.problems = problems
        summary = "; ".join(f"{p['field'] or '<root>'}: {p['message']}" for p in problems[:5])
        more = f" (+{len(problems) - 5} more)" if len(problems) > 5 else ""
        super().__init__(f"invalid {what}: {summary}{more}")


class CalendarImportError(CalendarError):
    """An imported year schedule failed validation (see ``problems``)."""

    def __init__(self, problems: list[dict[str, str]]) -> None:
        super().__init__(problems, what="year schedule")


@dataclass(frozen=True)
class YearSchedule:
    """The days of one year that differ from the plain weekday/weekend rule.

    ``holidays`` are days off (they may include weekend days that belong to a
    holiday block; listing them is harmless), ``workdays`` are weekend days that
    are worked (调休 make-up days). Every other day follows the weekend rule.
    """

    year: int
    holidays: frozenset[date] = field(default_factory=frozenset)
    workdays: frozenset[date] = field(default_factory=frozenset)
    source: str = ""
    status: YearStatus = "imported"

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form, the same shape ``parse_year_schedule`` accepts (plus nothing else)."""
        return {
            "year": self.year,
            "holidays": [d.isoformat() for d in sorted(self.holidays)],
            "workdays": [d.isoformat() for d in sorted(self.workdays)],
            "source": self.source,
        }


class _Problems:
    """Collects validation problems so a single pass reports all of them."""

    def __init__(self) -> None:
        self.items: list[dict[str, str]] = []

    def add(self, field_path: str, message: str) -> None:
        self.items.append({"field": field_path, "message": message})

    def extend(self, prefix: str, problems: Iterable[dict[str, str]]) -> None:
        for p in problems:
            sub = p["field"]
            joined = prefix if not sub else (f"{prefix}{sub}" if sub.startswith("[") else f"{prefix}.{sub}")
            self.add(joined, p["message"])


def parse_iso_date(value: object) -> date | None:
    """Strict ``YYYY-MM-DD`` parsing (``date`` objects pass through); ``None`` when invalid.

    ``date.fromisoformat`` alone also accepts ``20260101`` and week dates on 3.11+,
    which would make stored settings ambiguous, hence the regex.
    """
    if isinstance(value, date) and not hasattr(value, "hour"):
        return value
    if not isinstance(value, str) or not _ISO_DATE.match(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def parse_hh_mm(value: object) -> time | None:
    """Strict ``HH:MM`` parsing (``time`` objects pass through); ``None`` when invalid."""
    if isinstance(value, time):
        return value
    if not isinstance(value, str) or not _HH_MM.match(value):
        return None
    try:
        return time.fromisoformat(value)
    except ValueError:
        return None


def parse_date_list(value: object, field_name: str, problems: _Problems) -> list[tuple[int, date]]:
    """Validate a JSON list of ISO dates, returning ``(index, date)`` for the good ones."""
    if not isinstance(value, list | tuple | set | frozenset):
        problems.add(field_name, "must be a list of dates (YYYY-MM-DD)")
        return []
    out: list[tuple[int, date]] = []
    seen: set[date] = set()
    for i, raw in enumerate(sorted(value) if isinstance(value, set | frozenset) else value):
        d = parse_iso_date(raw)
        if d is None:
            problems.add(f"{field_name}[{i}]", f"not a valid date (expected YYYY-MM-DD): {raw!r}")
            continue
        if d in seen:
            problems.add(f"{field_name}[{i}]", f"{d.isoformat()} is listed twice")
            continue
        seen.add(d)
        out.append((i, d))
    return out


def _collect_year_schedule(data: object, problems: _Problems) -> YearSchedule | None:
    """Validation body shared by ``parse_year_schedule`` and the calendar settings parser."""
    if not isinstance(data, Mapping):
        problems.add("", "a year schedule must be an object")
        return None
    for key in sorted(set(data) - _SCHEDULE_KEYS, key=str):
        problems.add(str(key), "unknown field")

    year = data.get("year")
    year_ok = isinstance(year, int) and not isinstance(year, bool) and MIN_YEAR <= year <= MAX_YEAR
    if "year" not in data:
        problems.add("year", "required")
    elif not year_ok:
        problems.add("year", f"must be an integer year between {MIN_YEAR} and {MAX_YEAR}")

    if "holidays" not in data:
        problems.add("holidays", "required (use [] for a year without holidays)")
    holidays = parse_date_list(data.get("holidays", []), "holidays", problems)
    workdays = parse_date_list(data.get("workdays", []), "workdays", problems)

    source = data.get("source", "")
    if not isinstance(source, str) or len(source) > _MAX_SOURCE_LEN:
        problems.add("source", f"must be a text of at most {_MAX_SOURCE_LEN} characters")
        source = ""

    if year_ok:
        for name, items in (("holidays", holidays), ("workdays", workdays)):
            for i, d in items:
                if d.year != year:
                    problems.add(f"{name}[{i}]", f"{d.isoformat()} is not in {year}")
    holiday_set = {d for _, d in holidays}
    for i, d in workdays:
        if d in holiday_set:
            problems.add(f"workdays[{i}]", f"{d.isoformat()} is listed both as a holiday and as a workday")
        if d.weekday() < 5:
            problems.add(
                f"workdays[{i}]",
                f"{d.isoformat()} is a {d.strftime('%A')}; a make-up workday must be a Saturday or Sunday",
            )
    if not year_ok:
        return None
    assert isinstance(year, int)
    return YearSchedule(
        year=year,
        holidays=frozenset(holiday_set),
        workdays=frozenset(d for _, d in workdays),
        source=source,
        status="imported",
    )


def parse_year_schedule(data: object) -> YearSchedule:
    """Validate an imported official year schedule and return it (status ``imported``).

    Expected shape::

        {"year": 2027, "holidays": ["2027-01-01", ...], "workdays": ["2027-02-20", ...],
         "source": "国办发明电〔2026〕x号"}

    ``workdays`` and ``source`` are optional. Raises ``CalendarImportError`` listing
    every problem (unknown field, wrong/missing year, malformed or duplicate date, a
    date outside the year, a date that is both holiday and workday, a make-up
    workday that is not a Saturday/Sunday).
    """
    problems = _Problems()
    schedule = _collect_year_schedule(data, problems)
    if problems.items or schedule is None:
        raise CalendarImportError(problems.items)
    return schedule
