"""Pausing, resuming, extending and recomputing a case's clocks (R16, R17, S21).

Like ``core.clocks``, every function runs in the caller's transaction with the case locked and
writes a case event with the due date before and after, so a complainant's changed deadline is
always explained on the timeline.

* A pause holds the clock and its ladder levels; resuming continues or restarts per the rule's
  ``on_resume`` (resuming a clock that was overdue when paused leaves it as it was).
* Extensions need a rule with ``extension_cap``; the total may not exceed it, and statutory
  rules (or a rule snapshot with ``max_extensions``) allow a single extension (《信访条例》 Art. 33).
  The approver is recorded and the complainant is to be told the reason (``notify`` in the event).
* Recompute replays start, pauses and extensions (``CaseClock.history``) against the tenant's
  current calendar; it runs when a year schedule is imported, for clocks still provisional.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from core.calendar import BusinessCalendar
from core.clock_levels import hold_levels, reschedule_levels
from core.clocks import (
    ACTIVE_STATES,
    ClockContext,
    clock_event,
    due_values,
    duration_of,
    lock_case,
    rule_of,
    stored_due,
    update_clock,
)
from core.db import as_utc
from core.deadlines import Due, compute_due, extend_due, resume_due
from core.errors import Conflict, FieldError, NotFound, Unprocessable
from core.tables import CaseClock
from tenants.auth import Principal
from tenants.scope import TenantScope

__all__ = ["extend_clock", "pause_clock", "recompute_provisional", "replay_due", "resume_clock"]


async def _clock(ctx: ClockContext, clock_id: uuid.UUID) -> dict[str, Any]:
    row = await ctx.scope.select(CaseClock).where(CaseClock.id == clock_id, CaseClock.case_id == ctx.case["id"]).first()
    if row is None:
        raise NotFound("No such clock on this case.")
    return row


def _require_state(clock: Mapping[str, Any], states: tuple[str, ...], what: str) -> None:
    if clock["state"] not in states:
        raise Conflict(
            f"cannot {what} a clock that is {clock['state']}",
            clock_state=clock["state"],
            errors=[FieldError("clock_id", f"the clock must be {' or '.join(states)}")],
        )


async def pause_clock(ctx: ClockContext, clock_id: uuid.UUID, reason: str) -> dict[str, Any]:
    """Stop the clock ticking (e.g. waiting for the complainant's materials, 001 L432)."""
    clock = await _clock(ctx, clock_id)
    _require_state(clock, ("running",), "pause")
    history = [*clock["history"], {"op": "pause", "at": ctx.now.isoformat(), "reason": reason}]
    clock = await update_clock(ctx, clock, {"state": "paused", "paused_at": ctx.now, "history": history})
    await hold_levels(ctx.scope, clock["id"])
    await clock_event(ctx, "clock_paused", clock, reason=reason)
    return clock


async def resume_clock(ctx: ClockContext, clock_id: uuid.UUID, reason: str) -> dict[str, Any]:
    """Restart the clock; the rule's ``on_resume`` says whether the remaining time continues
    or the remainder is counted afresh (R16)."""
    clock = await _clock(ctx, clock_id)
    _require_state(clock, ("paused",), "resume")
    rule = rule_of(clock)
    mode = rule.get("on_resume") or "continue"
    cap = clock["amount"] if not clock["extension_count"] else None
    paused_at = as_utc(clock["paused_at"])
    before = stored_due(clock)
    due = resume_due(
        before,
        paused_at,
        ctx.now,
        clock["unit"],
        ctx.calendar,
        mode=mode,
        amount=cap,
        roll_forward=bool(rule.get("roll_forward")),
    )
    history = [*clock["history"], {"op": "resume", "at": ctx.now.isoformat(), "mode": mode, "cap": cap}]
    values = {
        **due_values(due, rule, ctx.calendar),
        "state": "running",
        "paused_at": None,
        "paused_seconds": clock["paused_seconds"] + int((ctx.now - paused_at).total_seconds()),
        "history": history,
    }
    if as_utc(due.at) > ctx.now:
        values["overdue_at"] = None
    clock = await update_clock(ctx, clock, values)
    await reschedule_levels(ctx.scope, clock, ctx.calendar)
    await clock_event(
        ctx,
        "clock_resumed",
        clock,
        reason=reason,
        mode=mode,
        before_due=before.at,
        after_due=due.at,
        paused_from=paused_at,
    )
    return clock


def _max_extensions(rule: Mapping[str, Any]) -> int | None:
    if isinstance(rule.get("max_extensions"), int):
        return int(rule["max_extensions"])
    return 1 if rule.get("statutory") else None


async def extend_clock(
    ctx: ClockContext, clock_id: uuid.UUID, *, amount: int, reason: str, approver: str
) -> dict[str, Any]:
    """Extend (延期) within the rule's cap; the complainant is told the reason (R17)."""
    clock = await _clock(ctx, clock_id)
    _require_state(clock, ACTIVE_STATES, "extend")
    rule = rule_of(clock)
    cap = duration_of(rule.get("extension_cap"))
    if cap is None:
        raise Unprocessable(
            "this deadline cannot be extended", errors=[FieldError("amount", "the rule allows no extension")]
        )
    limit = _max_extensions(rule)
    if limit is not None and clock["extension_count"] >= limit:
        raise Unprocessable(
            f"this deadline may be extended only {limit} time(s) and already was",
            errors=[FieldError("amount", f"no further extension: {clock['extension_count']} of {limit} used")],
        )
    left = cap[0] - clock["extended_by"]
    if amount < 1 or amount > left:
        raise Unprocessable(
            f"the extension must be between 1 and {left} {cap[1]}",
            errors=[FieldError("amount", f"at most {left} {cap[1]} left of the {cap[0]} {cap[1]} cap")],
        )
    before = stored_due(clock)
    due = extend_due(before, amount, cap[1], ctx.calendar, roll_forward=bool(rule.get("roll_forward")))
    op = {
        "op": "extend",
        "at": ctx.now.isoformat(),
        "amount": amount,
        "unit": cap[1],
        "reason": reason,
        "approver": approver,
    }
    values = {
        **due_values(due, rule, ctx.calendar),
        "extended_by": clock["extended_by"] + amount,
        "extension_count": clock["extension_count"] + 1,
        "history": [*clock["history"], op],
    }
    if as_utc(due.at) > ctx.now:
        values["overdue_at"] = None
    clock = await update_clock(ctx, clock, values)
    await reschedule_levels(ctx.scope, clock, ctx.calendar)
    notify = [{"kind": "complainant", "template": "extension", "reason": reason}]
    await clock_event(
        ctx,
        "clock_extended",
        clock,
        amount=amount,
        unit=cap[1],
        reason=reason,
        approver=approver,
        before_due=before.at,
        after_due=due.at,
        notify=notify,
    )
    return clock


# ------------------------------------------------------------------------------ recompute
def replay_due(clock: Mapping[str, Any], calendar: BusinessCalendar) -> Due:
    """The clock's due date recomputed from its start, rule and history against ``calendar``."""
    rule = rule_of(clock)
    roll = bool(rule.get("roll_forward"))
    due = compute_due(as_utc(clock["started_at"]), clock["amount"], clock["unit"], calendar, roll_forward=roll)
    paused_at: datetime | None = None
    for op in clock.get("history") or []:
        at = datetime.fromisoformat(op["at"])
        if op["op"] == "pause":
            paused_at = at
        elif op["op"] == "resume" and paused_at is not None:
            due = resume_due(
                due,
                paused_at,
                at,
                clock["unit"],
                calendar,
                mode=op.get("mode") or "continue",
                amount=op.get("cap"),
                roll_forward=roll,
            )
            paused_at = None
        elif op["op"] == "extend":
            due = extend_due(due, int(op["amount"]), op["unit"], calendar, roll_forward=roll)
    return due


async def recompute_provisional(
    scope: TenantScope, calendar: BusinessCalendar, version: int, *, actor: Principal | None, now: datetime
) -> list[dict[str, Any]]:
    """Re-time every active clock of the tenant whose due date rests on estimated days, after
    a year of the calendar was imported (S21). A clock whose due date or provisional flag
    changed gets a ``clock_recomputed`` event on its case; its unfired levels are re-timed."""
    candidates = (
        await scope.select(CaseClock)
        .where(CaseClock.provisional.eq(True), CaseClock.state.is_in(list(ACTIVE_STATES)))
        .order_by(CaseClock.case_id)
    )
    changed = []
    for clock in candidates:
        due = replay_due(clock, calendar)
        before = stored_due(clock)
        if as_utc(due.at) == before.at and due.provisional == before.provisional:
            continue
        case = await lock_case(scope, clock["case_id"])
        ctx = ClockContext(scope, case, now, actor, calendar, version)
        values = {**due_values(due, rule_of(clock), calendar), "calendar_version": version}
        if as_utc(due.at) > now:
            values["overdue_at"] = None
        clock = await update_clock(ctx, clock, values)
        await reschedule_levels(scope, clock, calendar)
        await clock_event(
            ctx,
            "clock_recomputed",
            clock,
            before_due=before.at,
            after_due=due.at,
            was_provisional=before.provisional,
            calendar_version=version,
        )
        changed.append(clock)
    return changed
