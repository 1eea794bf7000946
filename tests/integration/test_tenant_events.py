"""GET /api/v1/tenant/events: the tenant's audit trail — who may read it, order, pages, filter."""

from __future__ import annotations

from datetime import timedelta

EVENTS = "/api/v1/tenant/events"


async def _change_calendar(t, client, closing_time: str, headers=None) -> None:
    response = await client.put(
        "/api/v1/tenant/calendar", json={"closing_time": closing_time}, headers=headers or t.admin
    )
    assert response.status_code == 200, response.text


async def test_tenant_admins_and_auditors_read_it_others_do_not(make_tenant, client):
    t = await make_tenant()
    await _change_calendar(t, client, "17:00", headers=t.as_user("admin"))
    for user in ("admin", "auditor"):
        response = await client.get(EVENTS, headers=t.as_user(user))
        assert response.status_code == 200, (user, response.text)
        [event] = response.json()["items"]
        assert event["action"] == "calendar_updated" and event["actor_kind"] == "user"
        assert event["actor_id"] == str(t.users["admin"]) and event["actor_name"] == "admin"
        assert event["at"] == "2026-03-02T01:00:00Z"
    for user in ("supervisor", "handler_a"):
        response = await client.get(EVENTS, headers=t.as_user(user))
        assert response.status_code == 403, (user, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
    # An auditor key needs the admin:read scope, like every other directory read.
    for scopes, status in ((["cases:read"], 403), (["cases:read", "admin:read"], 200)):
        key = await client.post(
            "/api/v1/api-keys", json={"name": "audit", "role": "auditor", "scopes": scopes}, headers=t.admin
        )
        response = await client.get(EVENTS, headers={"X-API-Key": key.json()["api_key"]})
        assert response.status_code == status, (scopes, response.text)


async def test_newest_first_in_pages_that_neither_skip_nor_repeat(make_tenant, client, clock):
    t = await make_tenant()
    # Three changes share a timestamp (the id breaks the tie), two come later.
    for closing in ("16:00", "16:10", "16:20"):
        await _change_calendar(t, client, closing)
    for closing in ("16:30", "16:40"):
        clock.advance(timedelta(minutes=5))
        await _change_calendar(t, client, closing)
    seen, cursor = [], None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = (await client.get(EVENTS, params=params, headers=t.admin)).json()
        assert len(page["items"]) <= 2
        seen += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == 5 and len({e["id"] for e in seen}) == 5
    whole = (await client.get(EVENTS, headers=t.admin)).json()["items"]
    assert [e["id"] for e in seen] == [e["id"] for e in whole]
    keys = [(e["at"], e["id"]) for e in whole]
    assert keys == sorted(keys, reverse=True)
    assert [e["data"]["after"]["closing_time"] for e in whole[:2]] == ["16:40", "16:30"]


async def test_filter_by_action(make_tenant, client):
    t = await make_tenant()
    await _change_calendar(t, client, "17:00")
    year = {"year": 2027, "holidays": ["2027-01-01"], "workdays": [], "source": "test fixture"}
    assert (await client.post("/api/v1/tenant/calendar/years", json=year, headers=t.admin)).status_code == 200
    imported = (await client.get(EVENTS, params={"action": "calendar_year_imported"}, headers=t.admin)).json()
    assert [e["action"] for e in imported["items"]] == ["calendar_year_imported"]
    assert imported["items"][0]["data"]["year"] == 2027
    assert len((await client.get(EVENTS, headers=t.admin)).json()["items"]) == 2
    none = (await client.get(EVENTS, params={"action": "no_such_action"}, headers=t.admin)).json()
    assert none == {"items": [], "next_cursor": None}


async def test_bad_cursor_and_limit_are_422_naming_the_field(make_tenant, client):
    t = await make_tenant()
    for params, field in (({"cursor": "not-a-cursor"}, "cursor"), ({"limit": 0}, "limit"), ({"limit": 201}, "limit")):
        response = await client.get(EVENTS, params=params, headers=t.admin)
        assert response.status_code == 422, response.text
        assert response.json()["field"] == field
