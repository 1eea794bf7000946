"""Credentials: tokens and API keys, expiry, revocation, deactivation, one answer for bad log-ins."""

from __future__ import annotations

from datetime import timedelta

from harness import PASSWORD


async def test_no_credential_is_401_problem(client):
    response = await client.get("/api/v1/cases")
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.headers["www-authenticate"] == "Bearer"


async def test_garbage_credentials_are_401(client):
    for header in ("Bearer nonsense", "Bearer cdk_0123456789ab_wrong", "Basic dXNlcjpwYXNz"):
        assert (await client.get("/api/v1/cases", headers={"Authorization": header})).status_code == 401


async def test_bad_logins_all_look_the_same(make_tenant, client):
    t = await make_tenant()
    answers = [
        await client.post("/api/v1/auth/login", json={"tenant": t.slug, "username": "admin", "password": "wrong-one"}),
        await client.post("/api/v1/auth/login", json={"tenant": t.slug, "username": "ghost", "password": PASSWORD}),
        await client.post("/api/v1/auth/login", json={"tenant": "no-such", "username": "admin", "password": PASSWORD}),
    ]
    assert {r.status_code for r in answers} == {401}
    assert len({r.json()["detail"] for r in answers}) == 1


async def test_me_describes_the_caller(make_tenant, client):
    t = await make_tenant()
    me = (await client.get("/api/v1/auth/me", headers=t.as_user("handler_a"))).json()
    assert me["tenant_slug"] == t.slug and me["roles"] == ["handler"]
    assert me["department_id"] == str(t.departments["A"])
    key_me = (await client.get("/api/v1/auth/me", headers=t.admin)).json()
    assert key_me["actor_kind"] == "api_key" and key_me["roles"] == ["tenant_admin"]


async def test_token_expires_on_the_injected_clock(make_tenant, client, clock, settings):
    t = await make_tenant()
    headers = t.as_user("supervisor")
    assert (await client.get("/api/v1/cases", headers=headers)).status_code == 200
    clock.advance(timedelta(minutes=settings.token_ttl_minutes + 1))
    response = await client.get("/api/v1/cases", headers=headers)
    assert response.status_code == 401 and "expired" in response.json()["detail"]


async def test_deactivated_user_is_locked_out_at_once(make_tenant, client):
    t = await make_tenant()
    headers = t.as_user("supervisor")
    r = await client.patch(f"/api/v1/users/{t.users['supervisor']}", json={"active": False}, headers=t.admin)
    assert r.status_code == 200 and r.json()["active"] is False
    assert (await client.get("/api/v1/cases", headers=headers)).status_code == 401


async def test_revoked_api_key_stops_working(make_tenant, client):
    t = await make_tenant()
    created = (await client.post("/api/v1/api-keys", json={"name": "crm", "role": "handler"}, headers=t.admin)).json()
    key_headers = {"X-API-Key": created["api_key"]}
    assert (await client.get("/api/v1/cases", headers=key_headers)).status_code == 200
    listed = (await client.get("/api/v1/api-keys", headers=t.admin)).json()
    assert all("api_key" not in k and "digest" not in k for k in listed)
    assert (await client.delete(f"/api/v1/api-keys/{created['id']}", headers=t.admin)).status_code == 200
    response = await client.get("/api/v1/cases", headers=key_headers)
    assert response.status_code == 401 and "revoked" in response.json()["detail"]


async def test_only_tenant_admins_manage_the_directory(make_tenant, client):
    t = await make_tenant()
    for user in ("supervisor", "handler_a", "auditor"):
        r = await client.post("/api/v1/departments", json={"code": "X", "name_zh": "新部门"}, headers=t.as_user(user))
        assert r.status_code == 403, (user, r.text)
    assert (await client.get("/api/v1/users", headers=t.as_user("handler_a"))).status_code == 403
    assert (await client.get("/api/v1/users", headers=t.as_user("auditor"))).status_code == 200


async def test_user_rules(make_tenant, client):
    t = await make_tenant()
    r = await client.post(
        "/api/v1/users", json={"username": "h2", "password": "long-enough-pw", "roles": ["handler"]}, headers=t.admin
    )
    assert r.status_code == 422 and r.json()["field"] == "department_id"
    r = await client.post(
        "/api/v1/users", json={"username": "h2", "password": "short", "roles": ["auditor"]}, headers=t.admin
    )
    assert r.status_code == 422 and r.json()["field"] == "password"
    r = await client.patch(f"/api/v1/users/{t.users['admin']}", json={"roles": ["auditor"]}, headers=t.as_user("admin"))
    assert r.status_code == 422  # nobody locks themselves out
    r = await client.patch(
        f"/api/v1/users/{t.users['handler_a']}", json={"password": "a-new-long-password"}, headers=t.admin
    )
    assert r.status_code == 200
    login = await client.post(
        "/api/v1/auth/login", json={"tenant": t.slug, "username": "handler_a", "password": "a-new-long-password"}
    )
    assert login.status_code == 200


async def test_login_is_rate_limited(make_tenant, client, app, monkeypatch, clock):
    from dataclasses import replace

    t = await make_tenant()
    clock.advance(timedelta(days=400))  # a fresh window that no other test has counted in
    monkeypatch.setattr(app.state, "settings", replace(app.state.settings, login_rate=3))
    codes = [
        (await client.post("/api/v1/auth/login", json={"tenant": t.slug, "username": "x", "password": "y"})).status_code
        for _ in range(5)
    ]
    assert codes[:3] == [401, 401, 401] and codes[3:] == [429, 429]
