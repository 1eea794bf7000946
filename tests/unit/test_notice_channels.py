"""Channel building blocks without a network: registry, message building, classification."""

from __future__ import annotations

import json
import secrets
from datetime import UTC, datetime
from email import message_from_bytes, policy

import httpx
import msgspec
import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from core.notices.channels import (
    Attachment,
    ChannelConfigError,
    DeliveryResult,
    EmailChannel,
    EmailConfig,
    InAppChannel,
    LetterChannel,
    OutgoingMessage,
    SmsChannel,
    SmsConfig,
    UnknownChannelError,
    WebhookChannel,
    available_channels,
    get_channel,
    new_webhook_secret,
    register_channel,
)
from core.notices.channels._http import classify_response
from core.notices.channels.email import build_email
from core.notices.channels.sms import build_sms_body
from core.notices.channels.webhook import build_webhook_body, sign_webhook

MSG = OutgoingMessage(
    notice_id="n-42",
    tenant_id="donghu",
    channel="email",
    recipient="zhang.san@example.org",
    recipient_name="张三",
    event="accepted",
    subject="【受理告知】您反映的事项已受理",
    text_body="您反映的事项已受理。",
    html_body="<p>您反映的事项已受理。</p>",
)


# -- registry -------------------------------------------------------------------------------
def test_builtin_channels_are_registered():
    assert {"email", "sms", "webhook", "in_app", "letter"} <= set(available_channels())
    channel = get_channel("email", {"host": "127.0.0.1", "sender": "noreply@example.org"})
    assert isinstance(channel, EmailChannel) and channel.config.port == 587


def test_a_plugin_can_register_its_own_channel():
    class Fax:
        def __init__(self, config):
            self.number = config["gateway"]

        async def send(self, message):
            return DeliveryResult.success(f"fax:{self.number}")

    name = "fax_" + secrets.token_hex(4)  # the registry is process-wide
    register_channel(name, Fax)
    assert get_channel(name, {"gateway": "110"}).number == "110"
    assert name in available_channels()
    with pytest.raises(ValueError, match="already registered"):
        register_channel(name, Fax)
    register_channel(name, Fax, replace=True)
    with pytest.raises(ValueError):
        register_channel("Bad Name", Fax)


def test_unknown_channel_and_bad_config_are_clear_errors():
    with pytest.raises(UnknownChannelError, match="pigeon"):
        get_channel("pigeon", {})
    with pytest.raises(ChannelConfigError, match="sender"):
        get_channel("email", {"host": "smtp.example.org"})
    with pytest.raises(ChannelConfigError, match="port"):
        get_channel("email", {"host": "smtp.example.org", "sender": "a@b.c", "port": "many"})
    with pytest.raises(ChannelConfigError, match="secret"):
        get_channel("webhook", {"secret": ""})
    with pytest.raises(ChannelConfigError):
        get_channel("email", {"host": "h", "sender": "a@b.c", "start_tls": True, "use_tls": True})


# -- e-mail ---------------------------------------------------------------------------------
def test_email_headers_are_rfc2047_encoded_and_parse_back():
    config = EmailConfig(host="smtp.example.org", sender="noreply@xinfang.example.gov.cn", sender_name="东湖区信访局")
    mail = build_email(MSG, config, now=datetime(2026, 3, 4, 2, 0, tzinfo=UTC))
    raw = mail.as_bytes()
    assert b"=?utf-8?" in raw  # the Chinese subject and names travel as encoded-words
    assert "受理".encode() not in raw.split(b"\n\n", 1)[0]  # never as raw 8-bit header bytes
    parsed = message_from_bytes(raw, policy=policy.default)
    assert parsed["Subject"] == MSG.subject
    assert parsed["From"].addresses[0].display_name == "东湖区信访局"
    assert parsed["To"].addresses[0].display_name == "张三"
    assert parsed["Message-ID"] == "<notice.n-42@xinfang.example.gov.cn>"
    assert parsed["Auto-Submitted"] == "auto-generated"
    assert parsed.get_body(("plain",)).get_content().strip() == MSG.text_body
    assert parsed.get_body(("html",)).get_content().strip() == MSG.html_body


