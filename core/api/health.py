"""Liveness and readiness for load balancers and orchestrators."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get

from core.tables import Tenant
from tenants.notice_queue import queue_stats

__all__ = ["HealthController"]


class HealthController(Controller):
    path = "/health"
    tags = ["health"]

    @get("/live", exclude_from_auth=True, summary="The process is up")
    async def live(self) -> dict[str, str]:
        return {"status": "ok"}

    @get("/ready", exclude_from_auth=True, summary="The database and Redis answer")
    async def ready(self, request: Request) -> Response[dict[str, Any]]:
        checks: dict[str, Any] = {}
        try:
            await Tenant.raw("SELECT 1")
            checks["database"] = "ok"
        except Exception as exc:  # readiness reports, it does not raise
            checks["database"] = f"error: {exc.__class__.__name__}"
        try:
            await request.app.state.redis.ping()
            checks["redis"] = "ok"
        except Exception as exc:
            checks["redis"] = f"error: {exc.__class__.__name__}"
        ok = all(v == "ok" for v in checks.values())
        body: dict[str, Any] = {"status": "ok" if ok else "unavailable", "checks": checks}
        try:  # the notice backlog: reported, not a readiness condition
            body["queue"] = await queue_stats(request.app.state.clock.now())
        except Exception as exc:
            body["queue"] = {"error": exc.__class__.__name__}
        return Response(body, status_code=200 if ok else 503)
