"""Deadlines in the running system: clocks from plugin rules, the scan, pause/extend, triggers.

Time is the session's FrozenClock; the deadline scan is the arq job function itself, called
with a ctx holding that clock, so "at exactly the right minute" is checked to the second.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import deadline_lab as lab
import pytest
from harness import PASSWORD

from workers.deadline_jobs import scan_deadlines


@pytest.fixture(scope="module")
def deadline_lab() -> Iterator[str]:
    yield from lab.install()


FRIDAY_1750 = datetime(2026, 3, 13, 9, 50, tzinfo=UTC)  # Fri 2026-03-13 17:50 Asia/Shanghai


def iso(at: datetime) -> str:
    return at.astimezone(UTC).isoformat().replace("+00:00", "Z")


def clock_of(case: dict[str, Any], key: str) -> dict[str, Any]:
    return next(c for c in case["clocks"] if c["rule_key"] == key)


async def scan(clock) -> dict[str, int]:
    return await scan_deadlines({"clock": clock})


async def events(client, t, case_id: str) -> list[dict[str, Any]]:
    return (await client.get(f"/api/v1/cases/{case_id}/events", headers=t.admin)).json()


async def fired_levels(client, t, case_id: str, key: str = "arrival") -> list[dict[str, Any]]:
    return [
        e for e in await events(client, t, case_id)
        if e["action"] == "escalated" and e["data"]["source"] == "ladder" and e["data"]["key"] == key
    ]


async def read(client, t, case_id: str) -> dict[str, Any]:
    response = await client.get(f"/api/v1/cases/{case_id}", headers=t.admin)
    assert response.status_code == 200, response.text
    return response.json()


async def as_user(client, t, username: str) -> dict[str, str]:
    """Log in again: tokens from make_tenant expire once a test moves the clock by months."""
    response = await client.post("/api/v1/auth/login", json={"tenant": t.slug, "username": username,
                                                              "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}


async def lab_case(t, **overrides: Any) -> dict[str, Any]:
    return await t.new_case(**{"sector": "deadline_lab", "category": "repair", "channel": "phone", **overrides})


async def fact(client, t, case_id: str, event: str, headers=None):
    return await client.post(f"/api/v1/cases/{case_id}/clock-events", json={"event": event},
                             headers=headers or t.admin)


async def on_clock(client, t, case_id: str, clock_id: str, verb: str, body: dict[str, Any], headers=None):
    return await client.post(f"/api/v1/cases/{case_id}/clocks/{clock_id}/{verb}", json=body,
                             headers=headers or t.admin)


# ----------------------------------------------------------------------- plugin path, lifecycle
async def test_petition_clocks_follow_the_lifecycle(make_tenant, client):
    t = await make_tenant()  # gov_petition: the real plugin's statutory rules
    case = await t.new_case()
    keys = {c["rule_key"]: c for c in case["clocks"]}
    assert {"acceptance", "leader_reading"} <= set(keys)
    assert keys["acceptance"]["due_at"] == "2026-03-17T16:00:00Z"  # 15 days from Mon 03-02, 24:00
    assert keys["acceptance"]["statutory"] and keys["acceptance"]["state"] == "running"
    accepted = (await t.act(case["id"], "accept")).json()
    assert clock_of(accepted, "acceptance")["state"] == "met"
    handling = clock_of(accepted, "handling")
    assert handling["due_at"] == "2026-05-06T16:00:00Z"  # day 60 is May 1 (holiday): rolled forward
    actions = [e["action"] for e in await events(client, t, case["id"])]
    assert actions.count("clock_started") == 3 and actions.count("clock_met") == 1


async def test_rules_apply_only_where_applies_to_says(deadline_lab, make_tenant):
    t = await make_tenant(sectors=[deadline_lab])
    normal = await lab_case(t)
    critical = await lab_case(t, severity="critical")
    assert "critical_only" not in {c["rule_key"] for c in normal["clocks"]}
    assert clock_of(critical, "critical_only")["due_at"] == iso(datetime(2026, 3, 2, 2, 0, tzinfo=UTC))


async def test_refusal_answers_the_acceptance_clock_and_cancels_the_rest(make_tenant, client):
    t = await make_tenant()
    case = await t.new_case()
    refused = (await t.act(case["id"], "not_accept", ground="legal_route", target="区人民法院")).json()
    assert clock_of(refused, "acceptance")["state"] == "met"
    assert clock_of(refused, "leader_reading")["state"] == "cancelled"


# -------------------------------------------------------------------------------- S1 and the scan
@pytest.mark.parametrize("order_after", [timedelta(minutes=3), timedelta(minutes=7, seconds=31), timedelta(hours=2)])
async def test_s1_arrival_escalates_to_the_supervisor_at_exactly_the_due_minute(
    deadline_lab, make_tenant, client, clock, order_after
):
    t = await make_tenant(sectors=[deadline_lab])
    clock.set(FRIDAY_1750)
    case = await lab_case(t)
    assert (await t.act(case["id"], "accept")).status_code == 200
    ordered_at = clock.advance(order_after)  # S1: work order 17:53 → arrival due 18:08
    clocks = (await fact(client, t, case["id"], "work_order_issued")).json()
    arrival = next(c for c in clocks if c["rule_key"] == "arrival")
    due = ordered_at + timedelta(minutes=15)
    assert arrival["due_at"] == iso(due)

    clock.set(due - timedelta(seconds=1))
    await scan(clock)
    assert [e["data"]["level"] for e in await fired_levels(client, t, case["id"])] == [1]  # 5 min before
    clock.set(due)
    await scan(clock)
    await scan(clock)
    fired = await fired_levels(client, t, case["id"])
    assert [e["data"]["level"] for e in fired] == [1, 2]
    assert fired[1]["at"] == iso(due) and fired[1]["data"]["late_by_seconds"] == 0
    assert fired[1]["data"]["notify"] == [{"kind": "role", "role": "maintenance_supervisor"}]
    overdue = [e for e in await events(client, t, case["id"]) if e["action"] == "clock_overdue"]
    assert len(overdue) == 1 and overdue[0]["data"]["rule_key"] == "arrival"
    assert clock_of(await read(client, t, case["id"]), "arrival")["state"] == "overdue"


async def test_a_worker_back_after_an_hour_fires_each_missed_level_once_in_order(
    deadline_lab, make_tenant, client, clock
):
    t = await make_tenant(sectors=[deadline_lab])
    clock.set(FRIDAY_1750)
    case = await lab_case(t)
    await fact(client, t, case["id"], "work_order_issued")
    version = (await read(client, t, case["id"])).get("version")
    clock.advance(hours=1, minutes=15)  # the worker was down from before the first level
    await asyncio.gather(scan(clock), scan(clock))  # two workers at once, or arq running it twice
    await scan(clock)
    fired = await fired_levels(client, t, case["id"])
    assert [e["data"]["level"] for e in fired] == [1, 2, 3]
    assert [e["seq"] for e in fired] == sorted(e["seq"] for e in fired)
    assert [e["data"]["late_by_seconds"] for e in fired] == [3600 + 300, 3600, 1800]
    after = await read(client, t, case["id"])
    assert after["severity"] == "high" and "supervised" in after["extra"]["flags"]
    assert after["version"] > version  # the worker's change invalidates stale client copies
    actions = [e["action"] for e in await events(client, t, case["id"])]
    assert actions.count("clock_overdue") == 1


async def test_arrival_in_time_meets_the_clock_and_cancels_its_levels(deadline_lab, make_tenant, client, clock):
    t = await make_tenant(sectors=[deadline_lab])
    clock.set(FRIDAY_1750)
    case = await lab_case(t)
    await fact(client, t, case["id"], "work_order_issued")
    clock.advance(minutes=12)
    await scan(clock)  # level 1 (5 minutes before due) fires
    await fact(client, t, case["id"], "arrived")
    clock.advance(hours=3)
    await scan(clock)
    assert [e["data"]["level"] for e in await fired_levels(client, t, case["id"])] == [1]
    assert clock_of(await read(client, t, case["id"]), "arrival")["state"] == "met"


async def test_late_arrival_breaches_and_stays_visible(deadline_lab, make_tenant, client, clock):
    t = await make_tenant(sectors=[deadline_lab])
    clock.set(FRIDAY_1750)
    case = await lab_case(t)
    await fact(client, t, case["id"], "work_order_issued")
    clock.advance(minutes=20)
    await fact(client, t, case["id"], "arrived")
    arrival = clock_of(await read(client, t, case["id"]), "arrival")
    assert arrival["state"] == "breached" and arrival["due_at"] == iso(FRIDAY_1750 + timedelta(minutes=15))
    assert arrival["remaining_seconds"] is None
    breached = [e for e in await events(client, t, case["id"]) if e["action"] == "clock_breached"]
    assert breached[0]["data"]["late_by_seconds"] == 300


async def test_a_window_without_stop_event_lapses(deadline_lab, make_tenant, client, clock):
    t = await make_tenant(sectors=[deadline_lab])
    case = await lab_case(t)
    await fact(client, t, case["id"], "signed_for")  # Mon 03-02 → 3 WD → Thu 03-05 24:00
    window = clock_of(await read(client, t, case["id"]), "objection_window")
    assert window["due_at"] == "2026-03-05T16:00:00Z" and window["stop_event"] is None
    clock.set(datetime(2026, 3, 5, 16, 0, tzinfo=UTC))
    await scan(clock)
    assert clock_of(await read(client, t, case["id"]), "objection_window")["state"] == "met"
    assert "clock_lapsed" in [e["action"] for e in await events(client, t, case["id"])]


async def test_closing_cancels_handling_clocks_but_not_the_review_window(deadline_lab, make_tenant, client):
    t = await make_tenant(sectors=[deadline_lab])
    case = await lab_case(t)
    await t.act(case["id"], "accept")
    await t.act(case["id"], "start")
    await t.act(case["id"], "reply", reply="已答复")
    await fact(client, t, case["id"], "opinion_received")
    closed = (await t.act(case["id"], "close")).json()
    states = {c["rule_key"]: c["state"] for c in closed["clocks"]}
    assert states["handling"] == "met" and states["reply_wd"] == "met" and states["review_window"] == "running"
    reopened = (await t.act(case["id"], "reopen", reason="review_request")).json()
    assert clock_of(reopened, "review_window")["state"] == "met"


# ------------------------------------------------------------------------------ S19 pause/resume
async def test_s19_pause_and_resume_continue_or_restart(deadline_lab, make_tenant, client, clock):
    t = await make_tenant(sectors=[deadline_lab])
    case = await lab_case(t)  # Mon 2026-03-02 09:00
    cont, restart = clock_of(case, "acceptance7"), clock_of(case, "acceptance7r")
    assert cont["due_at"] == restart["due_at"] == "2026-03-09T16:00:00Z"
    clock.set(datetime(2026, 3, 3, 3, 0, tzinfo=UTC))  # Tue 11:00: materials requested
    for c in (cont, restart):
        paused = await on_clock(client, t, case["id"], c["id"], "pause", {"reason": "请补充病历材料"})
        assert paused.status_code == 200, paused.text
        assert paused.json()["state"] == "paused"
    again = await on_clock(client, t, case["id"], cont["id"], "pause", {"reason": "x"})
    assert again.status_code == 409 and again.json()["clock_state"] == "paused"
    clock.set(datetime(2026, 3, 6, 8, 0, tzinfo=UTC))  # Fri 16:00: materials received
    shown = clock_of(await read(client, t, case["id"]), "acceptance7")
    assert shown["state"] == "paused" and shown["remaining_seconds"] == int(timedelta(days=6, hours=13).total_seconds())
    resumed = [(await on_clock(client, t, case["id"], c["id"], "resume", {"reason": "材料已收到"})).json()
               for c in (cont, restart)]
    assert resumed[0]["due_at"] == "2026-03-12T16:00:00Z"  # continue: 6 days left
    assert resumed[1]["due_at"] == "2026-03-13T16:00:00Z"  # restart: 7 days from Fri
    logged = [e for e in await events(client, t, case["id"]) if e["action"] == "clock_resumed"]
    assert logged[0]["data"]["before_due"] == "2026-03-09T16:00:00+00:00"
    assert logged[0]["data"]["after_due"] == "2026-03-12T16:00:00+00:00"


@pytest.mark.parametrize(
    ("body", "field"), [({}, "reason"), ({"reason": ""}, "reason"), ({"reason": "x", "extra": 1}, "extra")]
)
async def test_clock_actions_reject_bad_input(deadline_lab, make_tenant, client, body, field):
    t = await make_tenant(sectors=[deadline_lab])
    case = await lab_case(t)
    response = await on_clock(client, t, case["id"], clock_of(case, "acceptance7")["id"], "pause", body)
    assert response.status_code == 422 and response.json()["field"] == field
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_clock_actions_check_roles_and_ownership(deadline_lab, make_tenant, client):
    t = await make_tenant(sectors=[deadline_lab])
    case, other = await lab_case(t), await lab_case(t)
    clock_id = clock_of(case, "acceptance7")["id"]
    auditor = await on_clock(client, t, case["id"], clock_id, "pause", {"reason": "x"}, t.as_user("auditor"))
    handler = await on_clock(client, t, case["id"], clock_id, "pause", {"reason": "x"}, t.as_user("handler_a"))
    assert (auditor.status_code, handler.status_code) == (403, 403)  # not the handler's department
    foreign = await on_clock(client, t, other["id"], clock_id, "pause", {"reason": "x"})
    assert foreign.status_code == 404  # a clock of another case is not this case's clock
    assert clock_of(await read(client, t, case["id"]), "acceptance7")["state"] == "running"


# ----------------------------------------------------------------------------- S6 / S20 extension
async def test_s6_extension_up_to_the_cap_then_422(deadline_lab, make_tenant, client, clock):
    t = await make_tenant(sectors=[deadline_lab])
    clock.set(datetime(2026, 6, 1, 1, 0, tzinfo=UTC))
    case = await lab_case(t)
    handling = clock_of((await t.act(case["id"], "accept")).json(), "handling")
    assert handling["due_at"] == "2026-07-01T16:00:00Z"
    clock.set(datetime(2026, 6, 25, 2, 0, tzinfo=UTC))
    denied = await on_clock(client, t, case["id"], handling["id"], "extend", {"amount": 30, "reason": "复杂"},
                            await as_user(client, t, "handler_a"))
    assert denied.status_code == 403
    extended = await on_clock(client, t, case["id"], handling["id"], "extend",
                              {"amount": 30, "reason": "涉及多个科室，情况复杂", "approver": "院长"},
                              await as_user(client, t, "supervisor"))
    assert extended.status_code == 200, extended.text
    assert extended.json()["due_at"] == "2026-07-31T16:00:00Z" and extended.json()["extended_by"] == 30
    later = await on_clock(client, t, case["id"], handling["id"], "extend", {"amount": 1, "reason": "再延"})
    assert later.status_code == 422 and later.json()["field"] == "amount"
    event = next(e for e in await events(client, t, case["id"]) if e["action"] == "clock_extended")
    assert event["data"]["approver"] == "院长" and event["actor_name"] == "supervisor"
    assert event["data"]["notify"][0]["kind"] == "complainant"


async def test_s20_statutory_handling_allows_one_extension(deadline_lab, make_tenant, client, clock):
    t = await make_tenant(sectors=[deadline_lab])
    clock.set(datetime(2026, 8, 3, 1, 0, tzinfo=UTC))  # Mon 2026-08-03
    case = await lab_case(t)
    statutory = clock_of((await t.act(case["id"], "accept")).json(), "statutory_handling")
    assert statutory["due_at"] == "2026-10-08T16:00:00Z"  # Fri 10-02 is a holiday: rolled forward
    clock.set(datetime(2026, 9, 25, 2, 0, tzinfo=UTC))
    too_much = await on_clock(client, t, case["id"], statutory["id"], "extend", {"amount": 31, "reason": "r"})
    assert too_much.status_code == 422 and too_much.json()["field"] == "amount"
    ok = await on_clock(client, t, case["id"], statutory["id"], "extend", {"amount": 30, "reason": "情况复杂"})
    assert ok.json()["due_at"] == "2026-11-02T16:00:00Z"  # nominal Sun 11-01, rolled to Mon
    second = await on_clock(client, t, case["id"], statutory["id"], "extend", {"amount": 1, "reason": "再延"})
    assert second.status_code == 422 and "extended only 1" in second.json()["detail"]


# ---------------------------------------------------------------------------------- dashboards
async def test_overdue_and_warning_dashboards(deadline_lab, make_tenant, client, clock):
    t = await make_tenant(sectors=[deadline_lab])
    first, second = await lab_case(t), await lab_case(t)
    for case in (first, second):
        await t.act(case["id"], "accept")
    await t.act(first["id"], "assign", lead_department_id=str(t.departments["A"]))
    clock.set(datetime(2026, 3, 28, 2, 0, tzinfo=UTC))  # handling (due 04-01) warns from 03-27 24:00
    warnings = (await client.get("/api/v1/warnings", headers=await as_user(client, t, "auditor"))).json()
    assert {(i["case"]["id"], i["clock"]["rule_key"]) for i in warnings["items"]} == {
        (first["id"], "handling"), (second["id"], "handling")}
    assert all(i["clock"]["state"] == "warning" for i in warnings["items"])
    overdue = (await client.get("/api/v1/overdue", headers=t.admin, params={"limit": 1})).json()
    assert len(overdue["items"]) == 1 and overdue["items"][0]["clock"]["rule_key"] == "reply_wd"
    assert overdue["items"][0]["clock"]["remaining"]["en"].startswith("overdue by")
    rest = (await client.get("/api/v1/overdue", headers=t.admin,
                             params={"limit": 1, "cursor": overdue["next_cursor"]})).json()
    assert {overdue["items"][0]["case"]["id"], rest["items"][0]["case"]["id"]} == {first["id"], second["id"]}
    mine = (await client.get("/api/v1/overdue", headers=t.admin,
                             params={"department_id": str(t.departments["A"])})).json()
    assert [i["case"]["id"] for i in mine["items"]] == [first["id"]]
    none = await client.get("/api/v1/overdue", headers=t.admin, params={"department_id": str(t.departments["B"])})
    assert none.json()["items"] == []
    bad = await client.get("/api/v1/overdue", headers=t.admin, params={"cursor": "!!"})
    assert bad.status_code == 422 and bad.json()["field"] == "cursor"


# --------------------------------------------------------------------------------- event triggers
async def test_triggers_fire_once_and_chain(make_tenant, client):
    t = await make_tenant()
    case = await t.new_case(
        group_size=7, subject="扬言要去市政府门口静坐", description="七人集体来访，反映拆迁补偿问题。"
    )
    keys = [e["data"]["key"] for e in await events(client, t, case["id"]) if e["action"] == "escalated"]
    assert {"collective", "threat", "major_urgent"} <= set(keys)  # threat raises to high → major/urgent
    assert keys.index("major_urgent") > keys.index("threat")
    shown = await read(client, t, case["id"])
    assert shown["severity"] == "critical" and {"collective", "interview_required"} <= set(shown["extra"]["flags"])
    collective = next(e for e in await events(client, t, case["id"]) if e["data"].get("key") == "collective")
    assert {"kind": "role", "role": "duty_leader"} in collective["data"]["notify"]
    await t.act(case["id"], "accept")
    again = [e["data"]["key"] for e in await events(client, t, case["id"]) if e["action"] == "escalated"]
    assert again == keys
