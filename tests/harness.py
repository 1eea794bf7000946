"""Shared fixtures: a migrated database, the app with a settable clock, and tenant factories."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from litestar import Litestar

from core.clock import FrozenClock
from core.settings import Settings

__all__ = [
    "TenantHandle",
    "_reset_clock",
    "app",
    "client",
    "clock",
    "make_tenant",
    "migrated",
    "settings",
]

DEFAULT_NOW = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # Mon 2026-03-02 09:00 Asia/Shanghai
PASSWORD = "correct-horse-battery"
PETITION_CLOSURE_CHECKLIST = ("unit_seal", "leader_signature", "petitioner_opinion")  # seed 004 L63, L93


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings.from_env()


@pytest.fixture(scope="session")
async def migrated(settings: Settings) -> None:
    from core.db import run_migrations

    await run_migrations()


@pytest.fixture(scope="session")
def clock() -> FrozenClock:
    return FrozenClock(DEFAULT_NOW)


@pytest.fixture(autouse=True)
def _reset_clock(clock: FrozenClock) -> None:
    clock.set(DEFAULT_NOW)


@pytest.fixture(scope="session")
async def app(settings: Settings, clock: FrozenClock, migrated: None) -> Litestar:
    from core.app import create_app

    return create_app(settings, clock=clock)


@pytest.fixture(scope="session")
async def client(app: Litestar) -> AsyncIterator[httpx.AsyncClient]:
    # The app runs in the test's own event loop (litestar's httpx.AsyncClient would run it in a
    # portal thread, and a Postgres pool must not be shared between loops).
    async with running(app):
        transport = httpx.ASGITransport(app=app, client=("203.0.113.7", 50000))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as c:
            yield c


@asynccontextmanager
async def running(app: Litestar) -> AsyncIterator[None]:
    """Run the app's lifespan in a task of its own: pytest-asyncio tears fixtures down in another
    task, and the lifespan's anyio cancel scope must be exited by the task that entered it."""
    started, stop = asyncio.Event(), asyncio.Event()
    failure: list[BaseException] = []

    async def hold() -> None:
        try:
            async with app.lifespan():
                started.set()
                await stop.wait()
        except BaseException as exc:
            failure.append(exc)
            started.set()

    task = asyncio.create_task(hold())
    await started.wait()
    if failure:
        raise failure[0]
    try:
        yield
    finally:
        stop.set()
        await task


@dataclass
class TenantHandle:
    """A tenant made for one test, with ready-made credentials for each role."""

    id: uuid.UUID
    slug: str
    api_key: str
    client: httpx.AsyncClient
    departments: dict[str, uuid.UUID] = field(default_factory=dict)
    users: dict[str, uuid.UUID] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)

    @property
    def admin(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.api_key}"}

    def as_user(self, username: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[username]}"}

    async def new_case(self, headers: dict[str, str] | None = None, **overrides: Any) -> dict[str, Any]:
        body = case_body(**overrides)
        response = await self.client.post("/api/v1/cases", json=body, headers=headers or self.admin)
        assert response.status_code == 201, response.text
        return response.json()

    async def act(self, case_id: str, action: str, headers: dict[str, str] | None = None, **fields: Any):
        if action == "close" and "checklist" not in fields:
            fields["checklist"] = dict.fromkeys(PETITION_CLOSURE_CHECKLIST, True)
        return await self.client.post(
            f"/api/v1/cases/{case_id}/transitions", json={"action": action, **fields}, headers=headers or self.admin
        )


def case_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "sector": "gov_petition",
        "category": "urban",
        "channel": "web",
        "subject": "小区门口占道经营",
        "description": "每天晚上小区门口有摊贩占道经营，噪音很大，影响居民休息。",
        "complainant": {"name": "张三", "contact": "13800000000", "id_number": "110101199001011234"},
        # The petition sector's registration fields (seed 004 L27).
        "extra": {
            "demands": "请求取缔占道经营",
            "has_prior_opinion": False,
            "first_visit": True,
            "other_channel": False,
        },
    }
    body.update(overrides)
    return body


@pytest.fixture
async def make_tenant(client: httpx.AsyncClient, clock: FrozenClock, settings: Settings):
    """``await make_tenant(sectors=[...])`` → a tenant with departments A and B and one user per
    role: admin, supervisor, handler_a (dept A), handler_b (dept B), auditor."""
    from tenants.onboarding import add_department, add_user, create_tenant
    from tenants.scope import TenantScope

    async def factory(sectors: list[str] | None = None) -> TenantHandle:
        slug = f"t-{uuid.uuid4().hex[:10]}"
        created = await create_tenant(
            slug=slug, name=f"Tenant {slug}", sectors=sectors or ["gov_petition"], now=clock.now()
        )
        handle = TenantHandle(id=created.tenant_id, slug=slug, api_key=created.api_key, client=client)
        scope = TenantScope(created.tenant_id)
        for code in ("A", "B"):
            handle.departments[code] = await add_department(
                scope, code=code, name_zh=f"部门{code}", name_en=f"Department {code}", now=clock.now()
            )
        people = {
            "admin": (["tenant_admin"], None),
            "supervisor": (["supervisor"], None),
            "handler_a": (["handler"], handle.departments["A"]),
            "handler_b": (["handler"], handle.departments["B"]),
            "auditor": (["auditor"], None),
        }
        for username, (roles, dept) in people.items():
            handle.users[username] = await add_user(
                scope,
                username=username,
                password=PASSWORD,
                roles=roles,
                department_id=dept,
                now=clock.now(),
                hash_profile=settings.password_hash_profile,
            )
            response = await client.post(
                "/api/v1/auth/login", json={"tenant": slug, "username": username, "password": PASSWORD}
            )
            assert response.status_code == 200, response.text
            handle.tokens[username] = response.json()["token"]
        return handle

    return factory
