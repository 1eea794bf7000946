"""The project-owned day tables and the ``holidays`` fallback behind them.

Why a table in the repository instead of asking the libraries at run time: a
deadline already shown to a petitioner must not move because a dependency was
upgraded. ``cn.json`` pins China's days; it is regenerated deliberately with
``python -m core.calendar_seed`` (which also says what changed) and reviewed like
code. Years the table does not cover fall back to the ``holidays`` library and are
normally provisional.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Mapping
from dataclasses import replace
from functools import cache, lru_cache
from importlib import resources
from types import MappingProxyType
from typing import Any

import holidays as holidays_lib

from core.calendar_data.schedule import (
    YEAR_STATUSES,
    CalendarError,
    CalendarImportError,
    YearSchedule,
    YearStatus,
    parse_year_schedule,
)

__all__ = [
    "TABLE_FILES",
    "CalendarError",
    "CalendarImportError",
    "YearSchedule",
    "YearStatus",
    "describe",
    "library_year",
    "load_table",
    "supported_country",
    "table_from_json",
    "table_or_library_year",
    "weekend_days",
]

TABLE_FILES: Mapping[str, str] = MappingProxyType({"CN": "cn.json"})
"""Countries with a project-owned day table, and the file holding it."""


def table_from_json(raw: Mapping[str, Any]) -> dict[int, YearSchedule]:
    """Parse a day-table document (the ``cn.json`` shape) into year schedules.

    Every year goes through the same validator as tenant imports, so a hand-edited
    table cannot smuggle in, say, a weekday "make-up workday".
    """
    out: dict[int, YearSchedule] = {}
    for entry in raw["years"]:
        status = entry.get("status")
        if status not in YEAR_STATUSES:
            raise ValueError(f"day table year {entry.get('year')}: bad status {status!r}")
        body = {k: v for k, v in entry.items() if k != "status"}
        schedule = replace(parse_year_schedule(body), status=status)
        if schedule.year in out:
            raise ValueError(f"day table lists year {schedule.year} twice")
        out[schedule.year] = schedule
    return out


@cache
def load_table(country: str) -> Mapping[int, YearSchedule]:
    """The shipped day table for ``country`` (empty when the project has none)."""
    filename = TABLE_FILES.get(country.upper())
    if filename is None:
        return MappingProxyType({})
    text = resources.files(__name__).joinpath(filename).read_text(encoding="utf-8")
    return MappingProxyType(table_from_json(json.loads(text)))


@cache
def supported_country(country: str) -> bool:
    """Whether we can build a calendar for ``country`` (a table or the ``holidays`` library)."""
    return country.upper() in TABLE_FILES or country.upper() in holidays_lib.list_supported_countries()


@cache
def weekend_days(country: str) -> frozenset[int]:
    """Weekday numbers (Mon=0) that are weekend in ``country``, per ``holidays``.

    Not all countries rest on Saturday/Sunday (e.g. Saudi Arabia: Friday/Saturday).
    """
    return frozenset(holidays_lib.country_holidays(country.upper()).weekend)


@cache
def _china_notice_years() -> range:
    """Years for which ``holidays.China`` carries State Council 调休 notices.

    Read defensively from the library's static table; if its layout changes we
    simply treat every library year as provisional, which is the safe side.
    """
    try:
        from holidays.countries.china import ChinaStaticHolidays

        years = ChinaStaticHolidays.special_public_holidays
        return range(min(years), max(years) + 1)
    except (ImportError, AttributeError, ValueError):  # pragma: no cover - library layout change
        return range(0)


def _estimated_marker(obj: holidays_lib.HolidayBase) -> str:
    """The text ``holidays`` inserts in names of estimated dates (e.g. "estimated", "推定")."""
    label = getattr(obj, "estimated_label", None)
    if not label:
        return ""
    try:
        text = obj.tr(label)
    except Exception:  # pragma: no cover - translation machinery is best effort
        text = label
    return str(text).replace("%s", "").strip(" ()（）")


def _build_library_year(code: str, year: int) -> tuple[holidays_lib.HolidayBase, bool]:
    """Instantiate the library for one year; the flag says whether it complained.

    Every ``*_show_estimated`` option the country supports is switched on so
    estimated dates carry the marker in their names; a warning (e.g. "available
    only from 2001 to 2035") or a year outside the class's range also means the
    result is a guess.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if code == "CN":
            obj: holidays_lib.HolidayBase = holidays_lib.China(years=year)
        else:
            entity = getattr(holidays_lib, code)
            supported = getattr(entity, "get_supported_options", dict)()
            options = {k: True for k in supported if k.endswith("_show_estimated")}
            obj = holidays_lib.country_holidays(code, years=year, **options)
    start, end = getattr(obj, "start_year", year), getattr(obj, "end_year", year)
    return obj, bool(caught) or not start <= year <= end


@lru_cache(maxsize=512)
def library_year(country: str, year: int) -> YearSchedule:
    """A year computed by the ``holidays`` library (used outside the day table).

    Status: for China, ``official`` only while the library carries the State
    Council notice for that year (it lists the 调休 days), otherwise
    ``provisional`` — the statutory holidays are known years ahead but the make-up
    workdays are not. Elsewhere ``provisional`` when the library marks any date of
    the year as estimated (or warns about the year), else ``official``.
    """
    code = country.upper()
    obj, doubtful = _build_library_year(code, year)
    days_off = frozenset(d for d in obj if d.year == year)
    workdays = frozenset(d for d in getattr(obj, "weekend_workdays", ()) if d.year == year)
    status: YearStatus
    if code == "CN":
        status = "official" if year in _china_notice_years() and not doubtful else "provisional"
    else:
        marker = _estimated_marker(obj)
        estimated = bool(marker) and any(marker in name for name in obj.values())
        status = "provisional" if estimated or doubtful else "official"
    version = getattr(holidays_lib, "__version__", "?")
    return YearSchedule(
        year=year,
        holidays=days_off - workdays,
        workdays=workdays,
        source=f"holidays {version} ({code})",
        status=status,
    )


def table_or_library_year(country: str, year: int) -> YearSchedule:
    """The project's table entry for ``year`` if there is one, else the library's estimate."""
    table = load_table(country)
    found = table.get(year)
    if found is not None:
        return found
    return library_year(country, year)


def describe(schedule: YearSchedule) -> str:
    """One-line human summary, used by the seed script's change report."""
    return (
        f"{schedule.year} [{schedule.status}] {len(schedule.holidays)} holidays, "
        f"{len(schedule.workdays)} make-up workdays ({schedule.source})"
    )
