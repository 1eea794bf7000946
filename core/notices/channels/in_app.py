"""The in-app channel: the portal/console inbox.

Nothing leaves the process: the core stores the message for the recipient user itself. The
channel exists anyway so the outbox worker treats every channel alike (one registry, one
result type, one retry path); its ``send`` only serialises the message into the JSON the core
stores, returned in ``DeliveryResult.detail``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import msgspec

from core.notices.channels.base import DeliveryResult, OutgoingMessage

__all__ = ["InAppChannel", "serialise_in_app"]


def serialise_in_app(message: OutgoingMessage) -> dict[str, Any]:
    """The inbox record: who, what event, the rendered texts and the structured payload."""
    return {
        "notice_id": message.notice_id,
        "tenant_id": message.tenant_id,
        "user_id": message.recipient,
        "event": message.event,
        "locale": message.locale,
        "subject": message.subject,
        "text": message.text_body,
        "html": message.html_body,
        "payload": message.payload,
        "attachments": [{"filename": a.filename, "mime": a.mime, "size": len(a.content)} for a in message.attachments],
    }


class InAppChannel:
    """Always succeeds unless the message has no recipient user."""

    def __init__(self, config: Mapping[str, Any] | None = None) -> None:
        self.config = dict(config or {})

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> InAppChannel:
        return cls(config)

    async def send(self, message: OutgoingMessage) -> DeliveryResult:
        if not message.recipient.strip():
            return DeliveryResult.fail("in-app notice without a recipient user id")
        record = serialise_in_app(message)
        return DeliveryResult.success(f"in_app:{message.notice_id}", detail=msgspec.json.encode(record).decode())
