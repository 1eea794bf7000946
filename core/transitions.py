"""Applying a lifecycle action to a case: check, change, record — atomically.

Concurrency: the case row carries a ``version``. The update is ``… WHERE version = <read>``
inside the transaction, so of two concurrent transitions on one case exactly one changes the
row; the other finds nothing to update and answers 409.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from core.api.case_schemas import (
    Archive,
    Assign,
    Close,
    NotAccept,
    Reopen,
    Reply,
    Transfer,
    TransitionIn,
)
from core.case_followups import after_case_event
from core.case_hooks import case_view, plugins_for
from core.cases import TRANSITIONS, allowed_actions, may_perform
from core.db import transaction
from core.errors import Conflict, FieldError, Forbidden, Unprocessable
from core.grounds import refusal_ground
from core.outbox import queue_notices
from core.plugin_errors import TransitionVetoed
from core.plugin_io import CaseEventView
from core.plugin_types import Ground
from core.tables import Case, CaseDepartment, CaseEvent, Department
from core.timeline import append_event
from tenants.auth import Principal
from tenants.scope import TenantScope

__all__ = ["apply_transition"]


async def apply_transition(
    who: Principal, case_id: uuid.UUID | str, body: TransitionIn, *, now: datetime, locale: str = "zh-CN"
) -> dict[str, Any]:
    scope = who.scope
    action = type(body).__struct_config__.tag  # type: ignore[attr-defined]
    spec = TRANSITIONS[action]
    async with transaction():
        case = await scope.get(Case, case_id)
        if not may_perform(action, who.roles):
            raise Forbidden(
                f"'{action}' requires one of the roles: {', '.join(sorted(spec.roles))}",
                action=action,
            )
        if case["status"] not in spec.sources:
            raise Conflict(
                f"'{action}' is not possible while the case is {case['status']}",
                case_status=case["status"],
                allowed_actions=allowed_actions(case["status"]),
            )
        if body.expected_version is not None and body.expected_version != case["version"]:
            raise Conflict(
                "The case changed since you read it; reload and try again.",
                errors=[FieldError("expected_version", f"current version is {case['version']}")],
                current_version=case["version"],
            )
        if spec.department_bound and not who.has_role("tenant_admin", "supervisor"):
            await _require_department(scope, who, case)
        plugins = await plugins_for(scope)
        sector = plugins.sector(case["sector"])
        changes, data = await _changes_for(scope, body, case, sector.grounds if sector else ())
        values: dict[Any, Any] = {
            Case.status: spec.target,
            Case.version: case["version"] + 1,
            Case.updated_at: now,
            **{getattr(Case, k): v for k, v in changes.items()},
        }
        updated = (
            await scope.update(Case, values)
            .where(Case.id == case["id"], Case.version == case["version"])
            .returning(Case.id)
        )
        if not updated:
            raise Conflict("Another change to this case won the race; reload and try again.")
        if isinstance(body, Assign):
            await _replace_departments(scope, case["id"], body)
        before = {k: case[k] for k in changes}
        event_data = {"note": body.note, **data} if body.note else data
        await append_event(
            scope,
            case_id=case["id"],
            action=action,
            actor=who,
            at=now,
            from_status=case["status"],
            to_status=spec.target,
            before={"status": case["status"], **before},
            after={"status": spec.target, **changes},
            data=event_data,
        )
        await after_case_event(who, case, action, now, event_data, plugins=plugins)  # clocks, triggers
        updated_row = await scope.get(Case, case["id"])
        await _let_plugins_react(scope, plugins, updated_row, action, who, now, event_data, locale)
        await queue_notices(scope, plugins, updated_row, action, now, event_data)  # the outbox, same transaction
        return updated_row


async def _let_plugins_react(
    scope: TenantScope,
    plugins: Any,
    row: dict[str, Any],
    action: str,
    who: Principal,
    now: datetime,
    data: dict[str, Any],
    locale: str,
) -> None:
    """Plugins see the case as it would be after the move; a veto (a closure checklist item
    missing, say) rolls the whole transition back and answers 409 with what is missing."""
    event = CaseEventView(action=action, at=now, actor=who.name, data=data, case_id=str(row["id"]))
    try:
        await plugins.case_event(await case_view(scope, row), event)
    except TransitionVetoed as veto:
        extra = {k: v for k, v in veto.extra.items() if k not in ("status", "title", "detail", "type")}
        raise Conflict(veto.reason.get(locale), vetoed_by=veto.plugin, missing=veto.missing, **extra) from None


async def _require_department(scope: TenantScope, who: Principal, case: dict[str, Any]) -> None:
    if who.department_id is None:
        raise Forbidden("a handler must belong to a department to work on cases")
    if case["lead_department_id"] == who.department_id:
        return
    linked = await scope.exists(CaseDepartment).where(
        CaseDepartment.case_id == case["id"], CaseDepartment.department_id == who.department_id
    )
    if not linked:
        raise Forbidden("this case is not assigned to your department")


async def _changes_for(
    scope: TenantScope, body: TransitionIn, case: dict[str, Any], sector_grounds: Iterable[Ground]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The column changes and event data an action brings, after checking its own rules."""
    if isinstance(body, NotAccept):
        ground = refusal_ground(body.ground, sector_grounds)
        if ground is None:
            raise Unprocessable(
                f"unknown non-acceptance ground '{body.ground}'",
                errors=[FieldError("ground", "not a ground this organisation uses")],
            )
        if ground.needs_target and not body.target.strip():
            raise Unprocessable(
                f"ground '{body.ground}' requires the competent body or legal route",
                errors=[FieldError("target", "required by this ground: say where the complainant should go")],
            )
        return {"not_accepted_ground": body.ground, "transfer_target": body.target.strip()}, {
            "ground_kind": ground.kind
        }
    if isinstance(body, Transfer):
        return {"transfer_target": body.target.strip()}, {}
    if isinstance(body, Assign):
        lead = body.lead_department_id
        coop = [d for d in dict.fromkeys(body.cooperating_department_ids) if d != lead]
        for i, dept_id in enumerate([lead, *coop]):
            field = "lead_department_id" if i == 0 else f"cooperating_department_ids[{i - 1}]"
            row = await scope.select(Department).where(Department.id == dept_id).first()
            if row is None or not row["active"]:
                raise Unprocessable(
                    "unknown or inactive department", errors=[FieldError(field, "no such active department")]
                )
        return {"lead_department_id": lead}, {"cooperating_department_ids": [str(d) for d in coop]}
    if isinstance(body, Reply):
        if not body.reply.strip():
            raise Unprocessable("the reply is empty", errors=[FieldError("reply", "must not be blank")])
        # A reply to a case still registered is an answer on the spot (当场答复).
        return {"reply_text": body.reply.strip()}, {**body.checklist, "on_the_spot": case["status"] == "registered"}
    if isinstance(body, Close):
        if case["status"] == "transferred" and not body.reply_back.strip():
            raise Unprocessable(
                "a transferred case closes on the receiving body's reply-back",
                errors=[FieldError("reply_back", "required when closing a transferred case")],
            )
        on_the_spot = await scope.exists(CaseEvent).where(
            CaseEvent.case_id == case["id"], CaseEvent.action == "reply", CaseEvent.from_status == "registered"
        )
        data: dict[str, Any] = {**body.checklist, "on_the_spot": on_the_spot}
        if body.reply_back.strip():
            data["reply_back"] = body.reply_back.strip()
        return {}, data
    if isinstance(body, Reopen):
        return {}, {"reason": body.reason}
    if isinstance(body, Archive):
        return {}, {"archive_class": body.archive_class}
    return {}, {}


async def _replace_departments(scope: TenantScope, case_id: uuid.UUID, body: Assign) -> None:
    await scope.delete(CaseDepartment).where(CaseDepartment.case_id == case_id)
    lead = body.lead_department_id
    rows = [{"case_id": case_id, "department_id": lead, "role": "lead"}]
    rows += [
        {"case_id": case_id, "department_id": d, "role": "cooperating"}
        for d in dict.fromkeys(body.cooperating_department_ids)
        if d != lead
    ]
    await scope.insert_many(CaseDepartment, rows)
