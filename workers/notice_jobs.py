"""Notice jobs: deliver one notice, and the relay that finds every notice due.

``deliver_notice`` is idempotent (``core.notice_delivery``): its job id is
``notice:<id>:<attempts>`` and it keeps no result (``keep_result=0``), so arq refuses a twin
only while one is queued or running, and the next attempt of the same notice gets a fresh id.

``relay_pending`` runs every minute. The database is the queue's truth and Redis only a cache
of it: the relay puts notices whose delivery was interrupted back (stale lease) and enqueues
every due pending notice. After Redis lost everything (restart without persistence, FLUSHALL)
the next relay re-enqueues all of them — nothing is lost, nothing is sent twice.
"""

from __future__ import annotations

import uuid
from typing import Any

import structlog

from core.notice_delivery import DeliveryEnv, deliver
from core.notice_kick import enqueue_deliveries
from tenants.notice_queue import due_notices, reclaim_stale

__all__ = ["RELAY_BATCH", "deliver_notice", "relay_pending"]

RELAY_BATCH = 1000
log = structlog.get_logger("casedesk.notices")


def _env(ctx: dict[str, Any]) -> DeliveryEnv:
    return DeliveryEnv(settings=ctx["settings"], clock=ctx["clock"], redis=ctx.get("redis"), rng=ctx.get("notice_rng"))


async def deliver_notice(ctx: dict[str, Any], notice_id: str) -> str:
    """One delivery attempt (see ``core.notice_delivery.deliver`` for the outcomes)."""
    return await deliver(notice_id, _env(ctx))


async def relay_pending(ctx: dict[str, Any], tenant_id: str | None = None) -> dict[str, int]:
    """Reclaim stale claims, then enqueue due notices (of one tenant when ``tenant_id`` is given)."""
    settings = ctx["settings"]
    now = ctx["clock"].now()
    tenant = uuid.UUID(tenant_id) if tenant_id else None
    reclaimed = await reclaim_stale(now, settings.notice_lease_seconds, tenant)
    rows = await due_notices(now, RELAY_BATCH, tenant)
    queued = await enqueue_deliveries(ctx["redis"], settings.queue_name, [(r["id"], r["attempts"]) for r in rows])
    if reclaimed or queued:
        log.info("notice relay", reclaimed=reclaimed, due=len(rows), enqueued=queued)
    return {"reclaimed": reclaimed, "due": len(rows), "enqueued": queued}
