"""Test support for notices: a real SMTP server, a scripted HTTP endpoint, and running the relay
plus a burst arq worker against the run's Redis (embedded or served).

The worker gets a queue of its own per call (``<run queue>:n:<random>``) and no cron jobs, so a
test delivers exactly its tenant's notices: the relay is told the tenant, and nothing another
test left in the run's queue is picked up.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import socket
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from arq import create_pool

from core.tables import InAppMessage, Notice
from tenants.scope import TenantScope
from workers.notice_jobs import relay_pending
from workers.settings import build_worker

__all__ = [
    "Endpoint",
    "Inbox",
    "configure_email",
    "configure_webhook",
    "http_endpoint",
    "inbox_of",
    "notices_of",
    "run_notices",
    "smtp_server",
    "worker_settings",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Inbox:
    """aiosmtpd handler keeping every message it accepts. ``slow``: store the message, then
    hold the reply (the sender sees no 250 yet) — the moment a worker can die mid-delivery."""

    def __init__(self) -> None:
        self.messages: list[Any] = []
        self.slow = False

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        from email import message_from_bytes, policy

        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        while self.slow:  # noqa: ASYNC110 - flipped from the test's thread, not this loop's
            await asyncio.sleep(0.02)
        return "250 2.0.0 accepted"

    def message_ids(self) -> list[str]:
        return [str(m["Message-ID"]).strip() for m in self.messages]

    def deduplicated(self) -> dict[str, Any]:
        """What an idempotent receiver keeps: one message per Message-ID."""
        return {str(m["Message-ID"]).strip(): m for m in self.messages}


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        inbox.slow = False
        controller.stop()


@dataclass
class Endpoint:
    """A scripted HTTP endpoint on 127.0.0.1: answers POSTs with ``status`` and records them."""

    status: int = 200
    requests: list[dict[str, Any]] = field(default_factory=list)
    statuses: deque[int] = field(default_factory=deque)
    url: str = ""

    def start(self) -> ThreadingHTTPServer:
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                endpoint.requests.append({"headers": {k.lower(): v for k, v in self.headers.items()}, "body": body})
                status = endpoint.statuses.popleft() if endpoint.statuses else endpoint.status
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args: object) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/casedesk"
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return server

    def webhook_ids(self) -> list[str]:
        return [r["headers"]["webhook-id"] for r in self.requests]

    def bodies(self) -> list[dict[str, Any]]:
        return [json.loads(r["body"]) for r in self.requests]


@pytest.fixture
def http_endpoint():
    endpoint = Endpoint()
    server = endpoint.start()
    try:
        yield endpoint
    finally:
        server.shutdown()
        server.server_close()


async def configure_email(client: Any, tenant: Any, port: int) -> None:
    config = {"host": "127.0.0.1", "port": port, "sender": "noreply@bureau.example.org", "timeout": 10}
    response = await client.put("/api/v1/tenant/channels/email", json={"config": config}, headers=tenant.admin)
    assert response.status_code == 200, response.text


async def configure_webhook(client: Any, tenant: Any, url: str) -> str:
    from core.notices.channels import new_webhook_secret

    secret = new_webhook_secret()
    response = await client.put(
        "/api/v1/tenant/channels/webhook", json={"config": {"url": url, "secret": secret}}, headers=tenant.admin
    )
    assert response.status_code == 200, response.text
    return secret


def worker_settings(settings: Any, **changes: Any) -> Any:
    """The run's settings with a queue of the caller's own and webhooks allowed to 127.0.0.1."""
    return dataclasses.replace(
        settings,
        queue_name=f"{settings.queue_name}:n:{uuid.uuid4().hex[:8]}",
        webhook_allow_private_networks=True,
        **changes,
    )


async def run_notices(app: Any, settings: Any, clock: Any, tenant_id: uuid.UUID, **changes: Any) -> dict[str, int]:
    """One relay for the tenant, then a burst worker until every job it enqueued has run."""
    runtime = getattr(app.state, "notice_redis_runtime", None) or app.state.redis_runtime
    own = worker_settings(settings, **changes)
    pool = await create_pool(runtime.arq_settings(), default_queue_name=own.queue_name)
    try:
        relayed = await relay_pending({"settings": own, "clock": clock, "redis": pool}, str(tenant_id))
        worker = build_worker(own, runtime.arq_settings(), clock=clock, burst=True, poll_delay=0.02, cron_jobs=[])
        started = time.monotonic()
        try:
            await worker.main()
        finally:
            await worker.close()
        assert time.monotonic() - started < 120
    finally:
        await pool.aclose()
    return relayed


async def notices_of(tenant_id: uuid.UUID, case_id: Any = None) -> list[dict[str, Any]]:
    query = TenantScope(tenant_id).select(Notice)
    if case_id is not None:
        query = query.where(Notice.case_id == uuid.UUID(str(case_id)))
    return await query.order_by(Notice.created_at, Notice.id)


async def inbox_of(tenant_id: uuid.UUID, user_id: Any) -> list[dict[str, Any]]:
    return await TenantScope(tenant_id).select(InAppMessage).where(InAppMessage.user_id == user_id)
