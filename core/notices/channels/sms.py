"""SMS through a provider's HTTP API, described by configuration rather than code.

Chinese SMS gateways differ mostly in URL, auth header and JSON field names, so one adapter
with a body *template* covers most of them: string values in ``body`` may contain the
placeholders ``{phone}``, ``{text}``, ``{notice_id}``, ``{tenant_id}`` and ``{locale}``, which are
replaced (not ``str.format``-ed, so braces in the text cannot break it). Providers that need
request signing (Aliyun, Tencent Cloud) get their own channel registered under another name.

The notice id goes out as an idempotency-key header so a provider that honours it sends a
retried request only once. Status mapping is shared with webhooks (see ``_http``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import httpx
import msgspec

from core.notices.channels._http import classify_response, post
from core.notices.channels.base import DeliveryResult, OutgoingMessage, convert_config

__all__ = ["SmsChannel", "SmsConfig", "build_sms_body"]

_PHONE = re.compile(r"^\+?[0-9][0-9 -]{4,19}$")
_PLACEHOLDERS = ("phone", "text", "notice_id", "tenant_id", "locale")


class SmsConfig(msgspec.Struct, frozen=True, kw_only=True):
    """One SMS provider endpoint."""

    url: str
    token: str | None = None
    auth_header: str = "Authorization"
    auth_scheme: str = "Bearer"
    """Prefix of the auth header value; empty to send the bare token."""
    body: dict[str, Any] = msgspec.field(default_factory=lambda: {"to": "{phone}", "text": "{text}"})
    idempotency_header: str = "Idempotency-Key"
    response_id_field: str = "id"
    """Dotted path of the provider's message id in its JSON answer (e.g. ``data.msgId``)."""
    headers: dict[str, str] = msgspec.field(default_factory=dict)
    timeout: float = 10.0


def _fill(value: Any, values: Mapping[str, str]) -> Any:
    if isinstance(value, str):
        for key in _PLACEHOLDERS:
            value = value.replace("{" + key + "}", values[key])
        return value
    if isinstance(value, dict):
        return {k: _fill(v, values) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, values) for v in value]
    return value


def build_sms_body(message: OutgoingMessage, config: SmsConfig) -> bytes:
    """The JSON request body for ``message`` under ``config.body``."""
    values = {
        "phone": message.recipient.replace(" ", "").replace("-", ""),
        "text": message.text_body.strip(),
        "notice_id": message.notice_id,
        "tenant_id": message.tenant_id,
        "locale": message.locale,
    }
    return msgspec.json.encode(_fill(config.body, values))


def _dig(data: Any, path: str) -> str | None:
    for part in path.split("."):
        if not isinstance(data, dict) or part not in data:
            return None
        data = data[part]
    return None if data is None else str(data)


class SmsChannel:
    """POSTs one JSON request per message to the configured provider."""

    def __init__(self, config: SmsConfig, *, client: httpx.AsyncClient | None = None) -> None:
        self.config = config
        self._client = client

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> SmsChannel:
        return cls(convert_config(config, SmsConfig))

    async def send(self, message: OutgoingMessage) -> DeliveryResult:
        cfg = self.config
        if not _PHONE.match(message.recipient.strip()):
            return DeliveryResult.fail(f"not a phone number: {message.recipient!r}")
        if not message.text_body.strip():
            return DeliveryResult.fail("empty SMS text")
        headers = {
            **cfg.headers,
            "Content-Type": "application/json; charset=utf-8",
            "Accept": "application/json",
            cfg.idempotency_header: message.notice_id,
        }
        if cfg.token:
            headers[cfg.auth_header] = f"{cfg.auth_scheme} {cfg.token}".strip()
        answer = await post(
            cfg.url,
            content=build_sms_body(message, cfg),
            headers=headers,
            request_timeout=cfg.timeout,
            client=self._client,
        )
        if isinstance(answer, DeliveryResult):
            return answer
        provider_id = None
        if answer.is_success:
            try:
                provider_id = _dig(answer.json(), cfg.response_id_field)
            except ValueError:
                provider_id = None
        return classify_response(answer, provider_id=provider_id)
