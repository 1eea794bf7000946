"""The notices API: tenant templates (checked, versioned, audited, previewed under a time limit),
channel settings (validated, secrets masked), the outbox listing, queue health and metrics."""

from __future__ import annotations

import pytest
from notice_support import notices_of, run_notices

from core.tables import ChannelConfig
from tenants.scope import TenantScope

KEY = "/api/v1/tenant/templates/gov_petition/not_accepted.letter.zh-CN"


async def test_a_broken_override_is_refused_with_its_line(make_tenant, client):
    t = await make_tenant()
    broken = "{% extends builtin_template %}\n{% block title %}\n不予受理告知书{% if %}\n{% endblock %}"
    response = await client.put(KEY, json={"source": broken}, headers=t.admin)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["line"] == 3 and body["field"] == "source" and body["errors"][0]["message"].startswith("line 3:")
    typo = await client.put(KEY, json={"source": "{{ case_numbr }}"}, headers=t.admin)
    assert typo.status_code == 422 and "case_numbr" in typo.json()["detail"] and typo.json()["line"] == 1
    assert (await client.get(KEY, headers=t.admin)).json()["override"] is False  # nothing was saved


async def test_overrides_are_versioned_audited_and_reverted(make_tenant, client):
    t = await make_tenant()
    listed = {e["key"]: e for e in (await client.get("/api/v1/tenant/templates", headers=t.admin)).json()}
    assert listed["gov_petition/not_accepted.letter.zh-CN"]["builtin"].endswith(".j2")
    assert listed["registered.sms.en"]["override"] is False
    source = "{% extends builtin_template %}{% block title %}东湖区信访局不予受理告知书{% endblock %}"
    first = await client.put(KEY, json={"source": source}, headers=t.admin)
    assert first.status_code == 200, first.text
    assert first.json()["version"] == 1 and first.json()["builtin_source"]
    stale = await client.put(KEY, json={"source": source, "expected_version": 0}, headers=t.admin)
    assert stale.status_code == 409
    second = await client.put(KEY, json={"source": source + " ", "expected_version": 1}, headers=t.admin)
    assert second.json()["version"] == 2
    assert (await client.put(KEY, json={"source": source}, headers=t.as_user("supervisor"))).status_code == 403
    preview = await client.post(f"{KEY}/preview", json={}, headers=t.admin)
    assert preview.status_code == 200 and preview.json()["subject"] == "东湖区信访局不予受理告知书"
    events = (await client.get("/api/v1/tenant/events", headers=t.admin)).json()["items"]
    assert sorted(e["data"]["version"] for e in events if e["action"] == "notice_template") == [1, 2]
    assert (await client.delete(KEY, headers=t.admin)).status_code == 204
    assert (await client.get(KEY, headers=t.admin)).json()["override"] is False
    assert (await client.delete(KEY, headers=t.admin)).status_code == 404


@pytest.mark.parametrize(
    ("key", "field"),
    [
        ("not_accepted.fax.zh-CN", "key"),
        ("not_accepted.email.fr", "key"),
        ("hospital/replied.email.zh-CN", "key"),  # not a sector of this tenant
        ("written_reply.email.zh-CN", "key"),  # a plugin's template name needs its sector
        ("../../etc/passwd", "key"),
    ],
)
async def test_bad_template_keys_answer_422(make_tenant, client, key, field):
    t = await make_tenant()
    response = await client.put(f"/api/v1/tenant/templates/{key}", json={"source": "x"}, headers=t.admin)
    assert response.status_code in (404, 422), response.text
    if response.status_code == 422:
        assert response.json()["field"] == field


async def test_a_preview_that_loops_forever_is_stopped(make_tenant, client, settings):
    t = await make_tenant()
    looping = "{% for i in range(100000) %}{% for j in range(100000) %}{{ i }}{% endfor %}{% endfor %}"
    response = await client.post(
        "/api/v1/tenant/templates/registered.sms.zh-CN/preview", json={"source": looping}, headers=t.admin
    )
    assert response.status_code == 422 and "longer than" in response.json()["detail"]
    draft = "【测试】{{ case_number }} {{ subject }}"
    fine = await client.post(
        "/api/v1/tenant/templates/registered.sms.zh-CN/preview", json={"source": draft}, headers=t.admin
    )
    assert fine.status_code == 200 and fine.json()["text"].startswith("【测试】DH-2026-000458")
    failing = await client.post(
        "/api/v1/tenant/templates/registered.sms.zh-CN/preview", json={"source": "a\n{{ 1 // 0 }}"}, headers=t.admin
    )
    assert failing.status_code == 422 and failing.json()["line"] == 2
    assert (
        await client.post("/api/v1/tenant/templates/registered.sms.zh-CN", json={}, headers=t.admin)
    ).status_code == 404


