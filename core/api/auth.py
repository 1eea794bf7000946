"""Staff log-in: a password for a bearer token."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated
from uuid import UUID

from litestar import Controller, Request, get, post
from msgspec import Meta, Struct

from core.errors import ApiError
from core.ratelimit import enforce_rate_limit
from core.settings import Settings
from core.tables import Tenant, User
from tenants.auth import Principal
from tenants.scope import TenantScope
from tenants.secrets import check_secret, issue_token

__all__ = ["AuthController"]


class LoginIn(Struct, forbid_unknown_fields=True):
    tenant: Annotated[str, Meta(min_length=1, max_length=64)]
    username: Annotated[str, Meta(min_length=1, max_length=100)]
    password: Annotated[str, Meta(min_length=1, max_length=200)]


class TokenOut(Struct):
    token: str
    token_type: str
    expires_at: datetime


class MeOut(Struct):
    tenant_id: UUID
    tenant_slug: str
    tenant_name: str
    timezone: str
    locale: str
    actor_kind: str
    actor_id: UUID
    name: str
    roles: list[str]
    department_id: UUID | None
    scopes: list[str]


class BadLogin(ApiError):
    status = 401
    title = "Unauthorized"
    type_slug = "bad-credentials"


class AuthController(Controller):
    path = "/api/v1/auth"
    tags = ["auth"]

    @post("/login", exclude_from_auth=True, status_code=200, summary="Exchange a staff password for a token")
    async def login(self, request: Request, data: LoginIn, now: datetime, settings: Settings) -> TokenOut:
        await enforce_rate_limit(request, "login", settings.login_rate)
        tenant = await Tenant.select(Tenant.id).where(Tenant.slug == data.tenant).first()
        user = None
        if tenant is not None:
            user = await TenantScope(tenant["id"]).select(User).where(User.username == data.username).first()
        ok = (
            user is not None
            and user["active"]
            and await check_secret(data.password, user["password_hash"], settings.password_hash_profile)
        )
        if not ok:
            # One answer for unknown tenant, unknown user and wrong password: no account oracle.
            raise BadLogin("unknown organisation, user or password")
        ttl = timedelta(minutes=settings.token_ttl_minutes)
        token = issue_token(
            user_id=str(user["id"]), tenant_id=str(tenant["id"]), secret=request.app.state.secret_key, now=now, ttl=ttl
        )
        return TokenOut(token=token, token_type="Bearer", expires_at=now + ttl)

    @get("/me", summary="Who the credential belongs to")
    async def me(self, who: Principal) -> MeOut:
        tenant = await Tenant.select().where(Tenant.id == who.tenant_id).first()
        return MeOut(
            tenant_id=who.tenant_id,
            tenant_slug=tenant["slug"],
            tenant_name=tenant["name"],
            timezone=tenant["timezone"],
            locale=tenant["locale"],
            actor_kind=who.actor_kind,
            actor_id=who.actor_id,
            name=who.name,
            roles=sorted(who.roles),
            department_id=who.department_id,
            scopes=sorted(who.scopes),
        )
