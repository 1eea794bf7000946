"""Plugin positions (``role:<code>``) held by people: the API and whom escalations reach."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import sector_api

from core.tables import Notice
from tenants.scope import TenantScope
from workers.deadline_jobs import scan_deadlines

FRIDAY_1750 = datetime(2026, 3, 13, 9, 50, tzinfo=UTC)  # Fri 2026-03-13 17:50 Asia/Shanghai
URL = "/api/v1/tenant/positions"


async def _s1_overdue(client, t, clock) -> dict[str, Any]:
    """A property repair whose 15-minute arrival clock (S1) runs out; returns the escalation."""
    clock.set(FRIDAY_1750)
    case = await t.new_case(**sector_api.body("property"))
    if case["status"] != "accepted":
        assert (await t.act(case["id"], "accept")).status_code == 200, case["status"]
    response = await client.post(
        f"/api/v1/cases/{case['id']}/clock-events", json={"event": "work_order_issued"}, headers=t.admin
    )
    assert response.status_code == 200, response.text
    clock.advance(timedelta(minutes=15))
    await scan_deadlines({"clock": clock})
    events = (await client.get(f"/api/v1/cases/{case['id']}/events", headers=t.admin)).json()
    fired = [e for e in events if e["action"] == "escalated" and e["data"].get("key") == "arrival"]
    assert len(fired) == 1 and fired[0]["data"]["notify"] == [{"kind": "role", "role": "maintenance_supervisor"}]
    return {"case": case, "event": fired[0]}


async def _told(t, case_id: str) -> set[str]:
    rows = (
        await TenantScope(t.id)
        .select(Notice)
        .where(Notice.case_id == case_id, Notice.event == "escalated", Notice.channel == "in_app")
    )
    return {str(r["user_id"]) for r in rows if r["user_id"]}


async def test_an_assigned_position_gets_the_s1_escalation_not_the_supervisors(make_tenant, client, clock):
    t = await make_tenant(sectors=["property"])
    holder = str(t.users["handler_b"])
    response = await client.put(f"{URL}/maintenance_supervisor", json={"user_ids": [holder]}, headers=t.admin)
    assert response.status_code == 200, response.text
    assert [u["id"] for u in response.json()["users"]] == [holder]
    fired = await _s1_overdue(client, t, clock)
    assert "role_fallback" not in fired["event"]["data"]
    assert await _told(t, fired["case"]["id"]) == {holder}


async def test_an_unheld_position_falls_back_to_the_supervisors_and_says_so(make_tenant, client, clock):
    t = await make_tenant(sectors=["property"])
    fired = await _s1_overdue(client, t, clock)
    assert fired["event"]["data"]["role_fallback"] == {"maintenance_supervisor": "supervisors"}
    assert await _told(t, fired["case"]["id"]) == {str(t.users["supervisor"])}


async def test_positions_listing_and_assignment(make_tenant, client):
    t = await make_tenant(sectors=["property"])
    listing = (await client.get(URL, headers=t.admin)).json()
    position = next(p for p in listing if p["code"] == "maintenance_supervisor")
    assert position["names"] == {"zh-CN": "维修主管", "en": "Maintenance supervisor"} and position["users"] == []
    users = [str(t.users["handler_a"]), str(t.users["handler_b"])]
    assert (await client.put(f"{URL}/maintenance_supervisor", json={"user_ids": users}, headers=t.admin)).is_success
    replaced = await client.put(f"{URL}/maintenance_supervisor", json={"user_ids": users[1:]}, headers=t.admin)
    assert [u["id"] for u in replaced.json()["users"]] == users[1:]
    audit = (await client.get("/api/v1/tenant/events", headers=t.admin)).json()["items"]
    afters = [e["data"]["after"] for e in audit if e["action"] == "position_assign"]
    assert sorted(afters, key=len) == [users[1:], sorted(users)]


async def test_positions_validation(make_tenant, client):
    t = await make_tenant(sectors=["property"])
    assert (await client.put(f"{URL}/duty_leader", json={"user_ids": []}, headers=t.admin)).status_code == 404
    assert (await client.put(f"{URL}/supervisor", json={"user_ids": []}, headers=t.admin)).status_code == 404
    unknown = await client.put(
        f"{URL}/maintenance_supervisor",
        json={"user_ids": [str(t.users["handler_a"]), "00000000-0000-4000-8000-000000000000"]},
        headers=t.admin,
    )
    assert unknown.status_code == 422 and unknown.json()["field"] == "user_ids[1]"
    gone = str(t.users["auditor"])
    assert (await client.patch(f"/api/v1/users/{gone}", json={"active": False}, headers=t.admin)).is_success
    inactive = await client.put(f"{URL}/maintenance_supervisor", json={"user_ids": [gone]}, headers=t.admin)
    assert inactive.status_code == 422 and inactive.json()["field"] == "user_ids[0]"
    by_handler = await client.put(
        f"{URL}/maintenance_supervisor", json={"user_ids": []}, headers=t.as_user("handler_a")
    )
    assert by_handler.status_code == 403
