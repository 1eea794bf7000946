"""Importing official year schedules, the shipped day table and its seed script."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from core import calendar_seed
from core.calendar import BusinessCalendar, CalendarImportError, YearSchedule, parse_year_schedule
from core.calendar_data import load_table, table_from_json

GOOD: dict[str, Any] = {
    "year": 2027,
    "holidays": ["2027-01-01", "2027-02-05", "2027-02-08"],
    "workdays": ["2027-02-20"],
    "source": "test fixture",
}


def problems_of(data: object) -> list[dict[str, str]]:
    with pytest.raises(CalendarImportError) as err:
        parse_year_schedule(data)
    return err.value.problems


def test_parse_valid_schedule() -> None:
    schedule = parse_year_schedule(GOOD)
    assert schedule.year == 2027
    assert date(2027, 2, 20) in schedule.workdays
    assert schedule.status == "imported"
    assert parse_year_schedule(schedule.to_dict()) == schedule
    assert parse_year_schedule({"year": 2027, "holidays": []}).workdays == frozenset()


@pytest.mark.parametrize(
    ("change", "field", "fragment"),
    [
        ({"year": "2027"}, "year", "integer year"),
        ({"year": True}, "year", "integer year"),
        ({"year": 1066}, "year", "integer year"),
        ({"holidays": ["2027-01-01", "2027-13-01"]}, "holidays[1]", "not a valid date"),
        ({"holidays": ["2027-01-01", "20270102"]}, "holidays[1]", "not a valid date"),
        ({"holidays": ["2027-01-01", "2026-12-31"]}, "holidays[1]", "not in 2027"),
        ({"holidays": ["2027-01-01", "2027-01-01"]}, "holidays[1]", "listed twice"),
        ({"holidays": "2027-01-01"}, "holidays", "must be a list"),
        ({"workdays": ["2027-02-08"]}, "workdays[0]", "both as a holiday and as a workday"),
        ({"workdays": ["2027-02-22"]}, "workdays[0]", "Saturday or Sunday"),
        ({"workdays": ["2028-01-01"]}, "workdays[0]", "not in 2027"),
        ({"source": 42}, "source", "text"),
        ({"country": "CN"}, "country", "unknown field"),
    ],
)
def test_parse_rejects(change: dict[str, Any], field: str, fragment: str) -> None:
    problems = problems_of({**GOOD, **change})
    assert any(p["field"] == field and fragment in p["message"] for p in problems), problems


def test_parse_reports_all_problems_at_once() -> None:
    problems = problems_of({"year": 2027, "holidays": ["x", "2026-01-01"], "workdays": ["2027-01-04"]})
    assert [p["field"] for p in problems] == ["holidays[0]", "holidays[1]", "workdays[0]"]


def test_parse_requires_year_and_holidays_and_an_object() -> None:
    assert {p["field"] for p in problems_of({})} == {"year", "holidays"}
    assert problems_of(["2027-01-01"])[0]["field"] == ""


def test_with_year_replaces_and_without_year_removes() -> None:
    cal = BusinessCalendar()
    first = cal.with_year(GOOD)
    assert first.year_status(2027) == "imported"
    assert not first.is_working_day(date(2027, 2, 8))
    assert first.is_working_day(date(2027, 2, 20))
    second = first.with_year({**GOOD, "holidays": ["2027-01-01"], "workdays": []})
    assert len(second.schedules) == 1
    assert second.is_working_day(date(2027, 2, 8))
    assert second.without_year(2027) == cal
    assert cal.year_status(2027) == "provisional"  # the original is untouched
    with pytest.raises(CalendarImportError):
        cal.with_year({**GOOD, "workdays": ["2027-02-22"]})


def test_with_year_can_override_an_official_year() -> None:
    cal = BusinessCalendar().with_year(YearSchedule(year=2026, holidays=frozenset(), status="official"))
    assert cal.year_status(2026) == "imported"
    assert cal.is_working_day(date(2026, 10, 8))
    assert not cal.is_working_day(date(2026, 10, 10))  # no make-up day any more


def test_shipped_table_covers_official_and_provisional_years() -> None:
    table = load_table("CN")
    assert table[2026].status == "official"
    assert table[2027].status == "provisional"
    assert date(2026, 10, 10) in table[2026].workdays
    assert load_table("US") == {}


def test_table_loader_validates_entries() -> None:
    bad = {"years": [{**GOOD, "workdays": ["2027-02-22"], "status": "official"}]}
    with pytest.raises(CalendarImportError):
        table_from_json(bad)
    with pytest.raises(ValueError, match="bad status"):
        table_from_json({"years": [{**GOOD, "status": "rumoured"}]})


def test_seed_regenerates_the_official_years_unchanged(tmp_path: Path) -> None:
    out = tmp_path / "cn.json"
    assert calendar_seed.main(["--output", str(out), "--ahead", "1"]) == 0
    generated = table_from_json(json.loads(out.read_text(encoding="utf-8")))
    shipped = load_table("CN")
    official = [y for y, s in generated.items() if s.status == "official"]
    assert official and all(generated[y] == shipped[y] for y in official)
    assert calendar_seed.main(["--output", str(out), "--ahead", "1", "--check"]) == 0
    assert calendar_seed.main(["--output", str(out), "--ahead", "2", "--check"]) == 1
