"""Listing with filters and cursors; the complainant's public look-up; health and OpenAPI."""

from __future__ import annotations

from datetime import timedelta


async def test_cursor_pagination_walks_every_case_once(make_tenant, client, clock):
    t = await make_tenant()
    ids = []
    for i in range(7):
        clock.advance(timedelta(minutes=1))
        ids.append((await t.new_case(subject=f"事项{i}"))["id"])
    seen, cursor, pages = [], None, 0
    while True:
        url = "/api/v1/cases?limit=3" + (f"&cursor={cursor}" if cursor else "")
        page = (await client.get(url, headers=t.admin)).json()
        seen += [c["id"] for c in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert pages == 3
    assert seen == list(reversed(ids))  # newest first, no repeats, nothing skipped


async def test_filters(make_tenant, client):
    t = await make_tenant()
    water = await t.new_case(subject="拖欠工资三个月", category="labour.wages", channel="phone")
    await t.new_case(subject="路灯不亮", category="urban", channel="web")
    await t.act(water["id"], "accept")
    await t.act(water["id"], "assign", lead_department_id=str(t.departments["B"]))

    async def ids(query: str) -> set[str]:
        response = await client.get(f"/api/v1/cases?{query}", headers=t.admin)
        assert response.status_code == 200, response.text
        return {c["id"] for c in response.json()["items"]}

    assert await ids("status=assigned") == {water["id"]}
    assert len(await ids("status=assigned&status=registered")) == 2
    assert await ids("category=labour.wages") == {water["id"]}
    assert await ids("channel=phone") == {water["id"]}
    assert await ids("q=工资") == {water["id"]}  # Chinese substring
    assert await ids(f"q={water['tracking_code']}") == {water["id"]}
    assert await ids(f"department_id={t.departments['B']}") == {water["id"]}
    assert await ids(f"department_id={t.departments['A']}") == set()
    assert await ids("created_from=2030-01-01T00:00:00Z") == set()
    bad = await client.get("/api/v1/cases?status=lost", headers=t.admin)
    assert bad.status_code == 422 and bad.json()["field"] == "status"
    bad = await client.get("/api/v1/cases?cursor=%%%", headers=t.admin)
    assert bad.status_code == 422 and bad.json()["field"] == "cursor"
    bad = await client.get("/api/v1/cases?limit=0", headers=t.admin)
    assert bad.status_code == 422


async def test_confidential_complainant_is_withheld_from_handlers(make_tenant, client):
    t = await make_tenant()
    case = await t.new_case(confidential=True)
    await t.act(case["id"], "accept")
    await t.act(case["id"], "assign", lead_department_id=str(t.departments["A"]))
    handler_view = (await client.get(f"/api/v1/cases/{case['id']}", headers=t.as_user("handler_a"))).json()
    assert "complainant" in handler_view, handler_view
    assert handler_view["complainant"] is None and handler_view["complainant_withheld"] is True
    supervisor_view = (await client.get(f"/api/v1/cases/{case['id']}", headers=t.as_user("supervisor"))).json()
    assert supervisor_view["complainant"]["name"] == "张三"
    open_case = await t.new_case()
    auditor_view = (await client.get(f"/api/v1/cases/{open_case['id']}", headers=t.as_user("auditor"))).json()
    assert auditor_view["complainant"]["id_number"] == "**************1234"


async def test_public_lookup_wrong_pin_or_code_says_the_same(make_tenant, client):
    t = await make_tenant()
    case = await t.new_case()
    wrong_pin = await client.post(
        "/api/v1/public/lookup", json={"tracking_code": case["tracking_code"], "pin": "00000000"}
    )
    wrong_code = await client.post(
        "/api/v1/public/lookup", json={"tracking_code": "ZZZZ-ZZZZ", "pin": case["access_pin"]}
    )
    assert wrong_pin.status_code == wrong_code.status_code == 404
    assert wrong_pin.json() == wrong_code.json()
    # Codes are forgiving about case, spaces and look-alike letters when read out on the phone.
    relaxed = case["tracking_code"].lower().replace("-", " ").replace("0", "o")
    ok = await client.post(
        "/api/v1/public/lookup",
        json={"tracking_code": relaxed, "pin": case["access_pin"]},
        headers={"Accept-Language": "en-GB,en;q=0.9"},
    )
    assert ok.status_code == 200, ok.text
    assert ok.json()["status_label"] == "Registered"
    assert [m["status"] for m in ok.json()["milestones"]] == ["registered"]


async def test_public_lookup_hides_reply_until_replied(make_tenant, client):
    t = await make_tenant()
    case = await t.new_case()
    creds = {"tracking_code": case["tracking_code"], "pin": case["access_pin"]}
    await t.act(case["id"], "not_accept", ground="out_of_scope", target="市市场监督管理局")
    view = (await client.post("/api/v1/public/lookup", json=creds)).json()
    assert view["status_label"] == "不予受理" and view["not_accepted_ground"] == "out_of_scope"
    assert view["reply"] is None


async def test_public_lookup_is_rate_limited(make_tenant, client, app, monkeypatch, clock):
    from dataclasses import replace

    clock.advance(timedelta(days=401))  # a fresh window that no other test has counted in
    monkeypatch.setattr(app.state, "settings", replace(app.state.settings, public_lookup_rate=2))
    codes = [
        (await client.post("/api/v1/public/lookup", json={"tracking_code": "AAAA-AAAA", "pin": "12345678"})).status_code
        for _ in range(4)
    ]
    assert codes == [404, 404, 429, 429]


async def test_health(client):
    assert (await client.get("/health/live")).json() == {"status": "ok"}
    ready = await client.get("/health/ready")
    assert ready.status_code == 200
    assert ready.json()["checks"] == {"database": "ok", "redis": "ok"}


async def test_readiness_reports_a_broken_redis(client, app, monkeypatch):
    class Dead:
        async def ping(self):
            raise ConnectionError("gone")

    monkeypatch.setattr(app.state, "redis", Dead())
    ready = await client.get("/health/ready")
    assert ready.status_code == 503 and ready.json()["checks"]["redis"].startswith("error")


async def test_openapi_documents_the_api(client):
    schema = (await client.get("/schema/openapi.json")).json()
    paths = schema["paths"]
    for path in (
        "/api/v1/cases",
        "/api/v1/cases/{case_id}",
        "/api/v1/cases/{case_id}/transitions",
        "/api/v1/cases/{case_id}/events",
        "/api/v1/public/lookup",
        "/health/ready",
    ):
        assert path in paths, path
    body = paths["/api/v1/cases/{case_id}/transitions"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert "oneOf" in body or "$ref" in body


async def test_unknown_route_is_a_problem(client):
    response = await client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
