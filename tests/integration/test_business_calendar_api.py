"""The tenant's business calendar over HTTP and the CLI: validation, audit, year import (S21)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import deadline_lab as lab
import pytest

from core.tables import TenantEvent
from tenants.scope import TenantScope

FIXTURE_2027 = Path(__file__).resolve().parents[1] / "fixtures" / "cn_2027_test_schedule.json"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def deadline_lab() -> Iterator[str]:
    yield from lab.install()


def reply_clock(case: dict[str, Any]) -> dict[str, Any]:
    return next(c for c in case["clocks"] if c["rule_key"] == "reply_wd")


async def test_calendar_shows_defaults_and_year_statuses(make_tenant, client):
    t = await make_tenant()
    body = (await client.get("/api/v1/tenant/calendar", headers=t.as_user("handler_a"))).json()
    assert body["version"] == 0 and body["imported_years"] == []
    assert body["settings"]["working_hours"] == [["08:30", "12:00"], ["13:30", "17:30"]]
    assert body["settings"]["timezone"] == "Asia/Shanghai" and body["settings"]["closing_time"] is None
    assert [(y["year"], y["status"]) for y in body["years"]] == [
        (2026, "official"), (2027, "provisional"), (2028, "provisional")]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"working_hours": [["08:30", "12:00"], ["11:00", "17:00"]]}, "working_hours"),
        ({"working_hours": [["8.30", "12:00"]]}, "working_hours[0]"),
        ({"closing_time": "25:00"}, "closing_time"),
        ({"closures": ["2026-13-01"]}, "closures[0]"),
        ({"closures": ["2026-10-09"], "extra_workdays": ["2026-10-09"]}, "extra_workdays"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"schedules": []}, "schedules"),
        ({"closures": "2026-10-09"}, "closures"),
    ],
)
async def test_bad_calendar_settings_answer_422_naming_the_field(make_tenant, client, body, field):
    t = await make_tenant()
    response = await client.put("/api/v1/tenant/calendar", json=body, headers=t.admin)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["field"].startswith(field), response.json()
    assert (await client.get("/api/v1/tenant/calendar", headers=t.admin)).json()["version"] == 0


async def test_calendar_changes_are_validated_versioned_and_audited(make_tenant, client):
    t = await make_tenant()
    settings = {"working_hours": [["09:00", "12:00"], ["13:00", "18:00"]], "closing_time": "17:30",
                "closures": ["2026-03-04"]}
    for who in ("supervisor", "handler_a", "auditor"):
        assert (await client.put("/api/v1/tenant/calendar", json=settings, headers=t.as_user(who))).status_code == 403
    response = await client.put("/api/v1/tenant/calendar", json=settings, headers=t.as_user("admin"))
    assert response.status_code == 200, response.text
    assert response.json()["version"] == 1 and response.json()["settings"]["closures"] == ["2026-03-04"]
    # PUT replaces: an omitted setting returns to its default, an explicit null closing time is 24:00.
    again = await client.put("/api/v1/tenant/calendar", json={"closing_time": None}, headers=t.admin)
    assert again.json()["version"] == 2 and again.json()["settings"]["closures"] == []
    audit = await TenantScope(t.id).select(TenantEvent).order_by(TenantEvent.at)
    assert [a["action"] for a in audit] == ["calendar_updated", "calendar_updated"]
    assert audit[0]["actor_name"] == "admin" and audit[0]["data"]["after"]["closing_time"] == "17:30"
    assert audit[1]["data"]["before"]["closures"] == ["2026-03-04"]


async def test_year_import_lists_every_problem(make_tenant, client):
    t = await make_tenant()
    bad = {"year": 2027, "holidays": ["2027-02-30", "2026-05-01", "2027-05-01", "2027-05-01"],
           "workdays": ["2027-01-05"], "color": "red"}
    response = await client.post("/api/v1/tenant/calendar/years", json=bad, headers=t.admin)
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"color", "holidays[0]", "holidays[1]", "holidays[3]", "workdays[0]"} <= fields
    not_object = await client.post("/api/v1/tenant/calendar/years", json=[2027], headers=t.admin)
    assert not_object.status_code == 422
    assert (await client.get("/api/v1/tenant/calendar", headers=t.admin)).json()["imported_years"] == []


async def test_s21_import_recomputes_provisional_clocks(deadline_lab, make_tenant, client, clock):
    clock.set(datetime(2026, 12, 16, 1, 0, tzinfo=UTC))  # Wed 2026-12-16 09:00
    t = await make_tenant(sectors=[deadline_lab])
    case = await t.new_case(sector="deadline_lab", category="general")
    before = reply_clock(case)
    assert before["due_at"] == "2027-01-07T16:00:00Z" and before["provisional"] is True  # only Jan 1 known
    assert before["last_day"] == "2027-01-07"
    other = await make_tenant(sectors=[deadline_lab])
    untouched = await other.new_case(sector="deadline_lab", category="general")

    schedule = json.loads(FIXTURE_2027.read_text(encoding="utf-8"))
    response = await client.post("/api/v1/tenant/calendar/years", json=schedule, headers=t.admin)
    assert response.status_code == 200, response.text
    assert response.json() == {"year": 2027, "previous_status": "provisional", "status": "imported", "version": 1,
                               "recomputed_clocks": 1}
    after = reply_clock((await client.get(f"/api/v1/cases/{case['id']}", headers=t.admin)).json())
    assert after["due_at"] == "2027-01-08T16:00:00Z" and after["provisional"] is False
    events = (await client.get(f"/api/v1/cases/{case['id']}/events", headers=t.admin)).json()
    recomputed = [e for e in events if e["action"] == "clock_recomputed"]
    assert len(recomputed) == 1 and recomputed[0]["actor_name"] == "api-key:tenant-admin"
    assert recomputed[0]["data"]["before_due"] == "2027-01-07T16:00:00+00:00"
    assert recomputed[0]["data"]["after_due"] == "2027-01-08T16:00:00+00:00"
    assert recomputed[0]["data"]["was_provisional"] is True and recomputed[0]["data"]["calendar_version"] == 1
    statuses = (await client.get("/api/v1/tenant/calendar", headers=t.admin)).json()["years"]
    assert statuses[1] == {"year": 2027, "status": "imported", "source": schedule["source"]}
    # Another tenant's clocks follow their own calendar.
    theirs = (await client.get(f"/api/v1/cases/{untouched['id']}", headers=other.admin)).json()
    assert reply_clock(theirs)["provisional"] is True
    # A new clock now counts with the imported year.
    fresh = await t.new_case(sector="deadline_lab", category="general")
    assert reply_clock(fresh)["due_at"] == "2027-01-08T16:00:00Z" and not reply_clock(fresh)["provisional"]


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "core.cli", *args], capture_output=True, text=True, timeout=120, cwd=ROOT,
        env=os.environ.copy(), stdin=subprocess.DEVNULL,
    )


async def test_cli_imports_a_year_for_one_tenant(make_tenant, client, tmp_path):
    t = await make_tenant()
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"year": 2027, "holidays": ["2027-13-01"]}), encoding="utf-8")
    refused = _cli("calendar", "import", "--tenant", t.slug, str(bad))
    assert refused.returncode == 2 and "holidays[0]" in refused.stderr
    unknown = _cli("calendar", "import", "--tenant", "no-such-tenant", str(FIXTURE_2027))
    assert unknown.returncode == 2 and "no-such-tenant" in unknown.stderr
    done = _cli("calendar", "import", "--tenant", t.slug, str(FIXTURE_2027), "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1])["status"] == "imported"
    shown = (await client.get("/api/v1/tenant/calendar", headers=t.admin)).json()
    assert shown["imported_years"] == [2027] and shown["version"] == 1
    audit = await TenantScope(t.id).select(TenantEvent)
    assert [(a["action"], a["actor_kind"], a["actor_name"]) for a in audit] == [
        ("calendar_year_imported", "operator", "cli")]
