"""SMS and webhook channels against a real HTTP server on 127.0.0.1, started inside the test.

The server is the standard library's threading HTTP server answering from a script of
replies, so each test decides what the "provider" says and sees exactly what was sent.
The webhook tests also execute the verification snippets of docs/webhooks.md against a real
signed delivery.
"""

from __future__ import annotations

import json
import re
import socket
import threading
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from core.notices import OutgoingMessage, get_channel, render_notice, sample_context
from core.notices.channels import new_webhook_secret

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Reply:
    status: int = 200
    body: bytes = b"{}"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


class Endpoint:
    """A scripted HTTP endpoint: answers POSTs with queued replies (default 200) and records them."""

    def __init__(self) -> None:
        self.requests: list[Received] = []
        self.replies: deque[Reply] = deque()
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                endpoint.requests.append(Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body))
                reply = endpoint.replies.popleft() if endpoint.replies else Reply()
                if reply.delay:
                    time.sleep(reply.delay)
                self.send_response(reply.status)
                for name, value in {"Content-Type": "application/json", **reply.headers}.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)

            def log_message(self, *args: object) -> None:
                pass

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request: object, client_address: object) -> None:
                pass  # a client that timed out and left is expected in these tests

        self.server = Server(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> Endpoint:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def endpoint() -> Iterator[Endpoint]:
    with Endpoint() as running:
        yield running


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _sms(**changes) -> OutgoingMessage:
    text = render_notice("accepted", sample_context("accepted", "zh-CN"), channel="sms", locale="zh-CN").text
    values = dict(notice_id="notice-101", tenant_id="donghu", channel="sms", recipient="+86 138 0000 1234",
                  event="accepted", text_body=text)  # fmt: skip
    return OutgoingMessage(**{**values, **changes})


def _sms_channel(url: str, **extra):
    config = {"url": url + "/v1/messages", "token": "sk-test", "auth_header": "X-Api-Key", "auth_scheme": "",
              "body": {"mobile": "{phone}", "content": "{text}", "sign": "东湖区信访局"},
              "response_id_field": "result.messageId", "timeout": 2, **extra}  # fmt: skip
    return get_channel("sms", config)


# -- SMS ------------------------------------------------------------------------------------
async def test_sms_is_posted_as_configured_and_the_provider_id_read(endpoint):
    endpoint.replies.append(Reply(200, json.dumps({"result": {"messageId": "MSG-778"}}).encode()))
    message = _sms()
    result = await _sms_channel(endpoint.url).send(message)
    assert result.ok and result.provider_id == "MSG-778"
    (request,) = endpoint.requests
    assert request.path == "/v1/messages"
    assert request.headers["x-api-key"] == "sk-test"
    assert request.headers["idempotency-key"] == "notice-101"
    sent = json.loads(request.body)
    assert sent == {"mobile": "+8613800001234", "content": message.text_body.strip(), "sign": "东湖区信访局"}
    assert "已受理" in sent["content"]


@pytest.mark.parametrize(
    ("reply", "permanent", "retry_after"),
    [
        (Reply(400, b'{"error":"invalid mobile"}'), True, None),
        (Reply(401, b'{"error":"bad key"}'), True, None),
        (Reply(503, b"maintenance"), False, None),
        (Reply(429, b"slow down", {"Retry-After": "30"}), False, 30.0),
    ],
)
async def test_sms_provider_errors_are_classified(endpoint, reply, permanent, retry_after):
    endpoint.replies.append(reply)
    result = await _sms_channel(endpoint.url).send(_sms())
    assert not result.ok and result.permanent is permanent
    assert result.retry_after == retry_after
    assert str(reply.status) in result.error and result.detail == reply.body.decode()


async def test_sms_timeout_is_retryable(endpoint):
    endpoint.replies.append(Reply(200, delay=1.5))
    started = time.monotonic()
    result = await _sms_channel(endpoint.url, timeout=0.3).send(_sms())
    assert time.monotonic() - started < 1.4
    assert not result.ok and not result.permanent and "timeout" in result.error.lower()


async def test_sms_gateway_down_is_retryable():
    result = await _sms_channel(f"http://127.0.0.1:{_free_port()}").send(_sms())
    assert not result.ok and not result.permanent and "transport" in result.error.lower()


# -- webhooks -------------------------------------------------------------------------------
def _hook(url: str, **changes) -> OutgoingMessage:
    ctx = sample_context("replied", "zh-CN")
    rendered = render_notice("replied", ctx, channel="webhook", locale="zh-CN")
    values = dict(notice_id="7f3c2a9e-1d4b-4c1e-9a57-0b8e6f2d4c11", tenant_id="donghu", channel="webhook",
                  recipient=url + "/casedesk/hooks", event="replied", subject=rendered.subject,
                  text_body=rendered.text, payload={"case_number": ctx.case_number, "status": "replied"})  # fmt: skip
    return OutgoingMessage(**{**values, **changes})


def _hook_channel(secret: str, **extra):
    return get_channel("webhook", {"secret": secret, "allow_private_networks": True, "timeout": 2, **extra})


def _doc_snippets() -> dict:
    text = (ROOT / "docs" / "webhooks.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert len(blocks) == 2
    namespace: dict = {}
    for block in blocks:
        exec(compile(block, "docs/webhooks.md", "exec"), namespace)
    return namespace


async def test_webhook_delivery_is_signed_and_verifies_with_the_documented_snippets(endpoint):
    secret = new_webhook_secret()
    result = await _hook_channel(secret).send(_hook(endpoint.url))
    assert result.ok and result.provider_id == "7f3c2a9e-1d4b-4c1e-9a57-0b8e6f2d4c11"
    (request,) = endpoint.requests
    assert request.path == "/casedesk/hooks"
    assert request.headers["webhook-id"] == "7f3c2a9e-1d4b-4c1e-9a57-0b8e6f2d4c11"
    assert abs(int(request.headers["webhook-timestamp"]) - time.time()) < 60
    assert request.headers["webhook-signature"].startswith("v1,")

    docs = _doc_snippets()
    for verify in (docs["receive_casedesk_webhook"], docs["verify_casedesk_webhook"]):
        payload = verify(request.body, request.headers, secret)
        assert payload["type"] == "case.replied"
        assert payload["data"]["case_number"] == "DH-2026-000458" and payload["data"]["status"] == "replied"
        assert "答复" in payload["data"]["subject"] and "经现场核查" in payload["data"]["text"]
    tampered = request.body.replace(b"replied", b"closed")
    with pytest.raises(WebhookVerificationError):
        docs["receive_casedesk_webhook"](tampered, request.headers, secret)
    with pytest.raises(ValueError, match="signature"):
        docs["verify_casedesk_webhook"](tampered, request.headers, secret)
    with pytest.raises(ValueError, match="signature"):
        docs["verify_casedesk_webhook"](request.body, request.headers, new_webhook_secret())


async def test_rotation_signs_with_both_secrets_and_retries_keep_the_id(endpoint):
    old, new = new_webhook_secret(), new_webhook_secret()
    channel = _hook_channel(new, previous_secrets=[old])
    endpoint.replies.extend([Reply(500, b"boom"), Reply(204, b"")])
    first = await channel.send(_hook(endpoint.url))
    second = await channel.send(_hook(endpoint.url))
    assert first.retryable and "500" in first.error
    assert second.ok
    ids = {r.headers["webhook-id"] for r in endpoint.requests}
    assert ids == {"7f3c2a9e-1d4b-4c1e-9a57-0b8e6f2d4c11"}  # the receiver can de-duplicate retries
    last = endpoint.requests[-1]
    for secret in (old, new):
        assert Webhook(secret).verify(last.body, last.headers)["type"] == "case.replied"


async def test_webhook_rejections_and_redirects_are_permanent(endpoint):
    endpoint.replies.extend([Reply(410, b"gone"), Reply(302, b"", {"Location": endpoint.url + "/elsewhere"})])
    gone = await _hook_channel(new_webhook_secret()).send(_hook(endpoint.url))
    moved = await _hook_channel(new_webhook_secret()).send(_hook(endpoint.url))
    assert gone.permanent and "410" in gone.error
    assert moved.permanent and "302" in moved.error
    assert [r.path for r in endpoint.requests] == ["/casedesk/hooks", "/casedesk/hooks"]  # no redirect followed


async def test_webhook_to_loopback_is_refused_unless_allowed(endpoint):
    refused = await get_channel("webhook", {"secret": new_webhook_secret()}).send(_hook(endpoint.url))
    assert refused.permanent and "non-public" in refused.error
    assert endpoint.requests == []
