"""What follows a case event inside its transaction: clocks start and stop, triggers fire.

``core.intake`` and ``core.transitions`` call :func:`after_case_event` right after appending
their event, in the same transaction, so a case is never registered or moved without its
deadlines following (and a failure rolls both back).

Core actions map to the named clock events plugins write rules against (``ClockEvent``)::

    register → received (counted from the case's received_at)   accept → accepted
    assign → assigned    transfer → transferred    reply → replied    close → closed
    reopen (reason review_request) → review_requested

Other facts (``signed_for``, ``work_order_issued``, ``arrived``, ``opinion_received``…) are
recorded through ``POST /api/v1/cases/{id}/clock-events`` or passed by a caller in
``data["clock_events"]``. Refusing or transferring a case is the acceptance decision, so it
also stops clocks waiting for ``accepted``; and when the case leaves this body's hands (refused,
transferred, closed, archived) clocks still waiting for a stop event are cancelled — windows
without one (an objection period) run on.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from core import case_hooks
from core.case_facts import facts_view
from core.clocks import ClockContext, cancel_clocks, start_clocks, stop_clocks
from core.escalation import evaluate_triggers
from core.plugin_tenant import TenantPlugins
from core.plugin_types import EscalationLadder, EscalationTrigger
from core.tables import Case
from core.tenant_calendar import load_calendar
from tenants.auth import Principal
from tenants.scope import TenantScope

__all__ = ["ACTION_CLOCK_EVENTS", "after_case_event", "clock_events_for"]

ACTION_CLOCK_EVENTS: dict[str, tuple[str, ...]] = {
    "register": ("received",),
    "accept": ("accepted",),
    "assign": ("assigned",),
    "transfer": ("transferred",),
    "reply": ("replied",),
    "close": ("closed",),
}
DECISION_STOPS: dict[str, tuple[str, ...]] = {"not_accept": ("accepted",), "transfer": ("accepted",)}
"""Actions that decide on acceptance without accepting: the acceptance clock is answered."""
LEAVING_ACTIONS = frozenset({"not_accept", "transfer", "close", "archive"})
AUTOMATIC_DECISIONS = {"accepted": "accept", "not_accepted": "not_accept"}
"""Statuses the intake rules may put a new case in, and the action that amounts to."""


def clock_events_for(action: str, data: Mapping[str, Any] | None) -> list[str]:
    """The clock events an action (with its event data) produces, in order."""
    data = data or {}
    events = list(ACTION_CLOCK_EVENTS.get(action, ()))
    if action == "reopen" and data.get("reason") == "review_request":
        events.append("review_requested")
    if action == "clock_event" and data.get("event"):
        events.append(str(data["event"]))
    extra = data.get("clock_events")
    if isinstance(extra, list | tuple):
        events += [str(e) for e in extra if str(e) not in events]
    return events


def _case_id(case_row: Any) -> uuid.UUID:
    return case_row["id"] if isinstance(case_row, Mapping) else case_row.id


def _tenant_id(case_row: Any, who: Principal | None) -> uuid.UUID:
    if who is not None:
        return who.tenant_id
    return case_row["tenant_id"] if isinstance(case_row, Mapping) else case_row.tenant_id


async def after_case_event(
    who: Principal | None,
    case_row: Any,
    action: str,
    now: datetime,
    data: Mapping[str, Any] | None = None,
    plugins: TenantPlugins | None = None,
) -> dict[str, Any]:
    """Run the deadline and escalation consequences of ``action`` on the case.

    ``case_row`` may be the row before the change (dict or table object): the case is re-read
    here, inside the caller's transaction, so rules see its new status and departments. For
    ``register`` this runs after the intake rules, and an automatic acceptance or refusal they
    made is followed up too (as the system's act). Returns the case row as it is afterwards.
    """
    scope = TenantScope(_tenant_id(case_row, who))
    case = await scope.get(Case, _case_id(case_row))
    view = await facts_view(scope, case)
    plugins = plugins or await case_hooks.plugins_for(scope)  # callers in a request pass theirs
    rules = plugins.clocks(view)
    escalations = plugins.escalations(view)
    ladders = [e for e in escalations if isinstance(e, EscalationLadder)]
    triggers = [e for e in escalations if isinstance(e, EscalationTrigger)]
    tenant_calendar = await load_calendar(scope.tenant_id)
    ctx = ClockContext(scope, case, now, who, tenant_calendar.calendar, tenant_calendar.version, view)

    steps: list[tuple[str, Mapping[str, Any] | None, Principal | None]] = [(action, data, who)]
    if action == "register" and case["status"] in AUTOMATIC_DECISIONS:
        steps.append((AUTOMATIC_DECISIONS[case["status"]], {}, None))
    for step, step_data, actor in steps:
        ctx.actor = actor
        events = clock_events_for(step, step_data)
        await stop_clocks(ctx, [*events, *DECISION_STOPS.get(step, ())])
        if step in LEAVING_ACTIONS:
            await cancel_clocks(ctx, reason=step)
        for event in events:
            at = case["received_at"] if event == "received" else now
            await start_clocks(ctx, event, rules, ladders, at=at)
    return await evaluate_triggers(scope, case, view, triggers, actor=who, now=now)
