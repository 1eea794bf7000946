"""E-mail over SMTP (aiosmtplib), built with the standard library's ``EmailMessage``.

``EmailMessage`` with the default policy already does the fiddly parts right: RFC 2047
encoded-words for a Chinese subject and display names, RFC 2231 for Chinese attachment names,
``multipart/alternative`` for text + HTML. Hand-rolling any of that is how mail arrives as
``=?utf-8?...`` garbage in a complainant's inbox.

Idempotency: the ``Message-ID`` is derived from the notice id, so when the worker re-sends
after an ambiguous failure (connection dropped after DATA), the recipient's client threads
and de-duplicates the two copies instead of showing two different letters.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any

import aiosmtplib
import msgspec

from core.notices.channels.base import (
    ChannelConfigError,
    DeliveryResult,
    OutgoingMessage,
    convert_config,
)

__all__ = ["EmailChannel", "EmailConfig", "build_email", "message_id_for"]


class EmailConfig(msgspec.Struct, frozen=True, kw_only=True):
    """SMTP settings of one tenant (or of the platform's default relay)."""

    host: str
    port: int = 587
    sender: str
    """Envelope and ``From`` address, e.g. ``noreply@petition.example.gov.cn``."""
    sender_name: str | None = None
    """Display name of ``From``; the tenant's name is the usual choice."""
    username: str | None = None
    password: str | None = None
    start_tls: bool | None = None
    """True: require STARTTLS; False: never; None: upgrade when the server offers it."""
    use_tls: bool = False
    """Implicit TLS from the first byte (port 465)."""
    validate_certs: bool = True
    timeout: float = 30.0
    reply_to: str | None = None
    message_id_domain: str | None = None
    """Right-hand side of ``Message-ID``; defaults to the sender's domain."""


_ID_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")
_WS = re.compile(r"\s+")


def message_id_for(notice_id: str, domain: str) -> str:
    """The ``Message-ID`` of a notice: stable across retries, unique per notice."""
    return f"<notice.{_ID_UNSAFE.sub('-', notice_id)}@{domain}>"


def _address(addr_spec: str, display_name: str | None) -> Address:
    if "@" not in addr_spec or _WS.search(addr_spec):
        raise ValueError(f"not an e-mail address: {addr_spec!r}")
    username, _, domain = addr_spec.rpartition("@")
    if not username or not domain:
        raise ValueError(f"not an e-mail address: {addr_spec!r}")
    return Address(display_name=_WS.sub(" ", display_name or "").strip(), username=username, domain=domain)


def build_email(message: OutgoingMessage, config: EmailConfig, *, now: datetime | None = None) -> EmailMessage:
    """Build the MIME message for ``message`` (pure: no network), raising ValueError on bad input."""
    mail = EmailMessage()
    sender = _address(config.sender, config.sender_name)
    mail["From"] = sender
    mail["To"] = _address(message.recipient, message.recipient_name)
    if config.reply_to:
        mail["Reply-To"] = _address(config.reply_to, None)
    # Header values must not carry line breaks (header injection); a template may end in one.
    mail["Subject"] = _WS.sub(" ", message.subject or "").strip()
    mail["Date"] = format_datetime(now or datetime.now(UTC))
    mail["Message-ID"] = message_id_for(message.notice_id, config.message_id_domain or sender.domain)
    # RFC 3834: tells vacation responders and ticket systems not to answer an automatic notice.
    mail["Auto-Submitted"] = "auto-generated"
    mail["X-Casedesk-Notice-Id"] = message.notice_id
    mail.set_content(message.text_body or "")
    if message.html_body:
        mail.add_alternative(message.html_body, subtype="html")
    for attachment in message.attachments:
        maintype, _, subtype = attachment.mime.partition("/")
        mail.add_attachment(
            attachment.content,
            maintype=maintype or "application",
            subtype=subtype or "octet-stream",
            filename=attachment.filename,
        )
    return mail


def _smtp_result(exc: aiosmtplib.SMTPException) -> DeliveryResult:
    """5xx replies are permanent (mailbox unknown, auth refused); 4xx and transport errors retry."""
    if isinstance(exc, aiosmtplib.SMTPRecipientsRefused):
        codes = [r.code for r in exc.recipients]
        text = "; ".join(f"{r.recipient}: {r.code} {r.message}" for r in exc.recipients)
        if codes and all(500 <= c < 600 for c in codes):
            return DeliveryResult.fail(f"recipient refused: {text}")
        return DeliveryResult.retry(f"recipient deferred: {text}")
    if isinstance(exc, aiosmtplib.SMTPResponseException):
        error = f"SMTP {exc.code} {exc.message}"
        return DeliveryResult.fail(error) if 500 <= exc.code < 600 else DeliveryResult.retry(error)
    if isinstance(exc, aiosmtplib.SMTPNotSupported) or "not supported" in str(exc).lower():
        # e.g. STARTTLS or AUTH required by the config but not offered: fix the config first.
        return DeliveryResult.fail(f"SMTP server does not support what the config requires: {exc}")
    return DeliveryResult.retry(f"{type(exc).__name__}: {exc}")


class EmailChannel:
    """Sends one message per call through the configured SMTP server."""

    def __init__(self, config: EmailConfig) -> None:
        if config.start_tls and config.use_tls:
            raise ChannelConfigError("EmailConfig: start_tls and use_tls exclude each other")
        self.config = config

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> EmailChannel:
        return cls(convert_config(config, EmailConfig))

    async def send(self, message: OutgoingMessage) -> DeliveryResult:
        cfg = self.config
        try:
            mail = build_email(message, cfg)
        except ValueError as exc:
            return DeliveryResult.fail(f"cannot build e-mail: {exc}")
        message_id = str(mail["Message-ID"]).strip()
        try:
            _errors, response = await aiosmtplib.send(
                mail,
                hostname=cfg.host,
                port=cfg.port,
                username=cfg.username,
                password=cfg.password,
                start_tls=cfg.start_tls,
                use_tls=cfg.use_tls,
                validate_certs=cfg.validate_certs,
                timeout=cfg.timeout,
            )
        except aiosmtplib.SMTPException as exc:
            return _smtp_result(exc)
        except OSError as exc:
            return DeliveryResult.retry(f"connection failed: {exc}")
        return DeliveryResult.success(message_id, detail=response)