def test_email_message_id_is_stable_across_retries_and_safe():
    config = EmailConfig(host="h", sender="a@example.org", message_id_domain="notices.example.org")
    first = build_email(MSG, config)["Message-ID"]
    again = build_email(MSG, config)["Message-ID"]
    assert first == again == "<notice.n-42@notices.example.org>"
    odd = msgspec_replace(MSG, notice_id="a b<c>@d")
    assert build_email(odd, config)["Message-ID"] == "<notice.a-b-c--d@notices.example.org>"


def test_email_subject_cannot_inject_headers_and_attachments_keep_chinese_names():
    sneaky = msgspec_replace(
        MSG,
        subject="受理\r\nBcc: everyone@example.org",
        attachments=(Attachment(filename="不予受理告知书.pdf", content=b"%PDF-1.7", mime="application/pdf"),),
    )
    mail = build_email(sneaky, EmailConfig(host="h", sender="a@example.org"))
    parsed = message_from_bytes(mail.as_bytes(), policy=policy.default)
    assert parsed["Bcc"] is None and parsed["Subject"] == "受理 Bcc: everyone@example.org"
    (attachment,) = list(parsed.iter_attachments())
    assert attachment.get_filename() == "不予受理告知书.pdf" and attachment.get_content() == b"%PDF-1.7"


async def test_email_to_a_malformed_address_fails_permanently_without_connecting():
    channel = EmailChannel(EmailConfig(host="192.0.2.1", port=1, sender="a@example.org", timeout=0.1))
    result = await channel.send(msgspec_replace(MSG, recipient="not an address"))
    assert not result.ok and result.permanent and "address" in result.error


# -- HTTP classification --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("status", "ok", "permanent"),
    [(200, True, False), (202, True, False), (204, True, False), (301, False, True), (400, False, True),
     (401, False, True), (404, False, True), (410, False, True), (408, False, False), (429, False, False),
     (500, False, False), (502, False, False), (503, False, False)],
)  # fmt: skip
def test_http_status_classification(status, ok, permanent):
    result = classify_response(httpx.Response(status, text="answer"))
    assert (result.ok, result.permanent) == (ok, permanent)
    assert result.retryable == (not ok and not permanent)


def test_retry_after_is_read_in_seconds_or_as_a_date():
    assert classify_response(httpx.Response(429, headers={"Retry-After": "17"})).retry_after == 17
    later = httpx.Response(503, headers={"Retry-After": "Wed, 21 Oct 2099 07:28:00 GMT"})
    assert classify_response(later).retry_after > 3600


# -- SMS ------------------------------------------------------------------------------------
def test_sms_body_template_fills_placeholders_without_format_pitfalls():
    config = SmsConfig(
        url="https://sms.example.com/send",
        body={"to": "{phone}", "content": "{text}", "meta": {"ref": "{notice_id}", "tags": ["{tenant_id}", 3]}},
    )
    message = msgspec_replace(MSG, channel="sms", recipient="138 0000-1234", text_body="编号{0}已受理 {phone}")
    body = json.loads(build_sms_body(message, config))
    assert body == {
        "to": "13800001234",
        "content": "编号{0}已受理 {phone}",  # braces in the text are left alone
        "meta": {"ref": "n-42", "tags": ["donghu", 3]},
    }


async def test_sms_sends_auth_and_idempotency_headers_and_reads_the_provider_id():
    seen: list[httpx.Request] = []

    def provider(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"data": {"msgId": "SMS-9"}})

    config = SmsConfig(url="https://sms.example.com/send", token="t0k", response_id_field="data.msgId")
    async with httpx.AsyncClient(transport=httpx.MockTransport(provider)) as client:
        result = await SmsChannel(config, client=client).send(
            msgspec_replace(MSG, channel="sms", recipient="+8613800001234")
        )
    assert result.ok and result.provider_id == "SMS-9"
    (request,) = seen
    assert request.headers["authorization"] == "Bearer t0k"
    assert request.headers["idempotency-key"] == "n-42"
    assert json.loads(request.content) == {"to": "+8613800001234", "text": MSG.text_body}


