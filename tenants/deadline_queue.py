"""The deadline scan's cross-tenant reads: due escalation levels and newly overdue clocks.

The scan runs for all tenants at once, so it cannot start from a tenant scope. These two reads
return only ids (tenant, case, clock), each from an index range — ``escalations (state,
fire_at)`` and the partial ``case_clocks (state, due_at) WHERE overdue_at IS NULL`` — never a
walk over cases; everything done with a row afterwards goes through that tenant's
``TenantScope``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from core.tables import CaseClock, Escalation

__all__ = ["due_ladder_levels", "newly_overdue_clocks"]


async def due_ladder_levels(now: datetime, limit: int) -> list[dict[str, Any]]:
    """Pending ladder levels whose time has come, oldest first: tenant_id, case_id, clock_id."""
    return (
        await Escalation.select(Escalation.tenant_id, Escalation.case_id, Escalation.clock_id)
        .where(Escalation.state == "pending", Escalation.fire_at <= now)
        .order_by(Escalation.fire_at, Escalation.level)
        .limit(limit)
    )


async def newly_overdue_clocks(now: datetime, limit: int) -> list[dict[str, Any]]:
    """Running clocks past due whose passing the scan has not noted yet: tenant_id, case_id, id."""
    return (
        await CaseClock.select(CaseClock.tenant_id, CaseClock.case_id, CaseClock.id)
        .where(CaseClock.state == "running", CaseClock.overdue_at.is_null(), CaseClock.due_at <= now)
        .order_by(CaseClock.due_at)
        .limit(limit)
    )
