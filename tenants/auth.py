"""Who is calling, and for which tenant.

The tenant of a request comes from its credential (a staff token or an API key), never from a
client-supplied id. Each request reloads the user or key row, so deactivating a user or revoking
a key takes effect at once, without a token blacklist.
"""

from __future__ import annotations

import hmac
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult

from core.tables import User
from tenants.scope import TenantScope, find_api_key_by_prefix, touch_api_key
from tenants.secrets import api_key_digest, decode_token, split_api_key

__all__ = ["SCOPES", "AuthMiddleware", "Principal", "require_roles", "require_scope"]

SCOPES = ("cases:read", "cases:write", "admin:read", "admin:write")


@dataclass(frozen=True, slots=True)
class Principal:
    """The authenticated caller: a staff user or an integration key, always of one tenant."""

    tenant_id: uuid.UUID
    actor_kind: str  # "user" | "api_key"
    actor_id: uuid.UUID
    name: str
    roles: frozenset[str]
    department_id: uuid.UUID | None = None
    scopes: frozenset[str] = field(default_factory=lambda: frozenset(SCOPES))

    @property
    def scope(self) -> TenantScope:
        return TenantScope(self.tenant_id)

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))


class AuthMiddleware(AbstractAuthenticationMiddleware):
    """``Authorization: Bearer <staff token | API key>`` or ``X-API-Key: <API key>``."""

    async def authenticate_request(self, connection: ASGIConnection[Any, Any, Any, Any]) -> AuthenticationResult:
        header = connection.headers.get("authorization", "")
        credential = connection.headers.get("x-api-key", "")
        if not credential and header:
            scheme, _, value = header.partition(" ")
            if scheme.lower() != "bearer" or not value:
                raise NotAuthorizedException("use 'Authorization: Bearer <token or API key>'")
            credential = value.strip()
        if not credential:
            raise NotAuthorizedException("credentials required: a staff token or an API key")
        state = connection.app.state
        now: datetime = state.clock.now()
        prefix = split_api_key(credential)
        if prefix is not None:
            principal = await _principal_from_api_key(credential, prefix, now)
        else:
            principal = await _principal_from_token(credential, state.secret_key, now)
        return AuthenticationResult(user=principal, auth=credential)


async def _principal_from_api_key(credential: str, prefix: str, now: datetime) -> Principal:
    row = await find_api_key_by_prefix(prefix)
    if row is None or not hmac.compare_digest(row["digest"], api_key_digest(credential)):
        raise NotAuthorizedException("unknown API key")
    if row["revoked_at"] is not None:
        raise NotAuthorizedException("this API key has been revoked")
    await touch_api_key(row["id"], now)
    return Principal(
        tenant_id=row["tenant_id"],
        actor_kind="api_key",
        actor_id=row["id"],
        name=f"api-key:{row['name']}",
        roles=frozenset({row["role"]}),
        scopes=frozenset(_as_list(row["scopes"])),
    )


async def _principal_from_token(credential: str, secret: str, now: datetime) -> Principal:
    token = decode_token(credential, secret)
    if token is None:
        raise NotAuthorizedException("invalid token")
    if token.expires_at <= now:
        raise NotAuthorizedException("token expired: log in again")
    try:
        tenant_id = uuid.UUID(token.tenant_id)
        user = await TenantScope(tenant_id).get(User, token.user_id)
    except ValueError:
        raise NotAuthorizedException("invalid token") from None
    except LookupError:
        raise NotAuthorizedException("unknown user") from None
    if not user["active"]:
        raise NotAuthorizedException("this user is deactivated")
    return Principal(
        tenant_id=tenant_id,
        actor_kind="user",
        actor_id=user["id"],
        name=user["display_name"] or user["username"],
        roles=frozenset(_as_list(user["roles"])),
        department_id=user["department_id"],
    )


def _as_list(value: Any) -> list[str]:
    if isinstance(value, str):
        import json

        return list(json.loads(value or "[]"))
    return list(value or [])


def require_scope(scope: str):
    """Guard: the credential must carry ``scope`` (staff users carry every scope)."""

    def guard(connection: ASGIConnection[Any, Any, Any, Any], _: Any) -> None:
        principal: Principal = connection.user
        if scope not in principal.scopes:
            raise PermissionDeniedException(f"this credential lacks the '{scope}' scope")

    return guard


def require_roles(*roles: str):
    """Guard: the caller must hold one of ``roles``."""

    def guard(connection: ASGIConnection[Any, Any, Any, Any], _: Any) -> None:
        principal: Principal = connection.user
        if not principal.has_role(*roles):
            raise PermissionDeniedException(f"requires one of the roles: {', '.join(roles)}")

    return guard
