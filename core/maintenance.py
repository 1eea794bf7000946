"""Housekeeping that spans tenants, run by the worker."""

from __future__ import annotations

from datetime import datetime

from core.tables import IdempotencyKey, Tenant
from tenants.scope import TenantScope

__all__ = ["purge_idempotency_keys"]


async def purge_idempotency_keys(*, before: datetime) -> int:
    """Delete expired idempotency records tenant by tenant (through each tenant's scope)."""
    total = 0
    for tenant in await Tenant.select(Tenant.id):
        scope = TenantScope(tenant["id"])
        deleted = (
            await scope.delete(IdempotencyKey).where(IdempotencyKey.created_at < before).returning(IdempotencyKey.id)
        )
        total += len(deleted)
    return total
