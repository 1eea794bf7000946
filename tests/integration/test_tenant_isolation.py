"""Tenants never see each other's data — checked from the outside, for every endpoint.

The table below names a request for every route of the app that takes a tenant credential.
``test_every_route_is_covered`` fails when a new route is added without an entry here, so the
isolation check cannot silently fall behind the API.
"""

from __future__ import annotations

import pytest

# (method, path template, body) — {case}, {dept}, {user}, {key}, {clock}, {notice}, {letter},
# {message} are tenant A's ids (a letter is "<notice id>.pdf").
CROSS_TENANT_REQUESTS = [
    ("GET", "/api/v1/cases/{case}", None),
    ("GET", "/api/v1/cases/{case}/events", None),
    ("POST", "/api/v1/cases/{case}/transitions", {"action": "accept"}),
    ("GET", "/api/v1/cases/{case}/clocks", None),
    ("POST", "/api/v1/cases/{case}/clocks/{clock}/pause", {"reason": "等待补充材料"}),
    ("POST", "/api/v1/cases/{case}/clocks/{clock}/resume", {"reason": "材料已收到"}),
    ("POST", "/api/v1/cases/{case}/clocks/{clock}/extend", {"amount": 1, "reason": "情况复杂"}),
    ("POST", "/api/v1/cases/{case}/clock-events", {"event": "signed_for"}),
    ("GET", "/api/v1/departments/{dept}", None),
    ("PATCH", "/api/v1/departments/{dept}", {"name_zh": "篡改"}),
    ("GET", "/api/v1/users/{user}", None),
    ("PATCH", "/api/v1/users/{user}", {"display_name": "hijacked"}),
    ("DELETE", "/api/v1/api-keys/{key}", None),
    ("GET", "/api/v1/notices/{notice}", None),
    ("POST", "/api/v1/notices/{notice}/retry", None),
    ("GET", "/api/v1/cases/{case}/letters/{letter}", None),
    ("POST", "/api/v1/inbox/{message}/read", None),
]
# Collection routes: tenant B's answer must not contain any of tenant A's rows.
COLLECTION_REQUESTS = [
    ("GET", "/api/v1/cases"),
    ("GET", "/api/v1/departments"),
    ("GET", "/api/v1/users"),
    ("GET", "/api/v1/api-keys"),
    ("GET", "/api/v1/auth/me"),
    ("GET", "/api/v1/categories"),
    ("GET", "/api/v1/tenant/plugins"),
    ("GET", "/api/v1/plugins"),  # installed plugins: the same for every tenant, no tenant data
    ("GET", "/api/v1/overdue"),
    ("GET", "/api/v1/warnings"),
    ("GET", "/api/v1/tenant/calendar"),
    ("GET", "/api/v1/tenant/events"),  # see also test_audit_trails_are_per_tenant
    ("GET", "/api/v1/notices"),
    ("GET", "/api/v1/inbox"),  # see also tests/integration/test_notice_api.py (staff inboxes)
    ("GET", "/api/v1/tenant/templates"),
    ("GET", "/api/v1/tenant/channels"),
    ("GET", "/api/v1/tenant/positions"),  # see also test_positions_are_per_tenant
]
# Per-tenant settings addressed by a name, not an id: covered by showing one tenant's change
# leaves the other's untouched.
SETTINGS_REQUESTS = [
    ("GET", "/api/v1/tenant/plugins/{key:str}"),
    ("PUT", "/api/v1/tenant/plugins/{key:str}"),
    ("PUT", "/api/v1/tenant/calendar"),
    ("POST", "/api/v1/tenant/calendar/years"),
    # see test_notice_templates_and_channels_are_per_tenant
    ("GET", "/api/v1/tenant/templates/{key:path}"),
    ("PUT", "/api/v1/tenant/templates/{key:path}"),
    ("DELETE", "/api/v1/tenant/templates/{key:path}"),
    ("POST", "/api/v1/tenant/templates/{key:path}"),  # …/{key}/preview
    ("GET", "/api/v1/tenant/channels/{channel:str}"),
    ("PUT", "/api/v1/tenant/channels/{channel:str}"),
    ("PUT", "/api/v1/tenant/positions/{code:str}"),  # see test_positions_are_per_tenant
]
# Routes that create rows: covered by showing the row lands in the caller's own tenant.
CREATE_REQUESTS = [
    ("POST", "/api/v1/cases"),
    ("POST", "/api/v1/departments"),
    ("POST", "/api/v1/users"),
    ("POST", "/api/v1/api-keys"),
]
PUBLIC_ROUTES = {
    "/api/v1/public/lookup", "/api/v1/auth/login", "/health/live", "/health/ready", "/track", "/console", "/",
    "/metrics",  # Prometheus exposition: counters and queue sizes, no tenant data
}  # fmt: skip


