"""The clock service: starting, stopping, pausing, resuming and extending a case's deadlines.

Every function runs inside the caller's transaction, with the case row locked by the caller
(a transition has just updated it; the clock API locks it with :func:`lock_case`), and writes
a case event for each change, so the timeline explains every due date a complainant was told.

Rules of the game (decisions, not accidents):

* A clock's rule is stored with it (``CaseClock.rule``); later config changes leave it alone
  (R33). Its ``history`` (pause, resume, extend) lets :func:`recompute_provisional` replay the
  due date against a calendar whose year just became official (S21).
* One active (running or paused) clock per rule key and case: a repeated start event does not
  restart it; after it ended, the next start event starts a fresh one (a second review round).
* A stop event before the due time meets the clock, at or after it breaches it (a paused clock
  is judged at the moment it paused). Breached clocks stay visible with their due date.
* A running clock past due stays ``running`` and reads as ``overdue``: it can still be met late,
  and after-due ladder levels still fire. The deadline scan notes the passing once
  (``clock_overdue``); a window without a stop event (an objection period) is ``met`` by
  running out (``clock_lapsed``).
* Extensions need a rule with ``extension_cap``; the total may not exceed it, and statutory
  rules (or a rule snapshot with ``max_extensions``) allow a single extension (《信访条例》 Art. 33).
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
from core.clock_levels import cancel_levels, hold_levels, reschedule_levels, schedule_levels, utc
from core.deadlines import Due, compute_due, extend_due, resume_due, shift
from core.errors import Conflict, FieldError, NotFound, Unprocessable
from core.plugin_io import CaseView
from core.plugin_rules import applies
from core.plugin_types import ClockRule, EscalationLadder
from core.tables import Case, CaseClock
from core.timeline import append_event
from tenants.auth import Principal
from tenants.scope import TenantScope

__all__ = [
    "ACTIVE_STATES",
    "ClockContext",
    "cancel_clocks",
    "clock_summary",
    "clocks_of_case",
    "extend_clock",
    "lock_case",
    "pause_clock",
    "recompute_provisional",
    "replay_due",
    "resume_clock",
    "start_clocks",
    "stop_clocks",
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
def _rule(clock: Mapping[str, Any]) -> dict[str, Any]:
    return dict(clock.get("rule") or {})


def _duration(value: Any) -> tuple[int, str] | None:
    if isinstance(value, Mapping) and "amount" in value and "unit" in value:
        return int(value["amount"]), str(value["unit"])
    return None


def stored_due(clock: Mapping[str, Any]) -> Due:
    return Due(utc(clock["due_at"]), bool(clock["provisional"]), clock.get("last_day"), clock.get("nominal_day"))


def _warn_at(due: Due, rule: Mapping[str, Any], calendar: BusinessCalendar) -> datetime | None:
    before = _duration(rule.get("warn_before"))
    if before is None or before[1] == "same_day":
        return None
    return utc(shift(due.at, before[0], before[1], calendar, direction=-1).at)


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime | date) else value


def clock_summary(clock: Mapping[str, Any]) -> dict[str, Any]:
    """The clock as event data: enough to read the timeline without the clock row."""
    rule = _rule(clock)
    return {
        "clock_id": str(clock["id"]),
        "rule_key": clock["rule_key"],
        "names": rule.get("names") or {},
        "kind": clock["kind"],
        "due_at": _iso(utc(clock["due_at"])),
        "last_day": _iso(clock.get("last_day")),
        "provisional": bool(clock["provisional"]),
    }


async def _event(ctx: ClockContext, action: str, clock: Mapping[str, Any], **data: Any) -> None:
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


async def _update(ctx: ClockContext, clock: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
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


def _due_values(due: Due, rule: Mapping[str, Any], calendar: BusinessCalendar) -> dict[str, Any]:
    return {
        "due_at": utc(due.at),
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
        start = utc(at or ctx.now)
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
            **_due_values(due, snapshot, ctx.calendar),
        )
        clock = row.to_dict()
        active.add(rule.key)
        await _event(ctx, "clock_started", clock, start_event=event, started_at=start, source=rule.source)
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
        judged_at = utc(clock["paused_at"]) if clock["state"] == "paused" and clock["paused_at"] else ctx.now
        state = "met" if judged_at < utc(clock["due_at"]) else "breached"
        clock = await _update(ctx, clock, {"state": state, "stopped_at": ctx.now, "paused_at": None})
        await cancel_levels(ctx.scope, clock["id"])
        late = max(0, int((judged_at - utc(clock["due_at"])).total_seconds()))
        await _event(ctx, f"clock_{state}", clock, stop_event=clock["stop_event"], late_by_seconds=late)
        stopped.append(clock)
    return stopped


async def cancel_clocks(ctx: ClockContext, reason: str) -> list[dict[str, Any]]:
    """End the active clocks that wait for a stop event the case can no longer produce here
    (refused, transferred away, closed, archived). Windows without a stop event run on."""
    cancelled = []
    for clock in await clocks_of_case(ctx.scope, ctx.case["id"]):
        if clock["state"] not in ACTIVE_STATES or not clock["stop_event"]:
            continue
        clock = await _update(ctx, clock, {"state": "cancelled", "stopped_at": ctx.now, "paused_at": None})
        await cancel_levels(ctx.scope, clock["id"])
        await _event(ctx, "clock_cancelled", clock, reason=reason)
        cancelled.append(clock)
    return cancelled


# ----------------------------------------------------------------- pause, resume, extend
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
    clock = await _update(ctx, clock, {"state": "paused", "paused_at": ctx.now, "history": history})
    await hold_levels(ctx.scope, clock["id"])
    await _event(ctx, "clock_paused", clock, reason=reason)
    return clock


async def resume_clock(ctx: ClockContext, clock_id: uuid.UUID, reason: str) -> dict[str, Any]:
    """Restart the clock; the rule's ``on_resume`` says whether the remaining time continues
    or the remainder is counted afresh (R16)."""
    clock = await _clock(ctx, clock_id)
    _require_state(clock, ("paused",), "resume")
    rule = _rule(clock)
    mode = rule.get("on_resume") or "continue"
    cap = clock["amount"] if not clock["extension_count"] else None
    paused_at = utc(clock["paused_at"])
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
        **_due_values(due, rule, ctx.calendar),
        "state": "running",
        "paused_at": None,
        "paused_seconds": clock["paused_seconds"] + int((ctx.now - paused_at).total_seconds()),
        "history": history,
    }
    if utc(due.at) > ctx.now:
        values["overdue_at"] = None
    clock = await _update(ctx, clock, values)
    await reschedule_levels(ctx.scope, clock, ctx.calendar)
    await _event(
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
    rule = _rule(clock)
    cap = _duration(rule.get("extension_cap"))
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
        **_due_values(due, rule, ctx.calendar),
        "extended_by": clock["extended_by"] + amount,
        "extension_count": clock["extension_count"] + 1,
        "history": [*clock["history"], op],
    }
    if utc(due.at) > ctx.now:
        values["overdue_at"] = None
    clock = await _update(ctx, clock, values)
    await reschedule_levels(ctx.scope, clock, ctx.calendar)
    notify = [{"kind": "complainant", "template": "extension", "reason": reason}]
    await _event(
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
    rule = _rule(clock)
    roll = bool(rule.get("roll_forward"))
    due = compute_due(utc(clock["started_at"]), clock["amount"], clock["unit"], calendar, roll_forward=roll)
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
        if utc(due.at) == before.at and due.provisional == before.provisional:
            continue
        case = await lock_case(scope, clock["case_id"])
        ctx = ClockContext(scope, case, now, actor, calendar, version)
        values = {**_due_values(due, _rule(clock), calendar), "calendar_version": version}
        if utc(due.at) > now:
            values["overdue_at"] = None
        clock = await _update(ctx, clock, values)
        await reschedule_levels(scope, clock, calendar)
        await _event(
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
