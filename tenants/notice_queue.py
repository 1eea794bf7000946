"""The notice relay's cross-tenant queries: due notices, claims, stale leases, queue health.

The relay and the delivery job serve every tenant, so they cannot start from a tenant scope.
Each query here reads or changes notices by the ``(state, next_attempt_at)`` index, or one
notice by its id (an id the relay itself read, never one a client sent); anything done with a
notice afterwards goes through its tenant's ``TenantScope``. ``tenant_id`` narrows a relay to
one tenant (tests, and an admin retrying a tenant's backlog).
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from piccolo.query.functions.aggregate import Min

from core.tables import Notice

__all__ = ["claim_notice", "due_notices", "queue_stats", "reclaim_stale"]


def _tenant(query: Any, tenant_id: uuid.UUID | None) -> Any:
    return query.where(Notice.tenant_id == tenant_id) if tenant_id is not None else query


async def due_notices(now: datetime, limit: int, tenant_id: uuid.UUID | None = None) -> list[dict[str, Any]]:
    """Pending notices whose time has come, longest-waiting first: id, tenant_id, attempts."""
    query = Notice.select(Notice.id, Notice.tenant_id, Notice.attempts, Notice.channel).where(
        Notice.state == "pending", Notice.next_attempt_at <= now
    )
    return await _tenant(query, tenant_id).order_by(Notice.next_attempt_at).limit(limit)


async def claim_notice(notice_id: uuid.UUID, now: datetime) -> dict[str, Any] | None:
    """Atomically take a due pending notice for one delivery attempt.

    ``UPDATE … SET state='sending', attempts=attempts+1 WHERE id=? AND state='pending' AND
    next_attempt_at <= now RETURNING``: of two workers running the same job, exactly one gets
    the row. The returned ``attempts`` is the claim's fencing token: the result is recorded
    only while the row still carries it.
    """
    rows = (
        await Notice.update(
            {
                Notice.state: "sending",
                Notice.attempts: Notice.attempts + 1,
                Notice.claimed_at: now,
                Notice.updated_at: now,
            }
        )
        .where(Notice.id == notice_id, Notice.state == "pending", Notice.next_attempt_at <= now)
        .returning(Notice.id, Notice.tenant_id, Notice.attempts)
    )
    return rows[0] if rows else None


async def reclaim_stale(now: datetime, lease_seconds: int, tenant_id: uuid.UUID | None = None) -> int:
    """Put notices back to ``pending`` whose claim is older than the lease (the worker died
    mid-delivery). The next attempt re-sends with the same idempotency key, so a receiver that
    already got it drops the copy."""
    query = Notice.update(
        {
            Notice.state: "pending",
            Notice.next_attempt_at: now,
            Notice.claimed_at: None,
            Notice.last_error: "delivery interrupted (worker lost); retrying",
            Notice.updated_at: now,
        }
    ).where(Notice.state == "sending", Notice.claimed_at < now - timedelta(seconds=lease_seconds))
    return len(await _tenant(query, tenant_id).returning(Notice.id))


async def queue_stats(now: datetime) -> dict[str, Any]:
    """``pending``, ``oldest_pending_age_seconds`` and ``failed`` over all tenants."""
    pending = await Notice.count().where(Notice.state.is_in(["pending", "sending"]))
    failed = await Notice.count().where(Notice.state == "failed")
    row = await Notice.select(Min(Notice.created_at, alias="oldest")).where(Notice.state.is_in(["pending", "sending"]))
    oldest = (row[0] if row else {}).get("oldest")
    age = 0.0
    if oldest is not None:
        if isinstance(oldest, str):
            oldest = datetime.fromisoformat(oldest)
        if oldest.tzinfo is None:
            oldest = oldest.replace(tzinfo=now.tzinfo)
        age = max(0.0, (now - oldest).total_seconds())
    return {"pending": pending, "oldest_pending_age_seconds": round(age, 1), "failed": failed}
