"""The clock service: a case's deadlines start and stop here (``core.clock_actions`` pauses,
resumes, extends and recomputes them).

Every function runs inside the caller's transaction, with the case row locked by the caller
(a transition has just updated it; the clock API locks it with :func:`lock_case`), and writes
a case event for each change, so the timeline explains every due date a complainant was told.

Rules of the game (decisions, not accidents):

* A clock's rule is stored with it (``CaseClock.rule``); later config changes leave it alone
  (R33). Its ``history`` (pause, resume, extend) lets ``core.clock_actions.recompute_provisional``
  replay the due date against a calendar whose year just became official (S21).
* One active (running or paused) clock per rule key and case: a repeated start event does not
  restart it; after it ended, the next start event starts a fresh one (a second review round).
* A stop event before the due time meets the clock, at or after it breaches it (a paused clock
  is judged at the moment it paused). Breached clocks stay visible with their due date.
* A running clock past due stays ``running`` and reads as ``overdue``: it can still be met late,
  and after-due ladder levels still fire. The deadline scan notes the passing once
  (``clock_overdue``); a window without a stop event (an objection period) is ``met`` by
  running out (``clock_lapsed``).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import msgspec
from piccolo.engine.sqlite import SQLiteEngine

from core.calendar import BusinessCalendar
from core.clock_levels import cancel_levels, schedule_levels
from core.db import as_utc
from core.deadlines import Due, compute_due, shift
from core.errors import Conflict, NotFound
from core.plugin_io import CaseView
from core.plugin_rules import applies
from core.plugin_types import ClockRule, EscalationLadder
from core.tables import Case, CaseClock
from core.timeline import append_event
from tenants.auth import Principal
from tenants.scope import TenantScope

__all__ = [
    "ACTIVE_STATES",
    "OUTLIVES_HANDLING",
    "ClockContext",
    "cancel_clocks",
    "clock_event",
    "clock_summary",
    "clocks_of_case",
    "due_values",
    "duration_of",
    "lock_case",
    "rule_of",
    "start_clocks",
    "stop_clocks",
    "stored_due",
    "update_clock",
]

ACTIVE_STATES = ("running", "paused")


@dataclass(slots=True)
class ClockContext:
    """What every clock operation needs: the case (as a row dict), who acts, when, and the
    tenant's calendar with its version. ``view`` (the plugin snapshot) filters rules."""

    scope: TenantScope
    case: dict[str, Any]
    now: datetime
    actor: Principal | None
    calendar: BusinessCalendar
    calendar_version: int
    view: CaseView | None = None


async def lock_case(scope: TenantScope, case_id: uuid.UUID) -> dict[str, Any]:
    """Read the case and hold its row until the transaction ends (PostgreSQL ``FOR UPDATE``;
    SQLite write transactions are exclusive already), so event numbers cannot race."""
    query = scope.select(Case).where(Case.id == case_id)
    if not isinstance(Case._meta.db, SQLiteEngine):
        query = query.lock_rows()
    row = await query.first()
    if row is None:
        raise NotFound("No such case.")
    return row


# ---------------------------------------------------------------------------------- helpers
def rule_of(clock: Mapping[str, Any]) -> dict[str, Any]:
    return dict(clock.get("rule") or {})


def duration_of(value: Any) -> tuple[int, str] | None:
    if isinstance(value, Mapping) and "amount" in value and "unit" in value:
        return int(value["amount"]), str(value["unit"])
    return None


def stored_due(clock: Mapping[str, Any]) -> Due:
    return Due(as_utc(clock["due_at"]), bool(clock["provisional"]), clock.get("last_day"), clock.get("nominal_day"))


def _warn_at(due: Due, rule: Mapping[str, Any], calendar: BusinessCalendar) -> datetime | None:
    before = duration_of(rule.get("warn_before"))
    if before is None or before[1] == "same_day":
        return None
    return as_utc(shift(due.at, before[0], before[1], calendar, direction=-1).at)


def _iso(value: Any) -> Any:
    """Event data is JSON: instants as UTC ISO strings, days as ISO dates."""
    if isinstance(value, datetime):
        return as_utc(value).isoformat()
    return value.isoformat() if isinstance(value, date) else value


def clock_summary(clock: Mapping[str, Any]) -> dict[str, Any]:
    """The clock as event data: enough to read the timeline without the clock row."""
    rule = rule_of(clock)
    return {
        "clock_id": str(clock["id"]),
        "rule_key": clock["rule_key"],
        "names": rule.get("names") or {},
        "kind": clock["kind"],
        "due_at": _iso(as_utc(clock["due_at"])),
        "last_day": _iso(clock.get("last_day")),
        "provisional": bool(clock["provisional"]),
    }


async def clock_event(ctx: ClockContext, action: str, clock: Mapping[str, Any], **data: Any) -> None:
    await append_event(
        ctx.scope,
        case_id=ctx.case["id"],
        action=action,
        actor=ctx.actor,
        at=ctx.now,
        data={**clock_summary(clock), **{k: _iso(v) for k, v in data.items()}},
    )


