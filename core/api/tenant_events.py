"""/api/v1/tenant/events — the tenant's audit trail of settings changes.

Calendar changes and year imports, plugin configuration, templates, channels, notice retries…
each wrote a ``TenantEvent`` (case changes have their own per-case history). Tenant admins and
auditors read it, newest first, keyset-paginated on (at, id) like the case list, optionally
narrowed to one ``action``. Reads go through the caller's ``TenantScope``: another tenant's
events are never in the answer.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, get
from litestar.params import Parameter
from msgspec import Struct

from core.db import as_utc
from core.pagination import keyset_page
from core.tables import TenantEvent
from tenants.auth import Principal, require_roles, require_scope

__all__ = ["TenantEventController", "TenantEventOut", "TenantEventPage"]


class TenantEventOut(Struct):
    id: UUID
    at: datetime
    action: str
    actor_kind: str
    """``user``, ``api_key`` or ``operator`` (the command line)."""
    actor_id: UUID | None
    actor_name: str
    data: dict[str, Any]


class TenantEventPage(Struct):
    items: list[TenantEventOut]
    next_cursor: str | None


def _out(row: dict[str, Any]) -> TenantEventOut:
    return TenantEventOut(
        id=row["id"],
        at=as_utc(row["at"]),
        action=row["action"],
        actor_kind=row["actor_kind"],
        actor_id=row["actor_id"],
        actor_name=row["actor_name"],
        data=row["data"] if isinstance(row["data"], dict) else {},
    )


class TenantEventController(Controller):
    path = "/api/v1/tenant/events"
    tags = ["audit"]

    @get(
        "/",
        guards=[require_scope("admin:read"), require_roles("tenant_admin", "auditor")],
        summary="The tenant's audit trail of settings changes, newest first",
        description="`action` narrows to one kind of change (e.g. `calendar_updated`, `plugin_config`); pass "
        "`next_cursor` back as `cursor` for the next page.",
    )
    async def index(
        self,
        who: Principal,
        action: Annotated[str | None, Parameter(max_length=64)] = None,
        cursor: str | None = None,
        limit: Annotated[int, Parameter(ge=1, le=200)] = 50,
    ) -> TenantEventPage:
        query = who.scope.select(TenantEvent)
        if action:
            query = query.where(TenantEvent.action == action)
        rows, next_cursor = await keyset_page(query, TenantEvent.at, TenantEvent.id, cursor=cursor, limit=limit)
        return TenantEventPage(items=[_out(r) for r in rows], next_cursor=next_cursor)
