"""Deadlines over HTTP: a case's clocks, pause / resume / extend, case facts, dashboards.

Tenant isolation comes from the caller's scope: another tenant's case or clock id answers
404 exactly like an unknown one. Handlers may act only on cases of their department (like the
lifecycle's department-bound actions); extensions need a supervisor or tenant admin (R17).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, get, post
from litestar.params import Parameter

from core.api.clock_schemas import ClockEventIn, ClockOut, ClockReasonIn, DuePage, ExtendIn
from core.case_followups import after_case_event
from core.clock_actions import extend_clock, pause_clock, resume_clock
from core.clock_views import clock_out, clocks_by_case, due_page
from core.clocks import ClockContext, lock_case
from core.db import transaction
from core.errors import Forbidden
from core.tables import Case, CaseDepartment
from core.tenant_calendar import load_calendar
from core.timeline import append_event
from tenants.auth import Principal, require_roles, require_scope

__all__ = ["ClockController", "DashboardController"]

WORKERS = ("tenant_admin", "supervisor", "handler")
MANAGERS = ("tenant_admin", "supervisor")


async def _require_department(who: Principal, case: dict[str, Any]) -> None:
    if who.has_role(*MANAGERS):
        return
    if who.department_id is None:
        raise Forbidden("a handler must belong to a department to work on cases")
    if case["lead_department_id"] == who.department_id:
        return
    if not await who.scope.exists(CaseDepartment).where(
        CaseDepartment.case_id == case["id"], CaseDepartment.department_id == who.department_id
    ):
        raise Forbidden("this case is not assigned to your department")


async def _on_clock(
    who: Principal, case_id: UUID, now: datetime, action: Callable[[ClockContext], Awaitable[dict[str, Any]]]
) -> ClockOut:
    """Run a clock action in one transaction with the case locked, and show the result."""
    async with transaction():
        case = await lock_case(who.scope, case_id)
        await _require_department(who, case)
        tenant_calendar = await load_calendar(who.tenant_id)
        ctx = ClockContext(who.scope, case, now, who, tenant_calendar.calendar, tenant_calendar.version)
        clock = await action(ctx)
    return clock_out(clock, now)


class ClockController(Controller):
    path = "/api/v1/cases/{case_id:uuid}"
    tags = ["deadlines"]

    @get("/clocks", guards=[require_scope("cases:read")], summary="The case's clocks (deadlines)")
    async def index(self, case_id: UUID, who: Principal, now: datetime) -> list[ClockOut]:
        case = await who.scope.get(Case, case_id, Case.id)
        return (await clocks_by_case(who.scope, [case["id"]], now))[case["id"]]

    @post(
        "/clocks/{clock_id:uuid}/pause",
        guards=[require_scope("cases:write"), require_roles(*WORKERS)],
        status_code=200,
        summary="Pause a clock (e.g. waiting for materials)",
    )
    async def pause(
        self, case_id: UUID, clock_id: UUID, data: ClockReasonIn, who: Principal, now: datetime
    ) -> ClockOut:
        return await _on_clock(who, case_id, now, lambda ctx: pause_clock(ctx, clock_id, data.reason.strip()))

    @post(
        "/clocks/{clock_id:uuid}/resume",
        guards=[require_scope("cases:write"), require_roles(*WORKERS)],
        status_code=200,
        summary="Resume a paused clock (continue or restart, per the rule)",
    )
    async def resume(
        self, case_id: UUID, clock_id: UUID, data: ClockReasonIn, who: Principal, now: datetime
    ) -> ClockOut:
        return await _on_clock(who, case_id, now, lambda ctx: resume_clock(ctx, clock_id, data.reason.strip()))

    @post(
        "/clocks/{clock_id:uuid}/extend",
        guards=[require_scope("cases:write"), require_roles(*MANAGERS)],
        status_code=200,
        summary="Extend a clock within its rule's cap (approved; reason told to the complainant)",
        description="Beyond the cap, or a second extension where only one is allowed, answers 422 naming `amount`.",
    )
    async def extend(self, case_id: UUID, clock_id: UUID, data: ExtendIn, who: Principal, now: datetime) -> ClockOut:
        approver = data.approver.strip() or who.name
        return await _on_clock(
            who,
            case_id,
            now,
            lambda ctx: extend_clock(ctx, clock_id, amount=data.amount, reason=data.reason.strip(), approver=approver),
        )

    @post(
        "/clock-events",
        guards=[require_scope("cases:write"), require_roles(*WORKERS)],
        status_code=200,
        summary="Record a case fact clocks start or stop on (签收, work order issued, arrival…)",
    )
    async def record_fact(self, case_id: UUID, data: ClockEventIn, who: Principal, now: datetime) -> list[ClockOut]:
        async with transaction():
            case = await lock_case(who.scope, case_id)
            await _require_department(who, case)
            await append_event(
                who.scope,
                case_id=case["id"],
                action="clock_event",
                actor=who,
                at=now,
                data={"event": data.event, "note": data.note} if data.note else {"event": data.event},
            )
            await after_case_event(who, case, "clock_event", now, {"event": data.event})
        return (await clocks_by_case(who.scope, [case["id"]], now))[case["id"]]


class DashboardController(Controller):
    path = "/api/v1"
    tags = ["deadlines"]

    @get("/overdue", guards=[require_scope("cases:read")], summary="Running clocks past their due time")
    async def overdue(
        self,
        who: Principal,
        now: datetime,
        department_id: UUID | None = None,
        cursor: str | None = None,
        limit: Annotated[int, Parameter(ge=1, le=200)] = 50,
    ) -> DuePage:
        return await due_page(who.scope, "overdue", now, department_id=department_id, cursor=cursor, limit=limit)

    @get("/warnings", guards=[require_scope("cases:read")], summary="Running clocks past their warning time")
    async def warnings(
        self,
        who: Principal,
        now: datetime,
        department_id: UUID | None = None,
        cursor: str | None = None,
        limit: Annotated[int, Parameter(ge=1, le=200)] = 50,
    ) -> DuePage:
        return await due_page(who.scope, "warning", now, department_id=department_id, cursor=cursor, limit=limit)
