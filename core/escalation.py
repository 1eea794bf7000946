"""Escalation: ladder levels against clocks and event triggers against case facts (R18, R19).

Both end the same way — :func:`escalate` applies the actions to the case and writes one
``escalated`` case event — so the timeline reads alike whichever fired:

* ``raise_priority`` moves the severity one step up (low → normal → high → critical);
* ``set_flag`` / ``mark_supervised`` add a flag to ``Case.extra["flags"]`` (``supervised``);
* ``notify_*`` and ``reassign_upward`` become entries of ``data["notify"]`` in the event: the
  notices outbox turns them into messages, and a person decides on a reassignment (the core
  knows no organisation chart to move a case "upward" by itself).

Triggers fire at most once per case and key (an ``Escalation`` row with ``source='trigger'``
and a unique index make that hold under races); they are re-evaluated after every case event,
a few rounds in a row, so a trigger that raises the priority can set off a severity trigger.
Ladder levels are fired by the deadline scan (``core.deadline_scan``) through
:func:`fire_ladder_level`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import msgspec

from core.case_facts import case_flags
from core.db import as_utc
from core.notice_recipients import role_fallbacks
from core.plugin_io import CaseView
from core.plugin_rules import trigger_matches
from core.plugin_types import EscalationTrigger
from core.tables import Case, Escalation
from core.timeline import append_event
from tenants.auth import Principal
from tenants.scope import TenantScope

__all__ = [
    "DEFAULT_COLLECTIVE_THRESHOLD",
    "SEVERITY_STEPS",
    "ActionPlan",
    "escalate",
    "evaluate_triggers",
    "fire_ladder_level",
    "plan_actions",
]

SEVERITY_STEPS = ("low", "normal", "high", "critical")
DEFAULT_COLLECTIVE_THRESHOLD = 5
"""A ``group_size`` trigger without a threshold uses this ([CFG], spec R9: collective ≥ 5)."""
TRIGGER_ROUNDS = 3


@dataclass(slots=True)
class ActionPlan:
    """What a list of actions does to a case: new severity and flags, and whom to tell."""

    severity: str
    flags: list[str]
    notify: list[dict[str, Any]] = field(default_factory=list)

    def changes(self, case: Mapping[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.severity != case["severity"]:
            out["severity"] = self.severity
        if self.flags != case_flags(case):
            out["flags"] = self.flags
        return out


def plan_actions(case: Mapping[str, Any], actions: Iterable[Mapping[str, Any]]) -> ActionPlan:
    """Apply ``actions`` (``Action`` as JSON) to the case's facts, without touching the DB."""
    severity = case["severity"] if case["severity"] in SEVERITY_STEPS else "normal"
    flags = case_flags(case)
    plan = ActionPlan(severity=severity, flags=list(flags))
    lead = str(case["lead_department_id"]) if case.get("lead_department_id") else None
    for action in actions:
        kind = action.get("kind")
        if kind == "raise_priority":
            plan.severity = SEVERITY_STEPS[min(SEVERITY_STEPS.index(plan.severity) + 1, len(SEVERITY_STEPS) - 1)]
        elif kind in ("set_flag", "mark_supervised"):
            flag = action.get("flag") if kind == "set_flag" else "supervised"
            if flag and flag not in plan.flags:
                plan.flags.append(str(flag))
        elif kind == "notify_role":
            plan.notify.append({"kind": "role", "role": action.get("role")})
        elif kind == "notify_department_head":
            plan.notify.append({"kind": "department_head", "department_id": lead})
        elif kind == "notify_supervisor_body":
            plan.notify.append({"kind": "supervisor_body"})
        elif kind == "reassign_upward":
            plan.notify.append({"kind": "reassign_upward", "department_id": lead})
    return plan