async def clocks_of_case(scope: TenantScope, case_id: uuid.UUID) -> list[dict[str, Any]]:
    return await scope.select(CaseClock).where(CaseClock.case_id == case_id).order_by(CaseClock.created_at)


async def update_clock(ctx: ClockContext, clock: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """Write ``values`` if the clock is still at the version we read (409 otherwise)."""
    changes = {getattr(CaseClock, k): v for k, v in values.items()}
    changes[CaseClock.version] = clock["version"] + 1
    changes[CaseClock.updated_at] = ctx.now
    done = (
        await ctx.scope.update(CaseClock, changes)
        .where(CaseClock.id == clock["id"], CaseClock.version == clock["version"])
        .returning(CaseClock.id)
    )
    if not done:
        raise Conflict("The clock changed meanwhile; reload and try again.")
    return {**clock, **values, "version": clock["version"] + 1, "updated_at": ctx.now}


def due_values(due: Due, rule: Mapping[str, Any], calendar: BusinessCalendar) -> dict[str, Any]:
    return {
        "due_at": as_utc(due.at),
        "last_day": due.last_day,
        "nominal_day": due.nominal_day,
        "provisional": due.provisional,
        "warn_at": _warn_at(due, rule, calendar),
    }


# -------------------------------------------------------------------------- start and stop
async def start_clocks(
    ctx: ClockContext,
    event: str,
    rules: Sequence[ClockRule],
    ladders: Iterable[EscalationLadder] = (),
    *,
    at: datetime | None = None,
) -> list[dict[str, Any]]:
    """Start every rule whose ``start_event`` is ``event`` (and that applies to the case),
    counting from ``at`` (default: now), and schedule the ladder levels aimed at it."""
    existing = await clocks_of_case(ctx.scope, ctx.case["id"])
    active = {c["rule_key"] for c in existing if c["state"] in ACTIVE_STATES}
    ladders = list(ladders)
    started = []
    for rule in rules:
        if rule.start_event != event or rule.key in active:
            continue
        if ctx.view is not None and not applies(rule.applies_to, ctx.view):
            continue
        start = as_utc(at or ctx.now)
        due = compute_due(start, rule.amount, rule.unit, ctx.calendar, roll_forward=rule.roll_forward)
        snapshot = msgspec.to_builtins(rule)
        row = await ctx.scope.insert(
            CaseClock,
            case_id=ctx.case["id"],
            rule_key=rule.key,
            kind=rule.kind,
            unit=rule.unit,
            amount=rule.amount,
            start_event=rule.start_event,
            stop_event=rule.stop_event or "",
            started_at=start,
            state="running",
            rule=snapshot,
            history=[],
            calendar_version=ctx.calendar_version,
            version=1,
            created_at=ctx.now,
            updated_at=ctx.now,
            **due_values(due, snapshot, ctx.calendar),
        )
        clock = row.to_dict()
        active.add(rule.key)
        await clock_event(ctx, "clock_started", clock, start_event=event, started_at=start, source=rule.source)
        await schedule_levels(ctx.scope, clock, ladders, ctx.calendar, ctx.now)
        started.append(clock)
    return started


async def stop_clocks(ctx: ClockContext, events: Iterable[str]) -> list[dict[str, Any]]:
    """Stop the active clocks whose ``stop_event`` is one of ``events``: met or breached."""
    wanted = set(events)
    stopped = []
    for clock in await clocks_of_case(ctx.scope, ctx.case["id"]):
        if clock["state"] not in ACTIVE_STATES or clock["stop_event"] not in wanted:
            continue
        judged_at = as_utc(clock["paused_at"]) if clock["state"] == "paused" and clock["paused_at"] else ctx.now
        state = "met" if judged_at < as_utc(clock["due_at"]) else "breached"
        clock = await update_clock(ctx, clock, {"state": state, "stopped_at": ctx.now, "paused_at": None})
        await cancel_levels(ctx.scope, clock["id"])
        late = max(0, int((judged_at - as_utc(clock["due_at"])).total_seconds()))
        await clock_event(ctx, f"clock_{state}", clock, stop_event=clock["stop_event"], late_by_seconds=late)
        stopped.append(clock)
    return stopped


OUTLIVES_HANDLING = frozenset({"review_requested", "followed_up"})
"""Stop events that still happen after a case left this body's hands: a 复查/复核 request
reopens a closed case (004 L15), and 回访 may follow the closure (R23)."""


async def cancel_clocks(ctx: ClockContext, reason: str) -> list[dict[str, Any]]:
    """End the active clocks that wait for a stop event the case can no longer produce here
    (refused, transferred away, closed, archived). Windows without a stop event, and clocks
    waiting for the complainant's review request or the follow-up, run on."""
    cancelled = []
    for clock in await clocks_of_case(ctx.scope, ctx.case["id"]):
        if clock["state"] not in ACTIVE_STATES or clock["stop_event"] in ("", *OUTLIVES_HANDLING):
            continue
        clock = await update_clock(ctx, clock, {"state": "cancelled", "stopped_at": ctx.now, "paused_at": None})
        await cancel_levels(ctx.scope, clock["id"])
        await clock_event(ctx, "clock_cancelled", clock, reason=reason)
        cancelled.append(clock)
    return cancelled
