"""Delivering one outbox notice: claim, render, send, record — safe to run any number of times.

The worker's ``deliver_notice`` job calls :func:`deliver`. The steps and why they are safe:

1. **Claim** (``tenants.notice_queue.claim_notice``): a conditional update flips the row from
   ``pending`` to ``sending`` and counts the attempt; a second run of the job, or a second
   worker, finds nothing to flip and stops. The new ``attempts`` is the claim's fencing token.
2. **Rate limit**: e-mail, SMS and webhooks are limited per tenant and channel per minute (a
   Redis counter shared by all workers); over the limit the claim is handed back untouched,
   due at the next minute — postponed, never failed.
3. **Render** with the tenant's current overrides (``core.notice_render``) and **send** through
   the channel adapter with the tenant's ``ChannelConfig``. The notice id is the idempotency
   key every channel forwards (e-mail ``Message-ID``, SMS ``Idempotency-Key``, ``webhook-id``).
4. **Record** in one transaction, only while the row still carries this claim's token: ``sent``
   (with the rendered texts; the in-app message or the letter's PDF inserted alongside, so a
   sent in-app notice or letter exists exactly once), or ``pending`` again with a backoff delay
   (``next_attempt_delay``: exponential, full jitter, ``Retry-After`` honoured), or ``failed``
   (a permanent error, or the last attempt).

A worker that dies between 3 and 4 leaves the row ``sending``; the relay puts it back after the
lease (``CASEDESK_NOTICE_LEASE_SECONDS``) and it is sent again with the same idempotency key, so
an idempotent receiver shows it once. If the dead worker's attempt finishes after all, its
token no longer matches and its record is dropped.
"""

from __future__ import annotations

import hashlib
import random
import time
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import structlog

from core.clock import Clock
from core.db import transaction
from core.notice_metrics import DELIVERY_SECONDS, NOTICES_FAILED, NOTICES_RETRIED, NOTICES_SENT
from core.notice_render import load_overrides, render_for
from core.notices import (
    Channel,
    ChannelConfigError,
    DeliveryResult,
    NoticeTemplateError,
    OutgoingMessage,
    RenderedNotice,
    UnknownChannelError,
    get_channel,
    next_attempt_delay,
)
from core.notices.channels import InAppChannel, LetterChannel
from core.settings import Settings
from core.tables import ChannelConfig, InAppMessage, Notice, NoticeLetter
from tenants.notice_queue import claim_notice
from tenants.scope import TenantScope

__all__ = ["RATE_LIMITED_CHANNELS", "DeliveryEnv", "deliver"]

RATE_LIMITED_CHANNELS = frozenset({"email", "sms", "webhook"})
log = structlog.get_logger("casedesk.notices")


@dataclass(slots=True)
class DeliveryEnv:
    """What a delivery needs from its worker: settings, the clock, Redis (rate limits)."""

    settings: Settings
    clock: Clock
    redis: Any = None
    rng: random.Random | None = None


@dataclass(slots=True)
class _Prepared:
    channel: Channel
    message: OutgoingMessage
    rendered: RenderedNotice
    pdf: list[bytes] = field(default_factory=list)


async def deliver(notice_id: uuid.UUID | str, env: DeliveryEnv) -> str:
    """One delivery attempt of one notice. Returns what happened: ``sent``, ``pending`` (a
    retry is scheduled), ``failed``, ``postponed`` (rate limit), ``skipped`` (not due or
    claimed elsewhere) or ``superseded`` (the lease ran out and another attempt took over)."""
    try:
        nid = uuid.UUID(str(notice_id))
    except ValueError:
        return "skipped"
    claimed = await claim_notice(nid, env.clock.now())
    if claimed is None:
        return "skipped"
    scope, attempt = TenantScope(claimed["tenant_id"]), int(claimed["attempts"])
    row = await scope.get(Notice, nid)
    if row["channel"] in RATE_LIMITED_CHANNELS and env.redis is not None:
        wait = await _over_limit(env, row)
        if wait is not None:
            await _hand_back(scope, row, attempt, env, wait)
            return "postponed"
    started = time.perf_counter()
    prepared: _Prepared | None = None
    try:
        prepared = await _prepare(scope, row, env)
        result = await prepared.channel.send(prepared.message)
    except NoticeTemplateError as exc:
        result = DeliveryResult.fail(f"template error: {exc}")
    except (ChannelConfigError, UnknownChannelError) as exc:
        result = DeliveryResult.fail(str(exc))
    except Exception as exc:  # a bug or an outage in an adapter: try again later, never lose it
        log.exception("notice delivery raised", notice_id=str(nid))
        result = DeliveryResult.retry(f"{type(exc).__name__}: {exc}")
    DELIVERY_SECONDS.labels(row["channel"]).observe(time.perf_counter() - started)
    state = await _record(scope, row, attempt, result, prepared, env)
    counter = {"sent": NOTICES_SENT, "failed": NOTICES_FAILED, "pending": NOTICES_RETRIED}.get(state)
    if counter is not None:
        counter.labels(row["channel"]).inc()
    if state in ("pending", "failed"):
        log.warning("notice not delivered", notice_id=str(nid), state=state, error=result.error, attempt=attempt)
    return state


async def _over_limit(env: DeliveryEnv, row: dict[str, Any]) -> float | None:
    """Seconds to wait when the tenant's channel is over its per-minute budget, else None."""
    now = env.clock.now()
    window = int(now.timestamp()) // 60
    key = f"{env.settings.queue_name}:notice-rate:{row['tenant_id']}:{row['channel']}:{window}"
    count = await env.redis.incr(key)
    if count == 1:
        await env.redis.expire(key, 120)
    if count <= env.settings.notice_rate_per_minute:
        return None
    return 60 - now.timestamp() % 60 + (env.rng or random).uniform(0, 5)


