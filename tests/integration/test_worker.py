"""The arq worker against the run's real Redis (embedded or served)."""

from __future__ import annotations

from datetime import timedelta

from arq import create_pool
from harness import case_body

from workers.settings import build_worker


async def test_purge_job_forgets_old_idempotency_keys_through_a_real_worker(make_tenant, client, app, clock, settings):
    t = await make_tenant()
    old = await client.post("/api/v1/cases", json=case_body(), headers={**t.admin, "Idempotency-Key": "old"})
    clock.advance(timedelta(hours=settings.idempotency_ttl_hours + 1))
    fresh = await client.post("/api/v1/cases", json=case_body(), headers={**t.admin, "Idempotency-Key": "fresh"})

    runtime = app.state.redis_runtime
    pool = await create_pool(runtime.arq_settings(), default_queue_name=settings.queue_name)
    job = await pool.enqueue_job("purge_expired_idempotency_keys", _job_id=f"{settings.queue_name}:purge-{t.slug}")
    worker = build_worker(settings, runtime.arq_settings(), clock=clock, burst=True, poll_delay=0.05)
    try:
        await worker.main()
    finally:
        await worker.close()
    assert await job.result(timeout=5) >= 1
    await pool.aclose()

    # The old key is gone: the same key now creates a new case; the fresh key still replays.
    again_old = await client.post("/api/v1/cases", json=case_body(), headers={**t.admin, "Idempotency-Key": "old"})
    assert again_old.json()["id"] != old.json()["id"]
    again_fresh = await client.post("/api/v1/cases", json=case_body(), headers={**t.admin, "Idempotency-Key": "fresh"})
    assert again_fresh.json()["id"] == fresh.json()["id"]
