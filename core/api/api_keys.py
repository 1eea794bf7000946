"""/api/v1/api-keys — integration credentials (shown once, stored hashed, revocable)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

import msgspec
from litestar import Controller, delete, get, post
from msgspec import Meta, Struct

from core.db import as_utc
from core.errors import FieldError, Unprocessable
from core.tables import ApiKey
from tenants.auth import Principal, require_roles, require_scope
from tenants.onboarding import OnboardingError, create_api_key

__all__ = ["ApiKeyController"]

Scope = Literal["cases:read", "cases:write", "admin:read", "admin:write"]


class ApiKeyIn(Struct, forbid_unknown_fields=True):
    name: Annotated[str, Meta(min_length=1, max_length=200)]
    role: Literal["tenant_admin", "supervisor", "handler", "auditor"]
    scopes: list[Scope] = msgspec.field(default_factory=lambda: ["cases:read", "cases:write"])


class ApiKeyOut(Struct):
    id: UUID
    name: str
    prefix: str
    role: str
    scopes: list[str]
    created_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None


class ApiKeyCreated(ApiKeyOut):
    api_key: str = ""
    """The whole key, shown only in this answer."""


def _out(r: dict) -> ApiKeyOut:
    return ApiKeyOut(
        r["id"],
        r["name"],
        r["prefix"],
        r["role"],
        list(r["scopes"]),
        as_utc(r["created_at"]),
        as_utc(r["revoked_at"]) if r["revoked_at"] else None,
        as_utc(r["last_used_at"]) if r["last_used_at"] else None,
    )


_ADMIN = [require_scope("admin:write"), require_roles("tenant_admin")]


class ApiKeyController(Controller):
    path = "/api/v1/api-keys"
    tags = ["directory"]

    @get("/", guards=[require_scope("admin:read"), require_roles("tenant_admin")])
    async def index(self, who: Principal) -> list[ApiKeyOut]:
        return [_out(r) for r in await who.scope.select(ApiKey).order_by(ApiKey.created_at)]

    @post("/", guards=_ADMIN)
    async def create(self, data: ApiKeyIn, who: Principal, now: datetime) -> ApiKeyCreated:
        if data.role == "tenant_admin" and not who.has_role("tenant_admin"):
            raise Unprocessable("only a tenant admin can mint admin keys", errors=[FieldError("role", "not allowed")])
        try:
            full, key_id = await create_api_key(
                who.scope, name=data.name, role=data.role, scopes=list(data.scopes), now=now
            )
        except OnboardingError as exc:
            raise Unprocessable(exc.message, errors=[FieldError(exc.field, exc.message)]) from None
        view = _out(await who.scope.get(ApiKey, key_id))
        return ApiKeyCreated(**{f: getattr(view, f) for f in view.__struct_fields__}, api_key=full)

    @delete("/{key_id:uuid}", guards=_ADMIN, status_code=200)
    async def revoke(self, key_id: UUID, who: Principal, now: datetime) -> ApiKeyOut:
        row = await who.scope.get(ApiKey, key_id)
        if row["revoked_at"] is None:
            await who.scope.update(ApiKey, {ApiKey.revoked_at: now}).where(ApiKey.id == key_id)
        return _out(await who.scope.get(ApiKey, key_id))
