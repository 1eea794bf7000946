"""The tenant-level audit trail: settings changes (plugins, calendar, templates, channels…),
which are not case events but must be just as traceable."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from core.tables import TenantEvent
from tenants.auth import Principal
from tenants.scope import TenantScope

__all__ = ["record_tenant_event"]


async def record_tenant_event(
    tenant_id: uuid.UUID, action: str, *, actor: Principal | None, at: datetime, data: dict[str, Any]
) -> None:
    """Append to the tenant's audit trail; ``actor=None`` is an operator at the command line."""
    await TenantScope(tenant_id).insert(
        TenantEvent,
        at=at,
        actor_kind=actor.actor_kind if actor else "operator",
        actor_id=actor.actor_id if actor else None,
        actor_name=actor.name if actor else "cli",
        action=action,
        data=data,
    )
