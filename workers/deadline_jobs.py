"""The deadline cron job (every minute): fire due escalation levels, note overdue clocks.

Idempotent by construction (see ``core.deadline_scan``): arq may run it twice, two workers may
run it at once, and a worker coming back after downtime fires each missed level exactly once.
"""

from __future__ import annotations

from typing import Any

import structlog

from core import deadline_scan

__all__ = ["scan_deadlines"]

log = structlog.get_logger("casedesk.deadlines")


async def scan_deadlines(ctx: dict[str, Any]) -> dict[str, int]:
    """Scan with the worker's injected clock (``ctx["clock"]``), so tests can pin time."""
    result = (await deadline_scan.scan_deadlines(ctx["clock"].now())).as_dict()
    if any(result.values()):
        log.info("deadline scan", **result)
    return result
