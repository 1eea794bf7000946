"""Notices: delivery channels, the template engine and printed letters, as pure building blocks.

Nothing here touches the database or the job queue: the core builds a :class:`NoticeContext`
from its rows, renders with :func:`render_notice` (or :func:`render_letter_pdf`), wraps the
result in an :class:`OutgoingMessage`, and the outbox worker hands it to ``get_channel(name,
config).send(...)``, scheduling retries with :func:`next_attempt_delay`.
"""

from core.notices.backoff import next_attempt_delay
from core.notices.channels import (
    Attachment,
    Channel,
    ChannelConfigError,
    DeliveryResult,
    OutgoingMessage,
    UnknownChannelError,
    available_channels,
    get_channel,
    register_channel,
)
from core.notices.context import LOCALES, TIME_UNITS, Letterhead, NoticeContext
from core.notices.samples import sample_context
from core.notices.templating import (
    CHANNEL_PARTS,
    CHANNELS,
    EVENTS,
    NoticeTemplateError,
    NoticeTemplates,
    RenderedNotice,
    TemplateNotFoundError,
    TemplateProblem,
    TemplateSecurityError,
    check_template_source,
    preview,
    render_notice,
)

__all__ = [
    "CHANNELS",
    "CHANNEL_PARTS",
    "EVENTS",
    "LOCALES",
    "TIME_UNITS",
    "Attachment",
    "Channel",
    "ChannelConfigError",
    "DeliveryResult",
    "Letterhead",
    "NoticeContext",
    "NoticeTemplateError",
    "NoticeTemplates",
    "OutgoingMessage",
    "RenderedNotice",
    "TemplateNotFoundError",
    "TemplateProblem",
    "TemplateSecurityError",
    "UnknownChannelError",
    "available_channels",
    "check_template_source",
    "get_channel",
    "next_attempt_delay",
    "preview",
    "register_channel",
    "render_notice",
    "sample_context",
]
