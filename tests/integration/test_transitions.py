"""Lifecycle rules through the API: legal moves, refusals with reasons, roles, races, crashes."""

from __future__ import annotations

import asyncio

import pytest
from harness import case_body


async def _accepted(t):
    case = await t.new_case()
    assert (await t.act(case["id"], "accept")).status_code == 200
    return case


async def test_illegal_transition_is_409_with_allowed_actions(make_tenant):
    t = await make_tenant()
    case = await t.new_case()
    response = await t.act(case["id"], "close")
    assert response.status_code == 409
    body = response.json()
    assert body["status"] == 409 and body["case_status"] == "registered"
    assert body["allowed_actions"] == ["accept", "not_accept", "transfer", "reply"]
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_unknown_action_is_422_naming_action(make_tenant):
    t = await make_tenant()
    case = await t.new_case()
    response = await t.act(case["id"], "teleport")
    assert response.status_code == 422
    assert response.json()["field"] == "action"


@pytest.mark.parametrize(
    ("action", "fields", "field"),
    [
        ("not_accept", {}, "ground"),
        ("not_accept", {"ground": "made_up"}, "ground"),
        ("not_accept", {"ground": "out_of_scope"}, "target"),
        ("transfer", {}, "target"),
        ("reply", {"reply": " "}, "reply"),
        ("accept", {"expected_version": 7}, "expected_version"),
    ],
)
async def test_action_specific_fields_are_checked(make_tenant, client, action, fields, field):
    t = await make_tenant()
    case = await t.new_case()
    response = await t.act(case["id"], action, **fields)
    assert response.status_code in (409, 422), response.text
    assert response.json()["field"] == field
    after = (await client.get(f"/api/v1/cases/{case['id']}", headers=t.admin)).json()
    assert after["status"] == "registered" and after["version"] == 1


async def test_not_accepted_with_ground_and_target(make_tenant, client):
    t = await make_tenant()
    case = await t.new_case()
    response = await t.act(case["id"], "not_accept", ground="legal_route", target="区人民法院")
    assert response.status_code == 200, response.text
    assert response.json()["not_accepted_ground"] == "legal_route"
    assert response.json()["allowed_actions"] == ["archive"]
    events = (await client.get(f"/api/v1/cases/{case['id']}/events", headers=t.admin)).json()
    assert next(e for e in events if e["action"] == "not_accept")["data"]["ground_kind"] == "not_accepted"


async def test_on_the_spot_reply_then_close(make_tenant):
    t = await make_tenant()
    case = await t.new_case()
    assert (await t.act(case["id"], "reply", reply="当场答复，投诉人表示满意。")).json()["status"] == "replied"
    assert (await t.act(case["id"], "close")).json()["status"] == "closed"


async def test_transfer_closes_only_with_reply_back(make_tenant):
    t = await make_tenant()
    case = await t.new_case()
    assert (await t.act(case["id"], "transfer", target="某县信访局")).json()["transfer_target"] == "某县信访局"
    missing = await t.act(case["id"], "close")
    assert missing.status_code == 422 and missing.json()["field"] == "reply_back"
    assert (await t.act(case["id"], "close", reply_back="县信访局已办结并答复。")).json()["status"] == "closed"


async def test_reopen_needs_reason_and_returns_to_work(make_tenant):
    t = await make_tenant()
    case = await _accepted(t)
    await t.act(case["id"], "start")
    await t.act(case["id"], "reply", reply="答复")
    assert (await t.act(case["id"], "reopen")).json()["field"] == "reason"
    reopened = await t.act(case["id"], "reopen", reason="review_request")
    assert reopened.json()["status"] == "reopened"
    assert "assign" in reopened.json()["allowed_actions"]
    await t.act(case["id"], "start")
    await t.act(case["id"], "reply", reply="复查答复")
    await t.act(case["id"], "close")
    archived = await t.act(case["id"], "archive", archive_class="special")
    assert archived.json()["status"] == "archived" and archived.json()["allowed_actions"] == []


@pytest.mark.parametrize(
    ("user", "action"),
    [("auditor", "accept"), ("handler_a", "accept"), ("handler_a", "assign"), ("auditor", "start")],
)
async def test_roles_are_enforced_with_403(make_tenant, client, user, action):
    t = await make_tenant()
    case = await _accepted(t) if action != "accept" else await t.new_case()
    fields = {"lead_department_id": str(t.departments["A"])} if action == "assign" else {}
    response = await t.act(case["id"], action, headers=t.as_user(user), **fields)
    assert response.status_code == 403, response.text
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_handlers_work_only_on_their_departments_cases(make_tenant):
    t = await make_tenant()
    case = await _accepted(t)
    await t.act(case["id"], "assign", lead_department_id=str(t.departments["A"]))
    assert (await t.act(case["id"], "start", headers=t.as_user("handler_b"))).status_code == 403
    assert (await t.act(case["id"], "start", headers=t.as_user("handler_a"))).status_code == 200


