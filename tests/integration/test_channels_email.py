"""E-mail channel against a real SMTP server (aiosmtpd) on 127.0.0.1."""

from __future__ import annotations

import socket
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from core.notices import Attachment, OutgoingMessage, get_channel, render_notice, sample_context


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Inbox:
    """aiosmtpd handler: keeps what it accepts, refuses some mailboxes like a real MTA."""

    def __init__(self) -> None:
        self.envelopes: list = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("nobody@"):
            return "550 5.1.1 <nobody@example.org>: mailbox unavailable"
        if address.startswith("busy@"):
            return "451 4.3.0 mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 2.0.0 Message accepted for delivery"


def _authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.login == b"casedesk" and auth_data.password == b"s3cret"
    # handled=False: let aiosmtpd answer a failure with its own 535 reply
    return AuthResult(success=ok, handled=False)


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    port = _free_port()
    controller = Controller(
        inbox, hostname="127.0.0.1", port=port, authenticator=_authenticator, auth_require_tls=False
    )
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def _message(**changes) -> OutgoingMessage:
    ctx = sample_context("not_accepted", "zh-CN")
    rendered = render_notice("not_accepted", ctx, channel="email", locale="zh-CN")
    values = dict(
        notice_id="7f3c2a9e-1d4b-4c1e-9a57-0b8e6f2d4c11",
        tenant_id="donghu",
        channel="email",
        recipient="zhang.san@example.org",
        recipient_name="张三",
        locale="zh-CN",
        event="not_accepted",
        subject=rendered.subject,
        text_body=rendered.text,
        html_body=rendered.html,
        attachments=(Attachment(filename="不予受理告知书.pdf", content=b"%PDF-1.7 test", mime="application/pdf"),),
    )
    values.update(changes)
    return OutgoingMessage(**values)


def _channel(port: int, **extra):
    config = {"host": "127.0.0.1", "port": port, "sender": "noreply@xinfang.example.gov.cn",
              "sender_name": "东湖区信访局", "start_tls": False, "timeout": 5, **extra}  # fmt: skip
    return get_channel("email", config)


async def test_a_chinese_notice_arrives_intact(smtp_server):
    inbox, port = smtp_server
    message = _message()
    result = await _channel(port).send(message)
    assert result.ok, result.error
    assert result.provider_id == "<notice.7f3c2a9e-1d4b-4c1e-9a57-0b8e6f2d4c11@xinfang.example.gov.cn>"
    assert "250" not in (result.error or "") and "accepted" in (result.detail or "").lower()

    (envelope,) = inbox.envelopes
    assert envelope.mail_from == "noreply@xinfang.example.gov.cn"
    assert envelope.rcpt_tos == ["zhang.san@example.org"]
    received = message_from_bytes(envelope.original_content, policy=policy.default)
    assert received["Subject"] == "【不予受理告知】关于您反映事项的审查结果（登记编号 DH-2026-000458）"
    assert received["From"].addresses[0].display_name == "东湖区信访局"
    assert received["To"].addresses[0].display_name == "张三"
    assert received["Message-ID"].strip() == result.provider_id  # long ids are folded onto a new line
    text = received.get_body(("plain",)).get_content()
    html = received.get_body(("html",)).get_content()
    assert "依法应当通过诉讼、仲裁、行政复议等法定途径解决的事项" in text
    assert "<!DOCTYPE html>" in html and "东湖区人民法院" in html
    (attachment,) = list(received.iter_attachments())
    assert attachment.get_filename() == "不予受理告知书.pdf"
    assert attachment.get_content_type() == "application/pdf" and attachment.get_content() == b"%PDF-1.7 test"


async def test_login_with_configured_credentials(smtp_server):
    inbox, port = smtp_server
    good = await _channel(port, username="casedesk", password="s3cret").send(_message())
    assert good.ok and len(inbox.envelopes) == 1
    bad = await _channel(port, username="casedesk", password="wrong").send(_message())
    assert not bad.ok and bad.permanent and "535" in bad.error
    assert len(inbox.envelopes) == 1


async def test_a_refused_mailbox_is_permanent_and_a_busy_one_is_retried(smtp_server):
    inbox, port = smtp_server
    refused = await _channel(port).send(_message(recipient="nobody@example.org"))
    assert not refused.ok and refused.permanent and "550" in refused.error
    busy = await _channel(port).send(_message(recipient="busy@example.org"))
    assert not busy.ok and not busy.permanent and "451" in busy.error
    assert inbox.envelopes == []


async def test_no_server_listening_is_retryable():
    result = await _channel(_free_port(), timeout=2).send(_message())
    assert not result.ok and not result.permanent and result.error


async def test_required_starttls_that_the_server_lacks_is_a_config_error(smtp_server):
    _inbox, port = smtp_server
    result = await _channel(port, start_tls=True).send(_message())
    assert not result.ok and result.permanent
