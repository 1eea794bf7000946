"""What the tenant's sector plugins decide at intake: routing and automatic acceptance.

Both run inside the intake transaction, after the case row exists, and each records an event,
so the timeline shows that a rule (and which one) made the decision rather than a person.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from core.case_hooks import case_view
from core.grounds import refusal_ground
from core.plugin_tenant import TenantPlugins
from core.tables import Case, CaseDepartment, Department
from core.timeline import append_event
from tenants.scope import TenantScope

__all__ = ["apply_intake_rules"]


async def apply_intake_rules(
    scope: TenantScope, plugins: TenantPlugins, case: dict[str, Any], *, now: datetime
) -> dict[str, Any]:
    """Route, then accept or refuse where the sector's rules decide; returns the fresh row."""
    view = await case_view(scope, case)
    route = plugins.route(view)
    if route is not None:
        await _apply_route(scope, case, route, now)
    decision = plugins.acceptance(view)
    if decision is not None and decision.decision in ("accept", "refuse"):
        await _apply_decision(scope, plugins, case, decision, now)
    elif decision is not None and (decision.missing or decision.ground):
        # Staff decide; the rule's advice (materials to ask for, a suggested ground) is recorded.
        await append_event(
            scope,
            case_id=case["id"],
            action="acceptance_advice",
            actor=None,
            at=now,
            data={"reason": decision.reason, "missing": list(decision.missing), "suggested_ground": decision.ground},
        )
    return await scope.get(Case, case["id"])


async def _apply_route(scope: TenantScope, case: dict[str, Any], route: Any, now: datetime) -> None:
    codes = [route.lead, *route.cooperating]
    rows = await scope.select(Department, Department.id, Department.code).where(
        Department.code.is_in(codes), Department.active.eq(True)
    )
    by_code = {r["code"]: r["id"] for r in rows}
    unknown = [c for c in codes if c not in by_code]
    data = {"lead": route.lead, "cooperating": list(route.cooperating), "reason": route.reason, "unknown": unknown}
    lead_id = by_code.get(route.lead)
    if lead_id is not None:
        await scope.update(Case, {Case.lead_department_id: lead_id}).where(Case.id == case["id"])
        await scope.insert_many(
            CaseDepartment,
            [{"case_id": case["id"], "department_id": lead_id, "role": "lead"}]
            + [
                {"case_id": case["id"], "department_id": by_code[c], "role": "cooperating"}
                for c in route.cooperating
                if c in by_code
            ],
        )
        case["lead_department_id"] = lead_id
    await append_event(
        scope, case_id=case["id"], action="route", actor=None, at=now, after={"lead_department_id": lead_id}, data=data
    )


async def _apply_decision(
    scope: TenantScope, plugins: TenantPlugins, case: dict[str, Any], decision: Any, now: datetime
) -> None:
    if decision.decision == "accept":
        target, changes, data = "accepted", {}, {"reason": decision.reason, "by": "rule"}
        action = "accept"
    else:
        sector = plugins.sector(case["sector"])
        ground = refusal_ground(decision.ground, sector.grounds if sector else ())
        target, action = "not_accepted", "not_accept"
        changes = {Case.not_accepted_ground: decision.ground, Case.transfer_target: decision.target or ""}
        data = {"reason": decision.reason, "by": "rule", "ground_kind": ground.kind if ground else "not_accepted"}
    await scope.update(
        Case, {Case.status: target, Case.version: Case.version + 1, Case.updated_at: now, **changes}
    ).where(Case.id == case["id"])
    await append_event(
        scope,
        case_id=case["id"],
        action=action,
        actor=None,
        at=now,
        from_status="registered",
        to_status=target,
        before={"status": "registered"},
        after={"status": target, "not_accepted_ground": decision.ground or ""},
        data=data,
    )
