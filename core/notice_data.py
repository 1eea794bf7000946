"""What a notice says: the ``NoticeContext`` data of a case event, per recipient.

Built when the notice is queued, inside the event's transaction, so it records the case as the
event left it (a later edit does not rewrite a notice already decided); rendered later by the
worker with the tenant's templates of that moment. Values are JSON-ready (ISO datetimes).

Confidentiality (R26): staff and department recipients of a confidential case never see the
complainant's name; nobody gets it for an anonymous case; the postal address is printed on
letters to the complainant only; the tracking code goes to the complainant only.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import msgspec

from core.db import as_utc
from core.grounds import refusal_ground
from core.notice_recipients import Directory, Recipient
from core.notice_rules import EVENT_NAMES
from core.notices import TIME_UNITS
from core.plugin_tenant import TenantPlugins
from core.plugin_types import Category
from core.settings import get_settings
from core.tables import CaseClock, CaseDepartment, CaseEvent
from tenants.scope import TenantScope

__all__ = ["case_context", "for_recipient", "ground_kind_of", "notice_locale"]

_INTAKE = {
    "web": ("网上投诉", "online"),
    "phone": ("电话", "by phone"),
    "letter": ("来信", "by letter"),
    "visit": ("来访", "in person"),
    "email": ("电子邮件", "by e-mail"),
    "hotline": ("热线", "through the hotline"),
    "api": ("系统转入", "through an integration"),
    "transfer-in": ("上级转送", "forwarded by another body"),
}


def _zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "Asia/Shanghai")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("Asia/Shanghai")


def _pick(pair: tuple[str, str] | dict[str, Any] | None, locale: str) -> str | None:
    if not pair:
        return None
    if isinstance(pair, dict):
        return str(pair.get("en") if locale == "en" else pair.get("zh-CN") or pair.get("en") or "") or None
    return pair[1] if locale == "en" else pair[0]


def notice_locale(tenant_locale: str, case: dict[str, Any], *, complainant: bool) -> str:
    """The complainant's language when the case records one (``extra.locale``), else the
    tenant's; staff read the tenant's language."""
    wanted = str((case.get("extra") or {}).get("locale") or "") if complainant else ""
    return wanted if wanted in ("zh-CN", "en") else (tenant_locale if tenant_locale in ("zh-CN", "en") else "zh-CN")


def _category_name(categories: list[Category], code: str, locale: str) -> str | None:
    stack = list(categories)
    while stack:
        node = stack.pop()
        if node.code == code:
            return node.names.get(locale)
        stack.extend(node.children)
    return None


def ground_kind_of(plugins: TenantPlugins, case: dict[str, Any]) -> str:
    sector = plugins.sector(case["sector"])
    ground = refusal_ground(case["not_accepted_ground"] or "", sector.grounds if sector else ())
    return ground.kind if ground else "not_accepted"


async def _clock(scope: TenantScope, case_id: Any) -> dict[str, Any] | None:
    """The running time limit that ends first: what a complainant or handler should know."""
    return (
        await scope.select(CaseClock, CaseClock.due_at, CaseClock.amount, CaseClock.unit)
        .where(CaseClock.case_id == case_id, CaseClock.state == "running", CaseClock.kind == "limit")
        .order_by(CaseClock.due_at)
        .first()
    )


async def case_context(
    scope: TenantScope,
    case: dict[str, Any],
    person: dict[str, Any] | None,
    *,
    tenant: dict[str, Any],
    plugins: TenantPlugins,
    directory: Directory,
    locale: str,
    action: str,
    data: dict[str, Any],
    now: datetime,
) -> dict[str, Any]:
    """The context shared by every recipient of one event (``for_recipient`` narrows it).
    ``tenant``: the tenant row (name, timezone, settings; ``settings.notices`` may give the
    phone, address, office hours and portal URL printed on notices)."""
    info = (tenant.get("settings") or {}).get("notices") or {}
    if not isinstance(info, dict):
        info = {}
    links = await scope.select(CaseDepartment).where(CaseDepartment.case_id == case["id"])
    lead = directory.department_by_id(case["lead_department_id"]) if case["lead_department_id"] else None
    coop = [directory.department_by_id(x["department_id"]) for x in links if x["role"] == "cooperating"]
    accepted = (
        await scope.select(CaseEvent, CaseEvent.at)
        .where(CaseEvent.case_id == case["id"], CaseEvent.action == "accept")
        .order_by(CaseEvent.seq, ascending=False)
        .first()
    )
    clock = await _clock(scope, case["id"])
    sector = plugins.sector(case["sector"])
    ground = refusal_ground(case["not_accepted_ground"] or "", sector.grounds if sector else ())
    extra = case.get("extra") or {}
    base_url = get_settings().base_url
    ctx: dict[str, Any] = {
        "tenant_name": tenant.get("name") or "",
        "tenant_phone": info.get("phone"),
        "tenant_address": info.get("address"),
        "tenant_hours": info.get("hours"),
        "portal_url": info.get("portal_url") or f"{base_url}/track",
        "timezone": tenant.get("timezone") or "Asia/Shanghai",
        "case_number": str(case["number"]),
        "subject": case["subject"],
        "received_at": as_utc(case["received_at"]),
        "tracking_code": case["tracking_code"],
        "category_name": _category_name(plugins.categories(case["sector"]), case["category"], locale)
        if sector
        else None,
        "intake_channel": _pick(_INTAKE.get(case["channel"]), locale) or case["channel"],
        "accepted_at": as_utc(accepted["at"]) if accepted else None,
        "complainant_name": None if case["anonymous"] or person is None else (person["name"] or None),
        "anonymous": bool(case["anonymous"]),
        "ground_code": case["not_accepted_ground"] or None,
        "ground_name": ground.names.get(locale) if ground and case["not_accepted_ground"] else None,
        "target_body": case["transfer_target"] or None,
        "result": case["reply_text"] or None,
        "lead_department": directory.department_name(lead, locale) if lead else None,
        "cooperating_departments": [directory.department_name(d, locale) for d in coop if d],
        "instructions": data.get("note") if action in ("assign", "transfer") else None,
        "reasons": data.get("note") if action == "not_accept" else None,
        "source_body": extra.get("source_body"),
        "source_reference": extra.get("source_reference"),
        "reopen_reason": (data.get("note") or data.get("reason")) if action == "reopen" else None,
        "event_name": _pick(EVENT_NAMES.get(action), locale),
        "issued_on": now.astimezone(_zone(tenant.get("timezone"))).date(),
    }
    if clock is not None:
        ctx["due_at"] = as_utc(clock["due_at"])
        if clock["unit"] in TIME_UNITS:
            ctx["time_limit_amount"], ctx["time_limit_unit"] = clock["amount"], clock["unit"]
    if action == "escalated":
        ctx.update(_escalation(data, locale, now))
    return msgspec.to_builtins(ctx)


def _escalation(data: dict[str, Any], locale: str, now: datetime) -> dict[str, Any]:
    names = data.get("names") or {}
    out: dict[str, Any] = {"clock_name": _pick(names, locale) or data.get("key") or ""}
    if data.get("source") == "ladder":
        level = data.get("level", 0)
        out["escalation_level"] = f"Level {level}" if locale == "en" else f"第{level}级督办"
        due = datetime.fromisoformat(data["due_at"]) if data.get("due_at") else None
        out["due_at"] = due
        out["overdue"] = bool(due and due <= now)
    else:
        out["escalation_level"] = "event trigger" if locale == "en" else "事件触发"
        out["due_at"] = None
    return out


def for_recipient(base: dict[str, Any], recipient: Recipient, *, confidential: bool) -> dict[str, Any]:
    """``base`` as this recipient may read it (module docstring)."""
    ctx = dict(base)
    ctx["recipient_name"] = recipient.name or None
    if recipient.kind == "complainant":
        ctx["recipient_address"] = (recipient.address or None) if recipient.channel == "letter" else None
        return ctx
    ctx["recipient_address"] = None
    ctx["tracking_code"] = None
    if confidential:
        ctx["complainant_name"] = None
    return ctx
