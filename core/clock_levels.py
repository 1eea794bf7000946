"""Ladder levels of a clock: when each fires, and keeping that in step with the clock.

A ladder's levels become ``Escalation`` rows the moment their clock starts, each with its own
``fire_at``; the deadline scan then only has to read an index range (``state = 'pending' AND
fire_at <= now``) to find due work. Whenever the clock's due time moves (resume, extension,
recompute after a calendar import) the unfired levels are re-timed from the offsets stored on
the rows — the ladder the clock started with, not whatever the plugin says today (R33).

Levels of one clock are numbered in the order they are declared and their fire times never
decrease with the number, so "fire every due level in level order" is also "in time order",
and a level cannot overtake an earlier one after a re-time.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

import msgspec

from core.calendar import BusinessCalendar
from core.db import as_utc
from core.deadlines import shift
from core.plugin_types import EscalationLadder
from core.tables import Escalation
from tenants.scope import TenantScope

__all__ = ["cancel_levels", "hold_levels", "level_fire_at", "reschedule_levels", "schedule_levels"]

UNFIRED = ("pending", "held")


def level_fire_at(due_at: datetime, relative: str, amount: int, unit: str, calendar: BusinessCalendar) -> datetime:
    """When a level fires: ``amount`` ``unit`` before/after the due time, or at it.

    Offsets use the deadline engine's ``shift`` (working hours walk working intervals, working
    days move to the N-th working day). ``same_day`` is not an offset; it counts as zero.
    """
    if relative == "at_due" or amount == 0 or unit == "same_day":
        return as_utc(due_at)
    direction = -1 if relative == "before_due" else 1
    return as_utc(shift(as_utc(due_at), amount, unit, calendar, direction=direction).at)


def _timed(rows: Iterable[Mapping[str, Any]], due_at: datetime, calendar: BusinessCalendar) -> list[datetime]:
    """Fire times for ``rows`` (in level order), never earlier than the level before."""
    out: list[datetime] = []
    for row in rows:
        at = level_fire_at(due_at, row["relative"], row["offset_amount"], row["offset_unit"], calendar)
        out.append(max(at, out[-1]) if out else at)
    return out


async def schedule_levels(
    scope: TenantScope,
    clock: Mapping[str, Any],
    ladders: Iterable[EscalationLadder],
    calendar: BusinessCalendar,
    now: datetime,
) -> int:
    """Insert one row per level of every ladder aimed at this clock's rule key."""
    specs: list[dict[str, Any]] = []
    for ladder in ladders:
        if ladder.clock_key != clock["rule_key"]:
            continue
        for level in ladder.levels:
            specs.append(
                {
                    "relative": level.relative,
                    "offset_amount": level.offset_amount,
                    "offset_unit": level.offset_unit,
                    "actions": msgspec.to_builtins(level.actions),
                    "rule_source": ladder.source[:300],
                }
            )
    if not specs:
        return 0
    times = _timed(specs, clock["due_at"], calendar)
    state = "held" if clock["state"] == "paused" else "pending"
    names = (clock.get("rule") or {}).get("names") or {}
    rows = [
        {
            **spec,
            "case_id": clock["case_id"],
            "clock_id": clock["id"],
            "source": "ladder",
            "rule_key": clock["rule_key"],
            "level": number,
            "fire_at": at,
            "state": state,
            "names": names,
            "created_at": now,
        }
        for number, (spec, at) in enumerate(zip(specs, times, strict=True), start=1)
    ]
    await scope.insert_many(Escalation, rows)
    return len(rows)


async def reschedule_levels(scope: TenantScope, clock: Mapping[str, Any], calendar: BusinessCalendar) -> int:
    """Re-time the unfired levels after the clock's due time moved; paused clocks hold them."""
    rows = (
        await scope.select(Escalation)
        .where(Escalation.clock_id == clock["id"], Escalation.state.is_in(list(UNFIRED)))
        .order_by(Escalation.level)
    )
    state = "held" if clock["state"] == "paused" else "pending"
    for row, at in zip(rows, _timed(rows, clock["due_at"], calendar), strict=True):
        if as_utc(row["fire_at"]) != at or row["state"] != state:
            await scope.update(Escalation, {Escalation.fire_at: at, Escalation.state: state}).where(
                Escalation.id == row["id"], Escalation.state.is_in(list(UNFIRED))
            )
    return len(rows)


async def hold_levels(scope: TenantScope, clock_id: Any) -> None:
    """A paused clock escalates nothing: its pending levels wait until it resumes."""
    await scope.update(Escalation, {Escalation.state: "held"}).where(
        Escalation.clock_id == clock_id, Escalation.state == "pending"
    )


async def cancel_levels(scope: TenantScope, clock_id: Any) -> None:
    """A clock that ended (met, breached, cancelled) has nothing left to escalate."""
    await scope.update(Escalation, {Escalation.state: "cancelled"}).where(
        Escalation.clock_id == clock_id, Escalation.state.is_in(list(UNFIRED))
    )
