"""(Re)generate the project-owned China day table ``core/calendar_data/cn.json``.

Run ``python -m core.calendar_seed`` after upgrading ``chinesecalendar`` or
``holidays`` (typically each November, when the State Council publishes the next
year's arrangement and the libraries catch up), review the printed change report
and the diff, then commit. ``--check`` exits non-zero when the file is stale, for CI.

Sources, in order of authority:

* ``chinese-calendar``: every year it covers is ``official`` (it carries the
  published holidays *and* the 调休 make-up workdays);
* ``holidays.China`` for the following ``--ahead`` years: ``official`` only if the
  library already carries that year's State Council notice, else ``provisional``
  (statutory holidays known, make-up workdays not).

The table is deliberately a generated artefact rather than a run-time library
call: deadlines already communicated must not shift because a dependency changed.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import chinese_calendar

from core.calendar_data import describe, library_year, table_from_json
from core.calendar_data.schedule import YearSchedule

TABLE_PATH = Path(__file__).resolve().parent / "calendar_data" / "cn.json"
DEFAULT_AHEAD = 5


def chinese_calendar_years() -> range:
    """The years chinese-calendar has official data for."""
    years = {d.year for d in chinese_calendar.holidays} | {d.year for d in chinese_calendar.workdays}
    return range(min(years), max(years) + 1)


def official_year(year: int) -> YearSchedule:
    """One year from chinese-calendar: named holidays (incl. in-lieu days) and 补班 days."""
    version = getattr(chinese_calendar, "__version__", "?")
    return YearSchedule(
        year=year,
        holidays=frozenset(d for d in chinese_calendar.holidays if d.year == year),
        workdays=frozenset(d for d in chinese_calendar.workdays if d.year == year),
        source=f"chinese-calendar {version}",
        status="official",
    )


def build_table(ahead: int = DEFAULT_AHEAD) -> dict[str, Any]:
    """The full table document: official years, then ``ahead`` library-estimated years."""
    official = chinese_calendar_years()
    schedules = [official_year(y) for y in official]
    schedules += [library_year("CN", y) for y in range(official.stop, official.stop + ahead)]
    _self_check(schedules)
    return {
        "country": "CN",
        "generated_by": "python -m core.calendar_seed",
        "note": "Generated file; edit the sources or core/calendar_seed.py, not this file.",
        "years": [{**s.to_dict(), "status": s.status} for s in schedules],
    }


def _self_check(schedules: Sequence[YearSchedule]) -> None:
    """Refuse to write a table that disagrees with chinese-calendar on its own years."""
    for s in schedules:
        if s.status != "official" or not s.source.startswith("chinese-calendar"):
            continue
        day = date(s.year, 1, 1)
        while day.year == s.year:
            ours = day in s.workdays or (day.weekday() < 5 and day not in s.holidays)
            if ours != chinese_calendar.is_workday(day):
                raise SystemExit(f"seed self-check failed on {day}: table says workday={ours}")
            day += timedelta(days=1)


def render(table: Mapping[str, Any]) -> str:
    """Stable JSON: one line per year so a regenerated table diffs year by year."""
    head = {k: v for k, v in table.items() if k != "years"}
    lines = [json.dumps(entry, ensure_ascii=False) for entry in table["years"]]
    body = ",\n    ".join(lines)
    head_text = json.dumps(head, ensure_ascii=False, indent=2)[:-2]
    return f'{head_text},\n  "years": [\n    {body}\n  ]\n}}\n'


def change_report(old_text: str | None, new_table: Mapping[str, Any]) -> list[str]:
    """Human summary of which years were added, removed or changed."""
    new = table_from_json(new_table)
    old = table_from_json(json.loads(old_text)) if old_text else {}
    report: list[str] = []
    for year in sorted(set(old) | set(new)):
        before, after = old.get(year), new.get(year)
        if before == after:
            continue
        if before is None and after is not None:
            report.append(f"+ {describe(after)}")
        elif after is None and before is not None:
            report.append(f"- {describe(before)}")
        elif before is not None and after is not None:
            report.append(f"~ {describe(before)}  ->  {describe(after)}")
    return report


def main(argv: Sequence[str] | None = None) -> int:
    """CLI entry point; returns the process exit status."""
    parser = argparse.ArgumentParser(prog="python -m core.calendar_seed", description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the table is out of date")
    parser.add_argument("--ahead", type=int, default=DEFAULT_AHEAD, help="library-estimated years to add")
    parser.add_argument("--output", type=Path, default=TABLE_PATH, help="where to write the table")
    args = parser.parse_args(argv)

    table = build_table(args.ahead)
    text = render(table)
    old_text = args.output.read_text(encoding="utf-8") if args.output.exists() else None
    report = change_report(old_text, table)
    if args.check:
        if old_text != text:
            print("day table is stale; run python -m core.calendar_seed", file=sys.stderr)
            for line in report:
                print(line, file=sys.stderr)
            return 1
        return 0
    args.output.write_text(text, encoding="utf-8")
    for line in report or ["no changes"]:
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
