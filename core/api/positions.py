"""/api/v1/tenant/positions — who holds the positions the tenant's sectors declare.

A sector names positions (``RoleSeed``: 维修主管, 值班领导) that escalations and notices address
as ``role:<code>``; staff hold only the core roles, so a tenant admin assigns users to each
position here. A position nobody holds still reaches the supervisors in an escalation
(``core.notice_recipients``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from litestar import Controller, get, put
from msgspec import Struct

from core.case_hooks import plugins_for
from core.db import transaction
from core.errors import FieldError, NotFound, Unprocessable
from core.plugin_types import Names
from core.tables import TenantPosition, User
from tenants.audit import record_tenant_event
from tenants.auth import Principal, require_roles, require_scope
from tenants.scope import TenantScope

__all__ = ["PositionController"]


class PositionIn(Struct, forbid_unknown_fields=True):
    user_ids: list[UUID]


class PositionUser(Struct):
    id: UUID
    username: str
    display_name: str


class PositionOut(Struct):
    code: str
    names: Names
    sectors: list[str]
    users: list[PositionUser]


async def _declared(scope: TenantScope) -> dict[str, tuple[Names, list[str]]]:
    """Position code → (names, sectors declaring it), over the tenant's enabled sectors."""
    out: dict[str, tuple[Names, list[str]]] = {}
    for sector in (await plugins_for(scope)).sectors():
        for role in sector.roles:
            out.setdefault(role.code, (role.names, []))[1].append(sector.key)
    return out


async def _positions(scope: TenantScope, declared: dict[str, tuple[Names, list[str]]]) -> list[PositionOut]:
    assigned = await scope.select(TenantPosition, TenantPosition.code, TenantPosition.user_id)
    users = {str(u["id"]): u for u in await scope.select(User, User.id, User.username, User.display_name)}
    out = []
    for code, (names, sectors) in sorted(declared.items()):
        holders = sorted(
            (users[str(a["user_id"])] for a in assigned if a["code"] == code and str(a["user_id"]) in users),
            key=lambda u: u["username"],
        )
        out.append(
            PositionOut(
                code, names, sectors, [PositionUser(u["id"], u["username"], u["display_name"]) for u in holders]
            )
        )
    return out


class PositionController(Controller):
    path = "/api/v1/tenant/positions"
    tags = ["directory"]

    @get("/", guards=[require_scope("admin:read")], summary="The sectors' positions and who holds them")
    async def index(self, who: Principal) -> list[PositionOut]:
        return await _positions(who.scope, await _declared(who.scope))

    @put(
        "/{code:str}",
        guards=[require_scope("admin:write"), require_roles("tenant_admin")],
        summary="Replace the users holding a position",
    )
    async def update(self, code: str, data: PositionIn, who: Principal, now: datetime) -> PositionOut:
        scope = who.scope
        declared = await _declared(scope)
        if code not in declared:
            raise NotFound(f"No enabled sector declares a position {code!r}.")
        wanted = list(dict.fromkeys(data.user_ids))
        active = (
            {r["id"] for r in await scope.select(User, User.id).where(User.id.is_in(wanted), User.active.eq(True))}
            if wanted
            else set()
        )
        errors = [
            FieldError(f"user_ids[{i}]", "no such active user")
            for i, uid in enumerate(data.user_ids)
            if uid not in active
        ]
        if errors:
            raise Unprocessable("Only active users of this organisation can hold a position.", errors=errors)
        async with transaction():
            before = [
                str(r["user_id"])
                for r in await scope.select(TenantPosition, TenantPosition.user_id).where(TenantPosition.code == code)
            ]
            await scope.delete(TenantPosition).where(TenantPosition.code == code)
            await scope.insert_many(
                TenantPosition, [{"code": code, "user_id": uid, "created_at": now} for uid in wanted]
            )
            data_out: dict[str, Any] = {
                "position": code,
                "before": sorted(before),
                "after": sorted(str(u) for u in wanted),
            }
            await record_tenant_event(who.tenant_id, "position_assign", actor=who, at=now, data=data_out)
        return (await _positions(scope, {code: declared[code]}))[0]