def _route_keys(app) -> set[tuple[str, str]]:
    keys = set()
    for route in app.routes:
        path = route.path
        if path.startswith("/schema") or path in PUBLIC_ROUTES:
            continue
        for method in getattr(route, "methods", set()) - {"HEAD", "OPTIONS"}:
            normalised = path
            for param, name in {
                "{case_id:uuid}": "{case}",
                "{department_id:uuid}": "{dept}",
                "{user_id:uuid}": "{user}",
                "{key_id:uuid}": "{key}",
                "{clock_id:uuid}": "{clock}",
                "{notice_id:uuid}": "{notice}",
                "{message_id:uuid}": "{message}",
                "{file_name:str}": "{letter}",
            }.items():
                normalised = normalised.replace(param, name)
            keys.add((method, normalised.rstrip("/") or "/"))
    return keys


def test_every_route_is_covered(app):
    covered = (
        {(m, p) for m, p, _ in CROSS_TENANT_REQUESTS}
        | set(COLLECTION_REQUESTS)
        | set(CREATE_REQUESTS)
        | set(SETTINGS_REQUESTS)
    )
    missing = _route_keys(app) - covered
    assert not missing, f"routes without a cross-tenant check: {sorted(missing)}"


@pytest.fixture
async def two_tenants(make_tenant, client):
    a = await make_tenant()
    b = await make_tenant()
    case = await a.new_case(subject="甲单位的机密投诉")
    keys = (await client.get("/api/v1/api-keys", headers=a.admin)).json()
    ids = {"case": case["id"], "dept": str(a.departments["A"]), "user": str(a.users["handler_a"]), "key": keys[0]["id"],
           "clock": case["clocks"][0]["id"]}
    ids.update(await _notice_rows(a, case))
    return a, b, ids, case


async def _notice_rows(a, case) -> dict[str, str]:
    """Tenant A's outbox rows the notice routes address: a failed notice (retryable by A), a
    delivered letter with its PDF, and an in-app message in handler_a's inbox."""
    from datetime import UTC, datetime

    from core.tables import InAppMessage, Notice, NoticeLetter
    from tenants.scope import TenantScope

    scope, now = TenantScope(a.id), datetime.now(UTC)
    common = {"case_id": case["id"], "event": "register", "template": "registered", "template_event": "registered",
              "recipient_kind": "complainant", "next_attempt_at": now, "created_at": now, "updated_at": now}
    failed = await scope.insert(Notice, channel="sms", recipient="13800000000", state="failed", last_error="HTTP 400",
                                **common)
    letter = await scope.insert(Notice, channel="letter", state="sent", written=True, **common)
    await scope.insert(NoticeLetter, notice_id=letter.id, case_id=case["id"], pdf=b"%PDF-1.7 test", created_at=now)
    message = await scope.insert(InAppMessage, notice_id=failed.id, user_id=a.users["handler_a"], case_id=case["id"],
                                 subject=case["subject"], body="", created_at=now)
    return {"notice": str(failed.id), "letter": f"{letter.id}.pdf", "message": str(message.id)}


@pytest.mark.parametrize(("method", "template", "body"), CROSS_TENANT_REQUESTS)
@pytest.mark.parametrize("credential", ["api_key", "staff_token"])
async def test_other_tenants_ids_answer_404_and_change_nothing(two_tenants, client, method, template, body, credential):
    a, b, ids, case = two_tenants
    headers = b.admin if credential == "api_key" else b.as_user("admin")
    url = template.format(**ids)
    # Clock actions change the case's clocks: compare the case (which shows them) before and after.
    readable = f"/api/v1/cases/{ids['case']}" if "/clock" in url else url.split("/transitions")[0]
    readable = readable.removesuffix("/retry")  # a retry would change the notice
    reader = a.admin
    if url.startswith("/api/v1/inbox/"):  # marking read would change handler_a's inbox
        readable, reader = "/api/v1/inbox", a.as_user("handler_a")
    before = (await client.get(readable, headers=reader)).text if method != "DELETE" else None
    response = await client.request(method, url, json=body, headers=headers)
    assert response.status_code == 404, (url, response.status_code, response.text)
    assert response.headers["content-type"].startswith("application/problem+json")
    assert case["subject"] not in response.text and ids["case"] not in response.text
    # A non-existent id answers exactly the same way: nothing distinguishes "someone else's".
    ghost = template.format(**{k: "00000000-0000-4000-8000-000000000000" for k in ids})
    ghost_response = await client.request(method, ghost, json=body, headers=headers)
    assert ghost_response.status_code == 404
    assert ghost_response.json()["detail"] == response.json()["detail"]
    if before is not None:
        assert (await client.get(readable, headers=reader)).text == before
    keys = (await client.get("/api/v1/api-keys", headers=a.admin)).json()
    assert all(k["revoked_at"] is None for k in keys)


