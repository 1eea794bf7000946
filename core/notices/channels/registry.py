"""Registers the built-in channels. Imported lazily by ``base.get_channel``.

A plugin adds its own with ``register_channel("wecom", factory)``; the names below are taken.
"""

from __future__ import annotations

from core.notices.channels.base import _registry, register_channel
from core.notices.channels.email import EmailChannel
from core.notices.channels.in_app import InAppChannel
from core.notices.channels.letter import LetterChannel
from core.notices.channels.sms import SmsChannel
from core.notices.channels.webhook import WebhookChannel

__all__ = ["BUILTIN_CHANNELS"]

BUILTIN_CHANNELS = {
    "email": EmailChannel.from_config,
    "sms": SmsChannel.from_config,
    "webhook": WebhookChannel.from_config,
    "in_app": InAppChannel.from_config,
    "letter": LetterChannel.from_config,
}

for _name, _factory in BUILTIN_CHANNELS.items():
    if _name not in _registry:
        register_channel(_name, _factory)
