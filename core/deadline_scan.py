"""The deadline scan: fire due ladder levels and note deadlines passing, for every tenant.

Run every minute by the worker (``workers.deadline_jobs``) with the worker's injected clock.
It finds work through two index ranges (``tenants.deadline_queue``), then handles one clock per
transaction, through that tenant's scope:

* **Exactly once.** A level fires only for the transaction whose conditional update flips it
  from ``pending`` to ``fired`` (``UPDATE … WHERE id = ? AND state = 'pending' RETURNING``),
  in the same transaction as its case event and case changes. A second worker, a retried job
  or a crash between the two (the transaction rolls back, the row stays pending) cannot make a
  level fire twice or get lost.
* **In order.** The case row is locked first, then every due level of the clock fires in level
  order, and level fire times never decrease with the level (``core.clock_levels``): after an
  hour of downtime the missed levels fire once each, in order, each saying how late it is.
* **Overdue once.** A running clock past due gets one ``clock_overdue`` event (``overdue_at``
  set by the same kind of conditional update); it stays ``running`` — it can still be met late.
  A window without a stop event is ``met`` by lapsing (``clock_lapsed``).

A level whose clock is paused is put on hold, and one whose clock ended is cancelled, so the
index range only ever holds work that is really due.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from core import case_hooks
from core.case_facts import case_flags, facts_view
from core.clock_levels import cancel_levels, hold_levels
from core.clocks import ACTIVE_STATES, clock_summary, lock_case
from core.db import as_utc, transaction
from core.errors import NotFound
from core.escalation import evaluate_triggers, fire_ladder_level
from core.plugin_errors import PluginError
from core.plugin_types import EscalationTrigger
from core.tables import CaseClock, Escalation
from core.timeline import append_event
from tenants.deadline_queue import due_ladder_levels, newly_overdue_clocks
from tenants.scope import TenantScope

__all__ = ["ScanResult", "fire_due_levels", "note_overdue", "scan_deadlines"]

log = logging.getLogger("casedesk.deadlines")


@dataclass(slots=True)
class ScanResult:
    levels_fired: int = 0
    clocks_overdue: int = 0
    windows_lapsed: int = 0
    errors: int = 0

    def as_dict(self) -> dict[str, int]:
        return {k: getattr(self, k) for k in self.__slots__}


async def scan_deadlines(now: datetime, *, batch: int = 200, max_rounds: int = 50) -> ScanResult:
    """One pass over everything due at ``now``; safe to run concurrently and repeatedly."""
    result = ScanResult()
    for _ in range(max_rounds):
        rows = await due_ladder_levels(now, batch)
        settled = 0
        for tenant_id, case_id, clock_id in dict.fromkeys((r["tenant_id"], r["case_id"], r["clock_id"]) for r in rows):
            try:
                fired, done = await fire_due_levels(TenantScope(tenant_id), case_id, clock_id, now)
            except Exception:  # one broken case must not stop the others
                log.exception("firing levels failed", extra={"tenant_id": str(tenant_id), "clock_id": str(clock_id)})
                result.errors += 1
                continue
            result.levels_fired += fired
            settled += done
        if len(rows) < batch or not settled:
            break
    for _ in range(max_rounds):
        rows = await newly_overdue_clocks(now, batch)
        settled = 0
        for row in rows:
            try:
                outcome = await note_overdue(TenantScope(row["tenant_id"]), row["case_id"], row["id"], now)
            except Exception:
                log.exception("noting an overdue clock failed", extra={"clock_id": str(row["id"])})
                result.errors += 1
                continue
            settled += outcome is not None
            result.clocks_overdue += outcome == "overdue"
            result.windows_lapsed += outcome == "lapsed"
        if len(rows) < batch or not settled:
            break
    return result


async def fire_due_levels(
    scope: TenantScope, case_id: uuid.UUID, clock_id: uuid.UUID, now: datetime
) -> tuple[int, int]:
    """Fire every due pending level of one clock, in level order; returns (fired, settled)."""
    async with transaction():
        try:
            case = await lock_case(scope, case_id)
        except NotFound:
            return 0, 0
        levels = (
            await scope.select(Escalation)
            .where(Escalation.clock_id == clock_id, Escalation.state == "pending", Escalation.fire_at <= now)
            .order_by(Escalation.level)
        )
        if not levels:
            return 0, 0
        clock = await scope.select(CaseClock).where(CaseClock.id == clock_id).first()
        if clock is None or clock["state"] not in ACTIVE_STATES:
            await cancel_levels(scope, clock_id)
            return 0, len(levels)
        if clock["state"] == "paused":
            await hold_levels(scope, clock_id)
            return 0, len(levels)
        before = (case["severity"], case_flags(case))
        fired = 0
        for level in levels:
            updated = await fire_ladder_level(scope, case, level, clock, now)
            if updated is not None:
                case, fired = updated, fired + 1
        if fired and (case["severity"], case_flags(case)) != before:
            await _triggers_after_change(scope, case, now)
        return fired, len(levels)


async def _triggers_after_change(scope: TenantScope, case: dict[str, Any], now: datetime) -> None:
    """A level that raised the priority or set a flag may set off a trigger (severity, flag).
    A failing plugin is logged, not allowed to block the ladder."""
    view = await facts_view(scope, case)
    try:
        escalations = (await case_hooks.plugins_for(scope)).escalations(view)
    except PluginError:
        log.exception("escalation hooks failed after a ladder level", extra={"case_id": str(case["id"])})
        return
    triggers = [e for e in escalations if isinstance(e, EscalationTrigger)]
    await evaluate_triggers(scope, case, view, triggers, actor=None, now=now, bump_version=True)


async def note_overdue(scope: TenantScope, case_id: uuid.UUID, clock_id: uuid.UUID, now: datetime) -> str | None:
    """Record once that a running clock passed its due time; ``"overdue"``, ``"lapsed"`` (a
    window without a stop event ended) or ``None`` when there was nothing (left) to note."""
    async with transaction():
        try:
            await lock_case(scope, case_id)
        except NotFound:
            return None
        clock = await scope.select(CaseClock).where(CaseClock.id == clock_id).first()
        if clock is None or clock["state"] != "running" or as_utc(clock["due_at"]) > now:
            return None
        lapsed = not clock["stop_event"]
        values: dict[Any, Any] = {
            CaseClock.overdue_at: now,
            CaseClock.updated_at: now,
            CaseClock.version: clock["version"] + 1,
        }
        if lapsed:
            values.update({CaseClock.state: "met", CaseClock.stopped_at: now})
        won = (
            await scope.update(CaseClock, values)
            .where(CaseClock.id == clock_id, CaseClock.state == "running", CaseClock.overdue_at.is_null())
            .returning(CaseClock.id)
        )
        if not won:
            return None
        if lapsed:
            await cancel_levels(scope, clock_id)
        late = int((now - as_utc(clock["due_at"])).total_seconds())
        await append_event(
            scope,
            case_id=case_id,
            action="clock_lapsed" if lapsed else "clock_overdue",
            actor=None,
            at=now,
            data={**clock_summary(clock), "late_by_seconds": late},
        )
        return "lapsed" if lapsed else "overdue"