@pytest.mark.parametrize(("method", "path"), COLLECTION_REQUESTS)
async def test_collections_show_only_own_rows(two_tenants, client, method, path):
    a, b, ids, case = two_tenants
    response = await client.request(method, path, headers=b.admin)
    assert response.status_code == 200, response.text
    text = response.text
    for value in (case["id"], case["tracking_code"], ids["dept"], ids["user"], ids["key"], str(a.id), a.slug):
        assert value not in text, (path, value)


async def test_created_rows_land_in_the_callers_tenant(two_tenants, client):
    a, b, _ids, _ = two_tenants
    created = await b.new_case(subject="乙单位的投诉")
    assert created["number"] == 1  # numbering is per tenant: both tenants have a case No. 1
    assert (await client.get(f"/api/v1/cases/{created['id']}", headers=a.admin)).status_code == 404
    first = await client.post("/api/v1/departments", json={"code": "Z", "name_zh": "甲的部门Z"}, headers=a.admin)
    dept = await client.post("/api/v1/departments", json={"code": "Z", "name_zh": "乙的部门Z"}, headers=b.admin)
    assert (first.status_code, dept.status_code) == (201, 201), dept.text  # codes are per tenant
    again = await client.post("/api/v1/departments", json={"code": "Z", "name_zh": "重复"}, headers=b.admin)
    assert again.status_code == 422 and again.json()["field"] == "code"
    for t in (a, b):  # usernames are per tenant too
        user = await client.post(
            "/api/v1/users",
            json={"username": "newcomer", "password": "long-enough-pw", "roles": ["auditor"]},
            headers=t.admin,
        )
        assert user.status_code == 201, user.text
    key = await client.post("/api/v1/api-keys", json={"name": "crm", "role": "handler"}, headers=b.admin)
    assert key.status_code == 201
    listed = (await client.get("/api/v1/users", headers=a.admin)).json()
    assert user.json()["id"] not in {u["id"] for u in listed}


async def test_assigning_another_tenants_department_is_refused(two_tenants, client):
    _a, b, ids, _ = two_tenants
    own = await b.new_case()
    await b.act(own["id"], "accept")
    response = await b.act(own["id"], "assign", lead_department_id=ids["dept"])
    assert response.status_code == 422
    assert response.json()["field"] == "lead_department_id"


async def test_tenant_cannot_be_chosen_by_the_client(two_tenants, client):
    a, b, _ids, _ = two_tenants
    response = await client.post(
        "/api/v1/cases",
        json={
            "sector": "gov_petition",
            "category": "x",
            "channel": "web",
            "subject": "s",
            "description": "d",
            "anonymous": True,
            "tenant_id": str(a.id),
        },
        headers=b.admin,
    )
    assert response.status_code == 422
    assert response.json()["field"] == "tenant_id"


async def test_plugin_settings_are_per_tenant(two_tenants, client):
    a, b, _ids, _ = two_tenants
    override = {"config": {"categories": {"rename": {"urban": {"zh-CN": "城市管理（甲）", "en": "City (A)"}}}}}
    response = await client.put("/api/v1/tenant/plugins/gov_petition", json=override, headers=a.admin)
    assert response.status_code == 200, response.text
    mine = (await client.get("/api/v1/tenant/plugins/gov_petition", headers=a.admin)).json()
    theirs = (await client.get("/api/v1/tenant/plugins/gov_petition", headers=b.admin)).json()
    assert mine["version"] == 2 and mine["overrides"] == override["config"]
    assert theirs["version"] == 1 and theirs["overrides"] == {}
    a_tree = (await client.get("/api/v1/categories", headers=a.admin)).text
    b_tree = (await client.get("/api/v1/categories", headers=b.admin)).text
    assert "城市管理（甲）" in a_tree and "城市管理（甲）" not in b_tree
    await client.put("/api/v1/tenant/plugins/gov_petition", json={"config": {}}, headers=b.admin)
    still = (await client.get("/api/v1/tenant/plugins/gov_petition", headers=a.admin)).json()
    assert still["overrides"] == override["config"]