async def test_cooperating_department_handler_may_reply(make_tenant):
    t = await make_tenant()
    case = await _accepted(t)
    await t.act(
        case["id"],
        "assign",
        lead_department_id=str(t.departments["A"]),
        cooperating_department_ids=[str(t.departments["B"])],
    )
    await t.act(case["id"], "start", headers=t.as_user("handler_a"))
    assert (await t.act(case["id"], "reply", headers=t.as_user("handler_b"), reply="协办答复")).status_code == 200


async def test_read_only_api_key_cannot_write(make_tenant, client):
    t = await make_tenant()
    key = (
        await client.post(
            "/api/v1/api-keys", json={"name": "dashboard", "role": "auditor", "scopes": ["cases:read"]}, headers=t.admin
        )
    ).json()["api_key"]
    headers = {"Authorization": f"Bearer {key}"}
    assert (await client.get("/api/v1/cases", headers=headers)).status_code == 200
    response = await client.post("/api/v1/cases", json={}, headers=headers)
    assert response.status_code == 403


async def test_concurrent_transitions_exactly_one_wins(make_tenant, client):
    t = await make_tenant()
    for _ in range(3):
        case = await t.new_case()
        # Mutually exclusive moves out of "registered": whichever runs first, the rest are stale.
        results = await asyncio.gather(
            t.act(case["id"], "accept"),
            t.act(case["id"], "accept"),
            t.act(case["id"], "not_accept", ground="no_substance"),
            t.act(case["id"], "reply", reply="当场答复"),
        )
        codes = sorted(r.status_code for r in results)
        assert codes == [200, 409, 409, 409], [r.text for r in results]
        events = (await client.get(f"/api/v1/cases/{case['id']}/events", headers=t.admin)).json()
        events = [e for e in events if not e["action"].startswith("clock_") and e["action"] != "escalated"]
        assert [e["action"] for e in events][:2] == ["register", "route"]  # the plugin's routing
        assert len(events) == 3
        assert (await client.get(f"/api/v1/cases/{case['id']}", headers=t.admin)).json()["version"] == 2


async def test_expected_version_guards_stale_writes(make_tenant):
    t = await make_tenant()
    case = await t.new_case()
    assert (await t.act(case["id"], "accept", expected_version=1)).status_code == 200
    stale = await t.act(case["id"], "start", expected_version=1)
    assert stale.status_code == 409 and stale.json()["current_version"] == 2


async def test_crash_between_steps_leaves_case_unchanged(make_tenant, client, monkeypatch):
    """The case row is updated before its event is written; if writing the event fails the whole
    transition must roll back — no status change without its timeline entry."""
    import core.transitions

    t = await make_tenant()
    case = await t.new_case()

    async def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(core.transitions, "append_event", boom)
    response = await t.act(case["id"], "accept")
    assert response.status_code == 500
    assert response.json()["detail"] == "An unexpected error occurred; it has been logged."
    monkeypatch.undo()
    after = (await client.get(f"/api/v1/cases/{case['id']}", headers=t.admin)).json()
    assert after["status"] == "registered" and after["version"] == 1
    actions = [e["action"] for e in (await client.get(f"/api/v1/cases/{case['id']}/events", headers=t.admin)).json()]
    assert [a for a in actions if not a.startswith("clock_") and a != "escalated"] == ["register", "route"]
    assert "clock_met" not in actions  # the rolled-back accept left no trace in the clocks either
    assert (await t.act(case["id"], "accept")).status_code == 200


async def test_crash_during_intake_writes_nothing(make_tenant, client, monkeypatch):
    import core.intake

    t = await make_tenant()

    async def boom(*args, **kwargs):
        raise RuntimeError("power cut")

    monkeypatch.setattr(core.intake, "append_event", boom)
    response = await client.post("/api/v1/cases", json=case_body(), headers={**t.admin, "Idempotency-Key": "x"})
    assert response.status_code == 500
    monkeypatch.undo()
    assert (await client.get("/api/v1/cases", headers=t.admin)).json()["items"] == []
    # The counter rolled back too: the next case is still No. 1, and the key is free again.
    created = await t.new_case()
    assert created["number"] == 1
