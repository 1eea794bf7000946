"""Clocks as readers see them, and the overdue / warning dashboards.

Whether a clock is in ``warning`` or ``overdue`` is decided when it is read, against the
injected clock, so a dashboard is right the minute a deadline passes without any job having to
run first. Views of many cases load every clock of the page in one query.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, Literal

from core.api.clock_schemas import ClockOut, DueCaseOut, DueClockOut, DuePage
from core.db import as_utc
from core.pagination import keyset_page
from core.tables import Case, CaseClock, CaseDepartment
from tenants.scope import TenantScope

__all__ = ["clock_out", "clocks_by_case", "derived_state", "due_page", "remaining_text"]


def derived_state(clock: Mapping[str, Any], now: datetime) -> str:
    """running → warning (past ``warn_at``) → overdue (past ``due_at``); others as stored."""
    if clock["state"] != "running":
        return clock["state"]
    if now >= as_utc(clock["due_at"]):
        return "overdue"
    if clock["warn_at"] is not None and now >= as_utc(clock["warn_at"]):
        return "warning"
    return "running"


def _parts(seconds: int) -> tuple[int, int, int]:
    minutes = abs(seconds) // 60
    return minutes // 1440, minutes % 1440 // 60, minutes % 60


def remaining_text(seconds: int) -> dict[str, str]:
    """ "2 d 3 h left" / "剩余2天3小时"; "overdue by 45 min" / "已超期45分钟" (minute precision)."""
    days, hours, minutes = _parts(seconds)
    if days:
        en, zh = f"{days} d {hours} h", f"{days}天{hours}小时"
    elif hours:
        en, zh = f"{hours} h {minutes} min", f"{hours}小时{minutes}分钟"
    else:
        en, zh = f"{minutes} min", f"{minutes}分钟"
    if seconds < 0:
        return {"zh-CN": f"已超期{zh}", "en": f"overdue by {en}"}
    return {"zh-CN": f"剩余{zh}", "en": f"{en} left"}


def clock_out(clock: Mapping[str, Any], now: datetime) -> ClockOut:
    rule = clock.get("rule") or {}
    due_at = as_utc(clock["due_at"])
    seconds: int | None = None
    if clock["state"] == "running":
        seconds = int((due_at - now).total_seconds())
    elif clock["state"] == "paused" and clock["paused_at"] is not None:
        seconds = int((due_at - as_utc(clock["paused_at"])).total_seconds())
    names = rule.get("names") or {}
    return ClockOut(
        id=clock["id"],
        rule_key=clock["rule_key"],
        names={"zh-CN": names.get("zh-CN", clock["rule_key"]), "en": names.get("en", clock["rule_key"])},
        kind=clock["kind"],
        unit=clock["unit"],
        amount=clock["amount"],
        start_event=clock["start_event"],
        stop_event=clock["stop_event"] or None,
        started_at=as_utc(clock["started_at"]),
        due_at=due_at,
        last_day=clock["last_day"],
        warn_at=as_utc(clock["warn_at"]) if clock["warn_at"] is not None else None,
        state=derived_state(clock, now),
        provisional=bool(clock["provisional"]),
        remaining_seconds=seconds,
        remaining=remaining_text(seconds) if seconds is not None else None,
        paused_at=as_utc(clock["paused_at"]) if clock["paused_at"] is not None else None,
        extended_by=clock["extended_by"],
        extension_count=clock["extension_count"],
        extension_cap=rule.get("extension_cap"),
        stopped_at=as_utc(clock["stopped_at"]) if clock["stopped_at"] is not None else None,
        statutory=bool(rule.get("statutory")),
        source=str(rule.get("source") or ""),
        version=clock["version"],
    )


async def clocks_by_case(
    scope: TenantScope, case_ids: Iterable[uuid.UUID], now: datetime
) -> dict[uuid.UUID, list[ClockOut]]:
    """Every clock of the given cases, grouped by case, in one query."""
    ids = list(case_ids)
    out: dict[uuid.UUID, list[ClockOut]] = {i: [] for i in ids}
    if not ids:
        return out
    rows = await scope.select(CaseClock).where(CaseClock.case_id.is_in(ids)).order_by(CaseClock.started_at)
    for row in rows:
        out.setdefault(row["case_id"], []).append(clock_out(row, now))
    return out


async def due_page(
    scope: TenantScope,
    which: Literal["overdue", "warning"],
    now: datetime,
    *,
    department_id: uuid.UUID | None,
    cursor: str | None,
    limit: int,
) -> DuePage:
    """Running clocks past due (``overdue``) or past their warning time but not yet due
    (``warning``), soonest due first, keyset-paginated on (due_at, id)."""
    query = scope.select(CaseClock).where(CaseClock.state == "running")
    if which == "overdue":
        query = query.where(CaseClock.due_at <= now)
    else:
        query = query.where(CaseClock.warn_at <= now, CaseClock.due_at > now)
    if department_id is not None:
        links = await scope.select(CaseDepartment, CaseDepartment.case_id).where(
            CaseDepartment.department_id == department_id
        )
        led = await scope.select(Case, Case.id).where(Case.lead_department_id == department_id)
        ids = list({r["case_id"] for r in links} | {r["id"] for r in led})
        if not ids:
            return DuePage(items=[], next_cursor=None)
        query = query.where(CaseClock.case_id.is_in(ids))
    rows, next_cursor = await keyset_page(
        query, CaseClock.due_at, CaseClock.id, cursor=cursor, limit=limit, newest_first=False
    )
    cases = {}
    if rows:
        found = await scope.select(
            Case,
            Case.id,
            Case.number,
            Case.tracking_code,
            Case.subject,
            Case.status,
            Case.severity,
            Case.lead_department_id,
        ).where(Case.id.is_in(list({r["case_id"] for r in rows})))
        cases = {c["id"]: c for c in found}
    items = [
        DueClockOut(case=DueCaseOut(**cases[r["case_id"]]), clock=clock_out(r, now))
        for r in rows
        if r["case_id"] in cases
    ]
    return DuePage(items=items, next_cursor=next_cursor)