async def test_calendar_settings_are_per_tenant(two_tenants, client):
    a, b, _ids, _ = two_tenants
    changed = await client.put("/api/v1/tenant/calendar", json={"closing_time": "17:30"}, headers=b.admin)
    assert changed.status_code == 200, changed.text
    year = {"year": 2027, "holidays": ["2027-01-01"], "workdays": [], "source": "test fixture"}
    assert (await client.post("/api/v1/tenant/calendar/years", json=year, headers=b.admin)).status_code == 200
    mine = (await client.get("/api/v1/tenant/calendar", headers=a.admin)).json()
    theirs = (await client.get("/api/v1/tenant/calendar", headers=b.admin)).json()
    assert mine["version"] == 0 and mine["settings"]["closing_time"] is None and mine["imported_years"] == []
    assert theirs["version"] == 2 and theirs["settings"]["closing_time"] == "17:30"
    assert theirs["imported_years"] == [2027]


async def test_audit_trails_are_per_tenant(two_tenants, client):
    a, b, _ids, _ = two_tenants
    assert (await client.put("/api/v1/tenant/calendar", json={"closing_time": "17:00"}, headers=a.admin)).is_success
    assert (await client.put("/api/v1/tenant/calendar", json={"closing_time": "16:00"}, headers=b.admin)).is_success
    mine = (await client.get("/api/v1/tenant/events", headers=a.admin)).json()["items"]
    theirs = (await client.get("/api/v1/tenant/events", headers=b.as_user("auditor"))).json()["items"]
    assert [e["data"]["after"]["closing_time"] for e in mine] == ["17:00"]
    assert [e["data"]["after"]["closing_time"] for e in theirs] == ["16:00"]
    assert {e["actor_id"] for e in mine}.isdisjoint({e["actor_id"] for e in theirs})


async def test_notice_templates_and_channels_are_per_tenant(two_tenants, client):
    a, b, _ids, _ = two_tenants
    key = "/api/v1/tenant/templates/gov_petition/not_accepted.letter.zh-CN"
    source = '{% extends builtin_template %}{% block title %}甲单位告知书{% endblock %}'
    assert (await client.put(key, json={"source": source}, headers=a.admin)).status_code == 200
    sms = {"url": "https://sms.example.org/send", "token": "a-secret-token-of-tenant-a"}
    assert (await client.put("/api/v1/tenant/channels/sms", json={"config": sms}, headers=a.admin)).status_code == 200
    theirs = (await client.get(key, headers=b.admin)).json()
    assert theirs["override"] is False and "甲单位告知书" not in theirs["source"]
    assert (await client.post(f"{key}/preview", json={}, headers=b.admin)).json()["subject"] != "甲单位告知书"
    assert (await client.delete(key, headers=b.admin)).status_code == 404  # B has nothing to revert
    assert (await client.get(key, headers=a.admin)).json()["override"] is True
    assert (await client.get("/api/v1/tenant/channels/sms", headers=b.admin)).json()["configured"] is False
    b_sms = {"url": "https://sms.example.net/b", "token": "tenant-b-token-0000"}
    assert (await client.put("/api/v1/tenant/channels/sms", json={"config": b_sms}, headers=b.admin)).status_code == 200
    mine = (await client.get("/api/v1/tenant/channels/sms", headers=a.admin)).json()
    assert mine["config"]["url"] == sms["url"] and mine["version"] == 1


async def test_positions_are_per_tenant(two_tenants, client):
    a, b, ids, _ = two_tenants
    url = "/api/v1/tenant/positions/duty_leader"
    assert (await client.put(url, json={"user_ids": [ids["user"]]}, headers=a.admin)).status_code == 200
    stolen = await client.put(url, json={"user_ids": [ids["user"]]}, headers=b.admin)  # A's user, B's position
    assert stolen.status_code == 422 and stolen.json()["errors"][0]["field"] == "user_ids[0]"
    own = str(b.users["supervisor"])
    assert (await client.put(url, json={"user_ids": [own]}, headers=b.admin)).status_code == 200

    def holders(listing):
        return next([u["id"] for u in p["users"]] for p in listing.json() if p["code"] == "duty_leader")

    assert holders(await client.get("/api/v1/tenant/positions", headers=a.admin)) == [ids["user"]]
    assert holders(await client.get("/api/v1/tenant/positions", headers=b.admin)) == [own]
