"""Prometheus metrics of notice delivery (prometheus-client, the process's default registry).

Counters and the histogram are updated where deliveries happen — the worker, which is the API
process itself when the worker runs in-process. With separate worker processes on one host, set
``PROMETHEUS_MULTIPROC_DIR`` for all of them and ``/metrics`` aggregates (litestar's
controller honours it); across hosts, scrape each worker's process. The queue gauges are read
from the database at scrape time, so they are right whichever process answers.
"""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

__all__ = ["DELIVERY_SECONDS", "NOTICES_FAILED", "NOTICES_RETRIED", "NOTICES_SENT", "QUEUE_GAUGES"]

NOTICES_SENT = Counter("casedesk_notices_sent_total", "Notices delivered", ["channel"])
NOTICES_FAILED = Counter(
    "casedesk_notices_failed_total", "Notices given up on (permanent error or out of attempts)", ["channel"]
)
NOTICES_RETRIED = Counter("casedesk_notices_retried_total", "Delivery attempts that will be retried", ["channel"])
DELIVERY_SECONDS = Histogram(
    "casedesk_notice_delivery_seconds",
    "Time to render and hand one notice to its channel",
    ["channel"],
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
)
QUEUE_GAUGES = {
    "pending": Gauge("casedesk_notice_queue_pending", "Notices waiting for delivery (pending or sending)"),
    "oldest_pending_age_seconds": Gauge(
        "casedesk_notice_queue_oldest_pending_age_seconds", "Age of the oldest undelivered notice"
    ),
    "failed": Gauge("casedesk_notice_queue_failed", "Notices in state failed, awaiting a person"),
}