async def test_sms_refuses_a_bad_number_permanently():
    channel = SmsChannel(SmsConfig(url="https://sms.example.com/send"))
    result = await channel.send(msgspec_replace(MSG, channel="sms", recipient="call me maybe"))
    assert result.permanent and "phone" in result.error


# -- webhooks -------------------------------------------------------------------------------
def test_webhook_signature_verifies_with_the_standard_library_and_rotation():
    old, new = new_webhook_secret(), new_webhook_secret()
    now = datetime.now(UTC)
    body = build_webhook_body(msgspec_replace(MSG, payload={"status": "accepted"}), now=now)
    headers = sign_webhook("n-42", body, [new, old], now=now)
    assert headers["webhook-id"] == "n-42" and len(headers["webhook-signature"].split()) == 2
    for secret in (new, old):
        payload = Webhook(secret).verify(body, headers)
        assert payload["type"] == "case.accepted" and payload["data"]["status"] == "accepted"
        assert payload["data"]["subject"] == MSG.subject
    with pytest.raises(WebhookVerificationError):
        Webhook(new_webhook_secret()).verify(body, headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(new).verify(body.replace(b"accepted", b"rejected"), headers)


async def test_webhook_to_a_private_address_is_refused_by_default():
    channel = WebhookChannel.from_config({"secret": new_webhook_secret()})
    for url in ("http://127.0.0.1:9/hook", "http://10.1.2.3/hook", "http://[::1]/hook", "http://169.254.169.254/x"):
        result = await channel.send(msgspec_replace(MSG, channel="webhook", recipient=url))
        assert result.permanent and "non-public" in result.error, url
    result = await channel.send(msgspec_replace(MSG, channel="webhook", recipient="ftp://example.org/x"))
    assert result.permanent and "http(s)" in result.error


# -- in-app and letters ---------------------------------------------------------------------
async def test_in_app_returns_the_record_to_store():
    result = await InAppChannel().send(msgspec_replace(MSG, channel="in_app", recipient="user-7"))
    assert result.ok and result.provider_id == "in_app:n-42"
    record = json.loads(result.detail)
    assert record["user_id"] == "user-7" and record["subject"] == MSG.subject and record["event"] == "accepted"
    assert not (await InAppChannel().send(msgspec_replace(MSG, recipient=" "))).ok


async def test_letter_channel_stores_an_attached_pdf_idempotently(tmp_path):
    channel = LetterChannel.from_config({"directory": str(tmp_path)})
    letter = msgspec_replace(
        MSG,
        channel="letter",
        tenant_id="../etc",
        attachments=(Attachment(filename="x.pdf", content=b"%PDF-first", mime="application/pdf"),),
    )
    first = await channel.send(letter)
    assert first.ok and first.provider_id == "_etc/n-42.pdf"
    no_pdf = (Attachment(filename="x.pdf", content=b"%PDF-2"),)  # not marked application/pdf
    again = await channel.send(msgspec_replace(letter, html_body=None, attachments=no_pdf))
    assert not again.ok and again.permanent  # no PDF attachment and no HTML: nothing to print
    second_pdf = (Attachment(filename="x.pdf", content=b"%PDF-2", mime="application/pdf"),)
    retry = msgspec_replace(letter, attachments=second_pdf)
    assert (await channel.send(retry)).ok
    files = list(tmp_path.rglob("*.pdf"))
    assert files == [tmp_path / "_etc" / "n-42.pdf"] and files[0].read_bytes() == b"%PDF-2"


def msgspec_replace(message: OutgoingMessage, **changes) -> OutgoingMessage:
    return msgspec.structs.replace(message, **changes)
