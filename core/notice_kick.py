"""Delivering new notices at once: enqueue their jobs right after the transaction commits.

The outbox row is the truth and the relay cron (every minute) finds every due notice anyway;
this only saves the wait. A job must not be enqueued before the commit — it could run, find
no row yet and do nothing — so ``core.outbox`` remembers the ids of the request it runs in
and the app's ``after_response`` hook enqueues them once the response (hence the commit) is
done. Ids of a rolled-back request find no row and their jobs end at once.

Job ids are ``notice:<id>:<attempts>``: arq refuses a second job with an id that is queued or
running, so the relay and this hook never run the same attempt twice at the same time.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from contextvars import ContextVar
from typing import Any

import structlog
from arq.connections import ArqRedis

__all__ = ["DELIVER_JOB", "enqueue_after_response", "enqueue_deliveries", "job_id", "remember", "take"]

DELIVER_JOB = "deliver_notice"
_LIMIT = 1000  # beyond this a request leaves the rest to the relay
_new: ContextVar[list[tuple[uuid.UUID, int]] | None] = ContextVar("casedesk_new_notices", default=None)
log = structlog.get_logger("casedesk.notices")


def job_id(notice_id: uuid.UUID | str, attempts: int, queue_name: str) -> str:
    """One job per delivery attempt. The queue name is part of it so that two deployments (or
    test runs) sharing one Redis never mistake each other's jobs for their own."""
    return f"{queue_name}:notice:{notice_id}:{attempts}"


def remember(ids: Iterable[uuid.UUID], attempts: int = 0) -> None:
    """Note notices written by the current request (or job) for enqueueing after its commit."""
    pending = _new.get()
    if pending is None:
        pending = []
        _new.set(pending)
    room = _LIMIT - len(pending)
    pending.extend((i, attempts) for i in list(ids)[: max(room, 0)])


def take() -> list[tuple[uuid.UUID, int]]:
    """The remembered notices, forgetting them."""
    pending = _new.get()
    _new.set(None)
    return pending or []


async def enqueue_deliveries(redis: Any, queue_name: str, items: Iterable[tuple[uuid.UUID | str, int]]) -> int:
    """Enqueue one delivery job per ``(notice id, attempts)``; returns how many were new."""
    pool = redis if isinstance(redis, ArqRedis) else ArqRedis(connection_pool=redis.connection_pool)
    queued = 0
    for notice_id, attempts in items:
        job = await pool.enqueue_job(
            DELIVER_JOB, str(notice_id), _job_id=job_id(notice_id, attempts, queue_name), _queue_name=queue_name
        )
        queued += job is not None
    return queued


async def enqueue_after_response(request: Any) -> None:
    """Litestar ``after_response`` hook: enqueue what the request's transaction wrote."""
    items = take()
    settings = request.app.state.settings
    if not items or not settings.notice_enqueue_on_commit:
        return
    try:
        await enqueue_deliveries(request.app.state.redis, settings.queue_name, items)
    except Exception:  # the relay will find them; a Redis hiccup must not fail the request
        log.warning("could not enqueue notice deliveries; the relay will", count=len(items), exc_info=True)
