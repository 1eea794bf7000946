"""The one shape every delivery channel shares.

The outbox worker does not know what e-mail, SMS or a webhook is: it hands an
:class:`OutgoingMessage` to whatever :class:`Channel` the registry returns and reads the
:class:`DeliveryResult`. Keeping that contract tiny is what lets a plugin or a tenant add a
channel (a WeCom bot, a fax gateway) without touching the worker.

Delivery failures are *returned*, never raised: the worker must always learn whether to retry
(``permanent=False``) or to give up and flag the notice (``permanent=True``), and an exception
escaping a channel would lose that distinction. Only programming and configuration errors
raise (:class:`ChannelConfigError` when a channel is built from bad config).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any, Protocol, TypeVar, runtime_checkable

import msgspec

__all__ = [
    "Attachment",
    "Channel",
    "ChannelConfigError",
    "ChannelFactory",
    "DeliveryResult",
    "OutgoingMessage",
    "UnknownChannelError",
    "available_channels",
    "convert_config",
    "get_channel",
    "register_channel",
]


class Attachment(msgspec.Struct, frozen=True, kw_only=True):
    """A file sent along with a message (e-mail attachment, the PDF of a letter)."""

    filename: str
    content: bytes
    mime: str = "application/octet-stream"


class OutgoingMessage(msgspec.Struct, frozen=True, kw_only=True):
    """One rendered notice on its way to one recipient through one channel.

    ``notice_id`` is the outbox row's id and doubles as the idempotency key every channel
    forwards to its provider (e-mail ``Message-ID``, SMS ``Idempotency-Key``, ``webhook-id``):
    arq may run a delivery job twice, and the provider is what lets the second run be harmless.
    """

    notice_id: str
    tenant_id: str
    channel: str
    recipient: str
    """E-mail address, phone number, endpoint URL, user id or postal address, by channel."""
    locale: str = "zh-CN"
    event: str = ""
    """The lifecycle event that caused the notice (``registered``, ``replied`` …)."""
    recipient_name: str | None = None
    subject: str | None = None
    text_body: str = ""
    html_body: str | None = None
    payload: dict[str, Any] = msgspec.field(default_factory=dict)
    """Structured data for machine recipients (webhooks) and the in-app store."""
    attachments: tuple[Attachment, ...] = ()


class DeliveryResult(msgspec.Struct, frozen=True, kw_only=True):
    """What happened to one delivery attempt.

    ``permanent`` separates "the provider said no and will keep saying no" (a 4xx, a refused
    mailbox, a malformed number) from failures a later attempt may get past (5xx, timeouts,
    a closed connection). The worker retries only the latter.
    """

    ok: bool
    provider_id: str | None = None
    permanent: bool = False
    error: str | None = None
    retry_after: float | None = None
    """Seconds the provider asked us to wait (HTTP ``Retry-After``), if it said so."""
    detail: str | None = None
    """The provider's answer, shortened; for the in-app channel the JSON the core stores."""

    @property
    def retryable(self) -> bool:
        return not self.ok and not self.permanent

    @classmethod
    def success(cls, provider_id: str | None = None, detail: str | None = None) -> DeliveryResult:
        return cls(ok=True, provider_id=provider_id, detail=detail)

    @classmethod
    def retry(cls, error: str, *, retry_after: float | None = None, detail: str | None = None) -> DeliveryResult:
        return cls(ok=False, permanent=False, error=error, retry_after=retry_after, detail=detail)

    @classmethod
    def fail(cls, error: str, *, detail: str | None = None) -> DeliveryResult:
        return cls(ok=False, permanent=True, error=error, detail=detail)


@runtime_checkable
class Channel(Protocol):
    """A way to deliver a message. Implementations return a result for every outcome."""

    async def send(self, message: OutgoingMessage) -> DeliveryResult: ...


ChannelFactory = Callable[[Mapping[str, Any]], Channel]
"""Builds a channel from its (tenant's) configuration mapping."""


class ChannelConfigError(ValueError):
    """A channel's configuration is unusable; raised when the channel is built, not when sending."""


class UnknownChannelError(LookupError):
    """No channel is registered under the requested name."""


_T = TypeVar("_T")

_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_registry: dict[str, ChannelFactory] = {}


def register_channel(name: str, factory: ChannelFactory, *, replace: bool = False) -> None:
    """Make ``get_channel(name, config)`` build channels with ``factory``.

    A second registration under the same name is refused unless ``replace=True``, so a plugin
    cannot silently take over ``email`` by loading later than another one.
    """
    if not _NAME.match(name):
        raise ValueError(f"channel name {name!r} must match {_NAME.pattern}")
    if name in _registry and not replace:
        raise ValueError(f"channel {name!r} is already registered")
    _registry[name] = factory


def get_channel(name: str, config: Mapping[str, Any] | None = None) -> Channel:
    """Build the channel registered as ``name`` from ``config``.

    Raises :class:`UnknownChannelError` or :class:`ChannelConfigError`; both are worth showing
    to the tenant admin who wrote the config, neither is a delivery failure.
    """
    _load_builtins()
    try:
        factory = _registry[name]
    except KeyError:
        raise UnknownChannelError(f"no channel named {name!r}; known: {', '.join(sorted(_registry))}") from None
    return factory(dict(config or {}))


def available_channels() -> list[str]:
    _load_builtins()
    return sorted(_registry)


def convert_config(config: Mapping[str, Any], type_: type[_T]) -> _T:
    """Validate a config mapping into a channel's config struct, naming the bad field."""
    try:
        return msgspec.convert(dict(config), type_)
    except msgspec.ValidationError as exc:
        raise ChannelConfigError(f"{type_.__name__}: {exc}") from exc


def _load_builtins() -> None:
    # Imported lazily: the built-in channel modules import this one.
    from core.notices.channels import registry  # noqa: F401
