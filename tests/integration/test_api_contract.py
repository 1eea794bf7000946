"""Regression tests for what the schemathesis fuzz run (``test_api_fuzz.py``) found, and CORS.

* The OpenAPI schema documented litestar's own ``400 {status_code, detail, extra}`` JSON for
  every operation, but client errors are ``application/problem+json`` (422 for validation, 401,
  403, 404 …); the public routes were documented as needing a bearer credential.
* A NUL character (U+0000) in a body, a query parameter or a path reached PostgreSQL, which
  cannot store it: 500 on log-in, the public look-up, the case list filters, every rename….
"""

from __future__ import annotations

from dataclasses import replace

import httpx
import pytest
from harness import case_body

from core.settings import Settings

PUBLIC = {"/health/live", "/health/ready", "/api/v1/auth/login", "/api/v1/public/lookup"}


@pytest.fixture
async def openapi(client) -> dict:
    return (await client.get("/schema/openapi.json")).json()


def _operations(openapi: dict):
    for path, item in openapi["paths"].items():
        for method, operation in item.items():
            if method in {"get", "post", "put", "patch", "delete"}:
                yield path, method, operation


async def test_every_client_error_is_documented_as_problem_json(openapi):
    assert set(openapi["components"]["schemas"]["Problem"]["required"]) == {"type", "status", "title", "detail"}
    for path, method, operation in _operations(openapi):
        responses = operation["responses"]
        assert "4XX" in responses, (method, path)
        for code, response in responses.items():
            if code.startswith("4"):
                assert list(response["content"]) == ["application/problem+json"], (method, path, code)
                assert response["content"]["application/problem+json"]["schema"] == {
                    "$ref": "#/components/schemas/Problem"
                }
        if path in PUBLIC:
            assert operation["security"] == [], path
        else:
            assert "security" not in operation and "401" in responses, (method, path)
    case_create = openapi["paths"]["/api/v1/cases"]["post"]["responses"]
    assert {"201", "400", "401", "403", "422"} <= set(case_create) and "200" not in case_create
    assert "404" in openapi["paths"]["/api/v1/cases/{case_id}"]["get"]["responses"]
    assert "403" not in openapi["paths"]["/api/v1/auth/me"]["get"]["responses"]  # no guard: any credential


async def test_documented_statuses_are_the_ones_sent(make_tenant, client):
    t = await make_tenant()
    invalid = await client.post("/api/v1/cases", json={"subject": 1}, headers=t.admin)
    unreadable = await client.post(
        "/api/v1/cases", content=b"{not json", headers={**t.admin, "content-type": "application/json"}
    )
    anonymous = await client.get("/api/v1/cases")
    assert (invalid.status_code, unreadable.status_code, anonymous.status_code) == (422, 400, 401)
    for response in (invalid, unreadable, anonymous):
        assert response.headers["content-type"].startswith("application/problem+json")
        assert {"type", "status", "title", "detail"} <= set(response.json())
    assert (await client.get("/health/live")).status_code == 200  # documented as anonymous


@pytest.mark.parametrize(
    ("method", "url", "body", "field"),
    [
        ("POST", "/api/v1/auth/login", {"tenant": "t\x00", "username": "u", "password": "p"}, "tenant"),
        ("POST", "/api/v1/public/lookup", {"tracking_code": "ABCD-\x00EFG", "pin": "123456"}, "tracking_code"),
        ("GET", "/api/v1/cases?category=ur%00ban", None, "category"),
        ("PATCH", "/api/v1/departments/{dept}", {"name_zh": "部门\x00"}, "name_zh"),
        ("POST", "/api/v1/cases", case_body(complainant={"name": "张\x00三"}), "complainant.name"),
        ("POST", "/api/v1/cases", case_body(extra={"items": [{"k\x00": 1}]}), "extra.items[0].k\\u0000"),
        ("GET", "/api/v1/tenant/plugins/gov%00petition", None, "path"),
    ],
)
async def test_nul_characters_are_refused_with_422(make_tenant, client, method, url, body, field):
    t = await make_tenant()
    headers = {} if "public" in url or "login" in url else t.admin
    response = await client.request(method, url.format(dept=t.departments["A"]), json=body, headers=headers)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["field"] == field and "U+0000" in response.json()["detail"]


async def test_escaped_backslash_u0000_is_plain_text(make_tenant, client):
    t = await make_tenant()
    created = await t.new_case(subject="路径 C:\\u0000 不是空字符")
    assert created["subject"] == "路径 C:\\u0000 不是空字符"


def test_cors_origins_setting(monkeypatch):
    assert Settings().cors_origin_list == []
    monkeypatch.setenv("CASEDESK_CORS_ORIGINS", " https://crm.example.org/ ,https://ops.example.org,, ")
    assert Settings.from_env().cors_origin_list == ["https://crm.example.org", "https://ops.example.org"]


async def _preflight(app, origin: str, method: str) -> httpx.Response:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as c:
        return await c.options(
            "/api/v1/cases/00000000-0000-4000-8000-000000000000",
            headers={"Origin": origin, "Access-Control-Request-Method": method},
        )


async def test_cors_allows_no_origin_by_default(app):
    response = await _preflight(app, "https://crm.example.org", "GET")
    assert "access-control-allow-origin" not in response.headers


async def test_cors_allows_configured_origins_and_the_methods_the_api_uses(app, clock, monkeypatch):
    import core.app
    from core.db import get_engine

    monkeypatch.setattr(core.app, "bind_engine", lambda settings: get_engine())  # keep the session's engine
    configured = core.app.create_app(
        replace(app.state.settings, cors_origins="https://crm.example.org"), clock=clock
    )
    for method in ("GET", "POST", "PUT", "PATCH", "DELETE"):
        response = await _preflight(configured, "https://crm.example.org", method)
        assert response.status_code in (200, 204), response.text
        assert response.headers["access-control-allow-origin"] == "https://crm.example.org"
        assert method in response.headers["access-control-allow-methods"]
    stranger = await _preflight(configured, "https://evil.example.net", "PATCH")
    assert stranger.headers.get("access-control-allow-origin") != "https://evil.example.net"
