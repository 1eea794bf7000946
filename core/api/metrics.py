"""/metrics — Prometheus text exposition (no credential: scrapers sit inside the network).

The delivery counters and histogram come from ``core.notice_metrics``; the queue gauges are
read from the database at scrape time (pending, oldest pending age, failed), so any API process
reports the true backlog even when deliveries run in separate worker processes.
"""

from __future__ import annotations

import os

import structlog
from litestar import Controller, Request, Response, get
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest, multiprocess

from core.notice_metrics import QUEUE_GAUGES
from tenants.notice_queue import queue_stats

__all__ = ["MetricsController"]

log = structlog.get_logger("casedesk.metrics")


class MetricsController(Controller):
    path = "/metrics"
    tags = ["health"]

    @get("/", exclude_from_auth=True, summary="Prometheus metrics", include_in_schema=False)
    async def metrics(self, request: Request) -> Response[bytes]:
        try:
            stats = await queue_stats(request.app.state.clock.now())
            for name, gauge in QUEUE_GAUGES.items():
                gauge.set(stats[name])
        except Exception:  # the exposition must still answer when the database does not
            log.warning("queue gauges unavailable", exc_info=True)
        registry = REGISTRY
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            registry = CollectorRegistry()
            multiprocess.MultiProcessCollector(registry)
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