async def test_channel_settings_are_validated_and_secrets_never_answered(make_tenant, client):
    t = await make_tenant()
    bad = await client.put(
        "/api/v1/tenant/channels/email",
        json={"config": {"host": "smtp.example.org", "port": "x", "sender": "a@example.org"}},
        headers=t.admin,
    )
    assert bad.status_code == 422 and bad.json()["field"] == "config.port"
    missing = await client.put("/api/v1/tenant/channels/sms", json={"config": {}}, headers=t.admin)
    assert missing.status_code == 422
    private = await client.put(
        "/api/v1/tenant/channels/webhook",
        json={"config": {"url": "http://10.0.0.5/", "secret": "whsec_" + "A" * 44, "allow_private_networks": True}},
        headers=t.admin,
    )
    assert private.status_code == 422 and private.json()["field"] == "config.allow_private_networks"
    assert (await client.get("/api/v1/tenant/channels/fax", headers=t.admin)).status_code == 404

    secret = "smtp-password-very-secret-1234"
    config = {
        "host": "smtp.example.org",
        "port": 587,
        "sender": "noreply@example.org",
        "username": "u",
        "password": secret,
    }
    saved = await client.put("/api/v1/tenant/channels/email", json={"config": config}, headers=t.admin)
    assert saved.status_code == 200, saved.text
    shown = saved.json()
    assert shown["config"]["password"] == "****1234" and secret not in saved.text
    assert secret not in (await client.get("/api/v1/tenant/channels", headers=t.admin)).text
    # saving back what was read keeps the stored secret
    shown["config"]["port"] = 2525
    again = await client.put("/api/v1/tenant/channels/email", json={"config": shown["config"]}, headers=t.admin)
    assert again.json()["version"] == 2
    stored = await TenantScope(t.id).select(ChannelConfig).where(ChannelConfig.channel == "email").first()
    assert stored["config"]["password"] == secret and stored["config"]["port"] == 2525
    events = (await client.get("/api/v1/tenant/events", headers=t.admin)).text
    assert "channel_config" in events and secret not in events


async def test_the_outbox_listing_is_for_supervisors_and_hides_confidential_complainants_from_auditors(
    make_tenant, client
):
    t = await make_tenant()
    secret_case = await t.new_case(confidential=True)
    for i in range(3):
        await t.new_case(subject=f"第{i}件")
    assert (await client.get("/api/v1/notices", headers=t.as_user("handler_a"))).status_code == 403
    pages, cursor = [], None
    while True:
        url = "/api/v1/notices?limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = (await client.get(url, headers=t.as_user("supervisor"))).json()
        pages += page["items"]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(pages) == len({n["id"] for n in pages}) == 4
    (hidden,) = [n for n in pages if n["case_id"] == secret_case["id"]]
    seen_by_auditor = (await client.get(f"/api/v1/notices/{hidden['id']}", headers=t.as_user("auditor"))).json()
    assert seen_by_auditor["recipient"] == "" and seen_by_auditor["context"] is None
    full = (await client.get(f"/api/v1/notices/{hidden['id']}", headers=t.as_user("supervisor"))).json()
    assert full["context"]["complainant_name"] == "张三"
    bad = await client.get("/api/v1/notices?state=lost", headers=t.admin)
    assert bad.status_code == 400 or bad.status_code == 422


async def test_health_reports_the_queue_and_metrics_count_deliveries(make_tenant, client, app, settings, clock):
    t = await make_tenant()
    await t.new_case()
    ready = (await client.get("/health/ready")).json()
    assert ready["queue"]["pending"] >= 1 and ready["queue"]["oldest_pending_age_seconds"] >= 0
    assert "failed" in ready["queue"]
    await run_notices(app, settings, clock, t.id)
    assert {n["state"] for n in await notices_of(t.id)} == {"sent"}
    metrics = await client.get("/metrics")
    assert metrics.status_code == 200 and metrics.headers["content-type"].startswith("text/plain")
    text = metrics.text
    assert 'casedesk_notices_sent_total{channel="in_app"}' in text
    assert "casedesk_notice_delivery_seconds_bucket" in text and "casedesk_notice_queue_pending" in text
