"""Signed webhooks to tenant-configured endpoints, following the Standard Webhooks scheme.

Signing uses the ``standardwebhooks`` library, so receivers can verify with any Standard
Webhooks implementation: headers ``webhook-id`` (the notice id, identical on every retry so the
receiver can de-duplicate), ``webhook-timestamp`` (Unix seconds) and ``webhook-signature``
(``v1,<base64 HMAC-SHA256 over "id.timestamp.body">``; several space-separated signatures while
a secret is being rotated). ``docs/webhooks.md`` is the receiver's guide.

Endpoints are typed in by tenant admins, so by default a destination that resolves to a
loopback, private, link-local or otherwise internal address is refused (server-side request
forgery into the operator's network). ``allow_private_networks`` lifts that for on-premises
deployments and for tests.
"""

from __future__ import annotations

import asyncio
import base64
import ipaddress
import secrets
import socket
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import httpx
import msgspec
from standardwebhooks.webhooks import Webhook

from core.notices.channels._http import classify_response, post
from core.notices.channels.base import (
    ChannelConfigError,
    DeliveryResult,
    OutgoingMessage,
    convert_config,
)

__all__ = [
    "WebhookChannel",
    "WebhookConfig",
    "build_webhook_body",
    "new_webhook_secret",
    "sign_webhook",
]


class WebhookConfig(msgspec.Struct, frozen=True, kw_only=True):
    """A tenant's webhook settings. The endpoint is the message's recipient, else ``url``."""

    secret: str
    """``whsec_`` + base64 key, as made by :func:`new_webhook_secret`."""
    previous_secrets: list[str] = msgspec.field(default_factory=list)
    """Still signed with during a rotation, so receivers can switch keys without a gap."""
    url: str | None = None
    timeout: float = 10.0
    allow_private_networks: bool = False
    headers: dict[str, str] = msgspec.field(default_factory=dict)
    event_prefix: str = "case."
    """``type`` in the body is ``event_prefix + event`` (``case.replied``)."""


def new_webhook_secret() -> str:
    """A fresh 256-bit signing secret in the Standard Webhooks ``whsec_`` format."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def build_webhook_body(message: OutgoingMessage, *, now: datetime, event_prefix: str = "case.") -> bytes:
    """The JSON body: ``type``, ``timestamp`` and ``data`` (payload plus the rendered texts)."""
    data: dict[str, Any] = {
        **message.payload,
        "notice_id": message.notice_id,
        "tenant_id": message.tenant_id,
        "locale": message.locale,
    }
    if message.subject:
        data.setdefault("subject", message.subject)
    if message.text_body:
        data.setdefault("text", message.text_body)
    body = {
        "type": f"{event_prefix}{message.event or 'notice'}",
        "timestamp": now.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "data": data,
    }
    return msgspec.json.encode(body)


def sign_webhook(msg_id: str, body: bytes, secrets_: list[str], *, now: datetime) -> dict[str, str]:
    """The three Standard Webhooks headers for ``body``, signed with every secret given."""
    text = body.decode()
    signatures = [Webhook(secret).sign(msg_id, now.astimezone(UTC), text) for secret in secrets_]
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": " ".join(signatures),
    }


def _is_internal(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not ip.is_global or ip.is_multicast


async def _refuse_destination(url: str, allow_private: bool) -> str | None:
    """Why ``url`` must not be called, or None. Resolves the host to see where it really goes."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"webhook URL must be http(s) with a host: {url!r}"
    if allow_private:
        return None
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(
            parts.hostname, parts.port or (443 if parts.scheme == "https" else 80), type=socket.SOCK_STREAM
        )
    except OSError:
        return None  # let the HTTP request report the DNS failure as retryable
    internal = sorted({info[4][0] for info in infos if _is_internal(str(info[4][0]))})
    if internal:
        return f"webhook destination {parts.hostname} resolves to a non-public address ({internal[0]})"
    return None


class WebhookChannel:
    """POSTs the signed JSON body to the endpoint."""

    def __init__(
        self,
        config: WebhookConfig,
        *,
        client: httpx.AsyncClient | None = None,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        try:
            for secret in (config.secret, *config.previous_secrets):
                Webhook(secret)
        except Exception as exc:  # the library raises several types for a bad key
            raise ChannelConfigError(f"WebhookConfig: unusable secret ({type(exc).__name__})") from exc
        self.config = config
        self._client = client
        self._now = now or (lambda: datetime.now(UTC))

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> WebhookChannel:
        return cls(convert_config(config, WebhookConfig))

    async def send(self, message: OutgoingMessage) -> DeliveryResult:
        cfg = self.config
        url = message.recipient.strip() or (cfg.url or "")
        refusal = await _refuse_destination(url, cfg.allow_private_networks)
        if refusal:
            return DeliveryResult.fail(refusal)
        now = self._now()
        body = build_webhook_body(message, now=now, event_prefix=cfg.event_prefix)
        headers = {
            **cfg.headers,
            "Content-Type": "application/json",
            "User-Agent": "casedesk-webhooks/1",
            **sign_webhook(message.notice_id, body, [cfg.secret, *cfg.previous_secrets], now=now),
        }
        answer = await post(url, content=body, headers=headers, request_timeout=cfg.timeout, client=self._client)
        if isinstance(answer, DeliveryResult):
            return answer
        return classify_response(answer, provider_id=message.notice_id)
