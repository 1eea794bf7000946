"""The case lifecycle through the HTTP API, end to end."""

from __future__ import annotations


async def test_register_accept_assign_reply_close_and_public_lookup(make_tenant, client):
    t = await make_tenant()
    created = await t.new_case()
    assert created["status"] == "registered"
    assert created["number"] == 1
    assert len(created["access_pin"]) == 8
    case_id = created["id"]

    r = await t.act(case_id, "accept")
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "accepted"
    r = await t.act(
        case_id,
        "assign",
        lead_department_id=str(t.departments["A"]),
        cooperating_department_ids=[str(t.departments["B"])],
    )
    assert r.status_code == 200, r.text
    assert r.json()["lead_department_id"] == str(t.departments["A"])
    assert r.json()["cooperating_department_ids"] == [str(t.departments["B"])]
    r = await t.act(case_id, "start", headers=t.as_user("handler_a"))
    assert r.status_code == 200, r.text
    r = await t.act(case_id, "reply", headers=t.as_user("handler_a"), reply="已责成城管部门清理占道摊贩。")
    assert r.status_code == 200, r.text
    r = await t.act(case_id, "close")
    assert r.json()["status"] == "closed"

    timeline = (await client.get(f"/api/v1/cases/{case_id}/events", headers=t.admin)).json()
    assert [e["seq"] for e in timeline] == list(range(1, len(timeline) + 1))
    # Deadline and escalation events interleave (tests/integration/test_deadline_clocks.py covers them).
    events = [e for e in timeline if not e["action"].startswith("clock_") and e["action"] != "escalated"]
    # "route" is the petition plugin proposing departments by category (seed 004 L19).
    assert [e["action"] for e in events] == ["register", "route", "accept", "assign", "start", "reply", "close"]
    assert events[5]["actor_name"] == "handler_a"
    assert events[2]["before"]["status"] == "registered" and events[2]["after"]["status"] == "accepted"
    assert events[6]["data"]["unit_seal"] is True

    lookup = await client.post(
        "/api/v1/public/lookup",
        json={"tracking_code": created["tracking_code"], "pin": created["access_pin"]},
        headers={"Accept-Language": "zh-CN"},
    )
    assert lookup.status_code == 200, lookup.text
    view = lookup.json()
    assert view["status"] == "closed" and view["status_label"] == "已办结"
    assert view["reply"] == "已责成城管部门清理占道摊贩。"
    assert "complainant" not in view and "description" not in view
    assert "张三" not in lookup.text and "13800000000" not in lookup.text