async def _hand_back(scope: TenantScope, row: dict[str, Any], attempt: int, env: DeliveryEnv, wait: float) -> None:
    now = env.clock.now()
    await scope.update(
        Notice,
        {
            Notice.state: "pending",
            Notice.attempts: attempt - 1,
            Notice.next_attempt_at: now + timedelta(seconds=wait),
            Notice.claimed_at: None,
            Notice.updated_at: now,
        },
    ).where(Notice.id == row["id"], Notice.state == "sending", Notice.attempts == attempt)


async def _channel(scope: TenantScope, row: dict[str, Any], env: DeliveryEnv, pdf: list[bytes]) -> Channel:
    name = row["channel"]
    if name == "in_app":
        return InAppChannel()
    if name == "letter":

        async def keep(message: OutgoingMessage, content: bytes) -> str:
            pdf.append(content)  # stored with the "sent" record, in its transaction
            return f"db:notice_letters/{message.notice_id}"

        return LetterChannel(sink=keep)
    stored = await scope.select(ChannelConfig).where(ChannelConfig.channel == name).first()
    if stored is None:
        raise ChannelConfigError(f"the {name} channel is not configured for this organisation")
    config = dict(stored["config"] or {})
    if name == "webhook":  # the platform decides whether webhooks may reach private networks
        config["allow_private_networks"] = env.settings.webhook_allow_private_networks
    return get_channel(name, config)


async def _prepare(scope: TenantScope, row: dict[str, Any], env: DeliveryEnv) -> _Prepared:
    rendered = render_for(row, await load_overrides(scope))
    pdf: list[bytes] = []
    channel = await _channel(scope, row, env, pdf)
    context = row["context"] or {}
    message = OutgoingMessage(
        notice_id=str(row["id"]),
        tenant_id=str(row["tenant_id"]),
        channel=row["channel"],
        recipient=row["recipient"],
        locale=row["locale"],
        event=row["template_event"],
        recipient_name=row["recipient_name"] or None,
        subject=rendered.subject,
        text_body=rendered.text or "",
        html_body=rendered.html,
        payload={
            "case_id": str(row["case_id"]) if row["case_id"] else None,
            "case_number": context.get("case_number"),
            "action": row["event"],
            "template": row["template"],
        },
    )
    return _Prepared(channel, message, rendered, pdf)


async def _record(
    scope: TenantScope,
    row: dict[str, Any],
    attempt: int,
    result: DeliveryResult,
    prepared: _Prepared | None,
    env: DeliveryEnv,
) -> str:
    now = env.clock.now()
    values: dict[Any, Any] = {Notice.claimed_at: None, Notice.updated_at: now}
    if result.ok and prepared is not None:
        state = "sent"
        values.update(
            {
                Notice.state: "sent",
                Notice.sent_at: now,
                Notice.provider_id: (result.provider_id or "")[:300],
                Notice.last_error: "",
                Notice.subject: prepared.rendered.subject or "",
                Notice.body_text: prepared.rendered.text or "",
                Notice.body_html: prepared.rendered.html or "",
                Notice.storage_key: (result.provider_id or "")[:300] if row["channel"] == "letter" else "",
                Notice.rendered_with: prepared.rendered.template[:300],
            }
        )
    elif result.retryable and attempt < row["max_attempts"]:
        state = "pending"
        delay = next_attempt_delay(
            attempt, base=float(env.settings.notice_retry_base_seconds), rng=env.rng, at_least=result.retry_after
        )
        values.update(
            {
                Notice.state: "pending",
                Notice.next_attempt_at: now + timedelta(seconds=delay),
                Notice.last_error: (result.error or "")[:2000],
            }
        )
    else:
        state = "failed"
        values.update({Notice.state: "failed", Notice.last_error: (result.error or "delivery failed")[:2000]})
    async with transaction():
        won = (
            await scope.update(Notice, values)
            .where(Notice.id == row["id"], Notice.state == "sending", Notice.attempts == attempt)
            .returning(Notice.id)
        )
        if not won:
            return "superseded"
        if state == "sent" and prepared is not None:
            await _store_delivery(scope, row, prepared, now)
    return state


async def _store_delivery(scope: TenantScope, row: dict[str, Any], prepared: _Prepared, now: Any) -> None:
    """The in-app message or the letter's PDF, once per notice (a delivery re-run after a manual
    reset finds it there; the unique indexes on ``notice_id`` are the backstop)."""
    if row["channel"] == "in_app":
        if await scope.exists(InAppMessage).where(InAppMessage.notice_id == row["id"]):
            return
        await scope.insert(
            InAppMessage,
            notice_id=row["id"],
            user_id=row["user_id"],
            case_id=row["case_id"],
            event=row["template_event"],
            subject=prepared.rendered.subject or "",
            body=prepared.rendered.text or "",
            created_at=now,
        )
    elif row["channel"] == "letter" and prepared.pdf:
        pdf = prepared.pdf[0]
        values = {"pdf": pdf, "size": len(pdf), "sha256": hashlib.sha256(pdf).hexdigest(), "created_at": now}
        if await scope.exists(NoticeLetter).where(NoticeLetter.notice_id == row["id"]):
            await scope.update(NoticeLetter, {getattr(NoticeLetter, k): v for k, v in values.items()}).where(
                NoticeLetter.notice_id == row["id"]
            )
            return
        await scope.insert(NoticeLetter, notice_id=row["id"], case_id=row["case_id"], **values)
