"""Delivery channels: one small module per channel behind one interface (``base``).

Public surface: the message/result types, the registry, and the built-in channel classes.
"""

from core.notices.channels.base import (
    Attachment,
    Channel,
    ChannelConfigError,
    ChannelFactory,
    DeliveryResult,
    OutgoingMessage,
    UnknownChannelError,
    available_channels,
    get_channel,
    register_channel,
)
from core.notices.channels.email import EmailChannel, EmailConfig
from core.notices.channels.in_app import InAppChannel
from core.notices.channels.letter import LetterChannel, LetterConfig
from core.notices.channels.sms import SmsChannel, SmsConfig
from core.notices.channels.webhook import WebhookChannel, WebhookConfig, new_webhook_secret

__all__ = [
    "Attachment",
    "Channel",
    "ChannelConfigError",
    "ChannelFactory",
    "DeliveryResult",
    "EmailChannel",
    "EmailConfig",
    "InAppChannel",
    "LetterChannel",
    "LetterConfig",
    "OutgoingMessage",
    "SmsChannel",
    "SmsConfig",
    "UnknownChannelError",
    "WebhookChannel",
    "WebhookConfig",
    "available_channels",
    "get_channel",
    "new_webhook_secret",
    "register_channel",
]