async def escalate(
    scope: TenantScope,
    case: dict[str, Any],
    *,
    actions: Sequence[Mapping[str, Any]],
    actor: Principal | None,
    now: datetime,
    data: dict[str, Any],
    bump_version: bool,
) -> dict[str, Any]:
    """Apply ``actions`` to ``case`` and record the ``escalated`` event; returns the case as it
    is now. ``bump_version``: the worker changes a case nobody is editing, so clients holding
    the old version must see a conflict; inside a transition the version was just bumped."""
    plan = plan_actions(case, actions)
    changes = plan.changes(case)
    before = {k: case["severity"] if k == "severity" else case_flags(case) for k in changes}
    if changes:
        extra = {**(case.get("extra") or {}), "flags": plan.flags}
        values: dict[Any, Any] = {Case.severity: plan.severity, Case.extra: extra, Case.updated_at: now}
        version = case["version"] + 1 if bump_version else case["version"]
        if bump_version:
            values[Case.version] = version
        await scope.update(Case, values).where(Case.id == case["id"])
        case = {**case, "severity": plan.severity, "extra": extra, "updated_at": now, "version": version}
    fallbacks = await role_fallbacks(scope, case, plan.notify)
    if fallbacks:  # nobody holds these positions: the supervisors are told instead
        data = {**data, "role_fallback": {code: "supervisors" for code in fallbacks}}
    await append_event(
        scope,
        case_id=case["id"],
        action="escalated",
        actor=actor,
        at=now,
        before=before,
        after=changes,
        data={**data, "actions": list(actions), "notify": plan.notify},
    )
    from core.outbox import queue_notices  # lazy: the outbox reads plugins through case_hooks

    await queue_notices(scope, None, case, "escalated", now, {**data, "notify": plan.notify})  # same transaction
    return case


async def fire_ladder_level(
    scope: TenantScope, case: dict[str, Any], level: Mapping[str, Any], clock: Mapping[str, Any], now: datetime
) -> dict[str, Any] | None:
    """Fire one ladder level exactly once: only the caller whose conditional update flips the
    row from ``pending`` to ``fired`` goes on to act (a second worker, or a retried job, finds
    nothing to flip). Returns the case as it is afterwards, or ``None`` when it was not ours."""
    won = (
        await scope.update(Escalation, {Escalation.state: "fired", Escalation.fired_at: now})
        .where(Escalation.id == level["id"], Escalation.state == "pending")
        .returning(Escalation.id)
    )
    if not won:
        return None
    fire_at = as_utc(level["fire_at"])
    data = {
        "source": "ladder",
        "key": level["rule_key"],
        "clock_id": str(clock["id"]),
        "level": level["level"],
        "names": level["names"] or {},
        "relative": level["relative"],
        "offset": {"amount": level["offset_amount"], "unit": level["offset_unit"]},
        "fire_at": fire_at.isoformat(),
        "late_by_seconds": max(0, int((now - fire_at).total_seconds())),
        "due_at": as_utc(clock["due_at"]).isoformat(),
        "rule_source": level["rule_source"],
    }
    return await escalate(
        scope, case, actions=level["actions"] or [], actor=None, now=now, data=data, bump_version=True
    )


def _effective(trigger: EscalationTrigger) -> EscalationTrigger:
    if trigger.kind == "group_size" and trigger.threshold is None:
        return msgspec.structs.replace(trigger, threshold=DEFAULT_COLLECTIVE_THRESHOLD)
    return trigger


async def evaluate_triggers(
    scope: TenantScope,
    case: dict[str, Any],
    view: CaseView,
    triggers: Sequence[EscalationTrigger],
    *,
    actor: Principal | None,
    now: datetime,
    bump_version: bool = False,
) -> dict[str, Any]:
    """Fire every trigger that matches the case's facts and has not fired for it before."""
    if not triggers:
        return case
    rows = await scope.select(Escalation, Escalation.rule_key).where(
        Escalation.case_id == case["id"], Escalation.source == "trigger"
    )
    fired = {r["rule_key"] for r in rows}
    for _ in range(TRIGGER_ROUNDS):
        progress = False
        for trigger in map(_effective, triggers):
            if trigger.key in fired or not trigger_matches(trigger, view):
                continue
            fired.add(trigger.key)
            progress = True
            actions = msgspec.to_builtins(trigger.actions)
            names = msgspec.to_builtins(trigger.names)
            await scope.insert(
                Escalation,
                case_id=case["id"],
                clock_id=None,
                source="trigger",
                rule_key=trigger.key,
                level=0,
                fire_at=now,
                fired_at=now,
                state="fired",
                actions=actions,
                names=names,
                rule_source=trigger.source[:300],
                created_at=now,
            )
            data = {
                "source": "trigger",
                "key": trigger.key,
                "kind": trigger.kind,
                "names": names,
                "rule_source": trigger.source,
            }
            case = await escalate(
                scope, case, actions=actions, actor=actor, now=now, data=data, bump_version=bump_version
            )
            view = msgspec.structs.replace(
                view, severity=case["severity"], flags=case_flags(case), extra=dict(case.get("extra") or {})
            )
        if not progress:
            break
    return case
