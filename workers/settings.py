"""arq worker configuration: ``casedesk worker`` runs this; ``casedesk serve`` runs it in-process
when Redis is embedded."""

from __future__ import annotations

from typing import Any

from arq import cron, func
from arq.connections import RedisSettings
from arq.worker import Worker

from core.clock import Clock, SystemClock
from core.settings import Settings
from workers.deadline_jobs import scan_deadlines
from workers.jobs import purge_expired_idempotency_keys
from workers.notice_jobs import deliver_notice, relay_pending

__all__ = ["build_worker"]

FUNCTIONS = [
    purge_expired_idempotency_keys,
    scan_deadlines,
    # No kept result: the job id notice:<id>:<attempts> must be free again once the attempt
    # ended (a postponed attempt reuses it). The timeout stays well inside the notice lease.
    func(deliver_notice, keep_result=0, timeout=120),
    relay_pending,
]
# The notice relay, every minute. Not at start-up and not in a burst worker (tests, one-off
# drains), which would otherwise pick up every tenant's backlog; a long-running worker
# catches up within the minute.
RELAY_CRON = cron(relay_pending, unique=True, run_at_startup=False)
CRON_JOBS = [
    cron(purge_expired_idempotency_keys, minute={7}, unique=True, run_at_startup=False),
    # Every minute (arq's finest cron step); at start-up too, so levels missed while no worker
    # ran fire at once. Safe to overlap: the scan fires each level exactly once.
    cron(scan_deadlines, unique=True, run_at_startup=True),
    RELAY_CRON,
]


def build_worker(
    settings: Settings, redis_settings: RedisSettings, clock: Clock | None = None, **overrides: Any
) -> Worker:
    """A worker bound to casedesk's queue with shared resources in ``ctx``."""

    async def on_startup(ctx: dict[str, Any]) -> None:
        ctx["settings"] = settings
        ctx["clock"] = clock or SystemClock()

    options: dict[str, Any] = {
        "functions": FUNCTIONS,
        "cron_jobs": [c for c in CRON_JOBS if c is not RELAY_CRON] if overrides.get("burst") else CRON_JOBS,
        "redis_settings": redis_settings,
        "queue_name": settings.queue_name,
        "on_startup": on_startup,
        "handle_signals": False,
        "keep_result": 3600,
        "max_jobs": 10,
    }
    options.update(overrides)
    return Worker(**options)
