"""What a complainant sees with their tracking code and PIN — and nothing more."""

from __future__ import annotations

from core.api.case_schemas import PublicCaseView, PublicMessage, PublicMilestone
from core.db import as_utc
from core.errors import NotFound
from core.i18n import status_label
from core.tables import CaseEvent, InAppMessage, Tenant
from tenants.scope import TenantScope, find_cases_by_tracking_code
from tenants.secrets import check_secret, normalise_tracking_code

__all__ = ["lookup_case"]

_REPLY_VISIBLE = {"replied", "closed", "reopened", "archived"}
_PUBLIC_ACTIONS = {"register", "accept", "not_accept", "transfer", "assign", "reply", "close", "reopen"}


async def lookup_case(tracking_code: str, pin: str, *, locale: str, hash_profile: str) -> PublicCaseView:
    code = normalise_tracking_code(tracking_code)
    for case in await find_cases_by_tracking_code(code):
        if await check_secret(pin.strip(), case["pin_hash"], hash_profile):
            return await _view(case, locale)
    # The same answer for an unknown code and a wrong PIN: no oracle for guessing codes.
    raise NotFound("No case matches this tracking code and PIN.")


async def _view(case: dict, locale: str) -> PublicCaseView:
    tenant = await Tenant.select(Tenant.name, Tenant.timezone).where(Tenant.id == case["tenant_id"]).first()
    events = (
        await TenantScope(case["tenant_id"])
        .select(CaseEvent, CaseEvent.action, CaseEvent.to_status, CaseEvent.at)
        .where(CaseEvent.case_id == case["id"])
        .order_by(CaseEvent.seq)
    )
    milestones = [
        PublicMilestone(status=e["to_status"], label=status_label(e["to_status"], locale), at=as_utc(e["at"]))
        for e in events
        if e["action"] in _PUBLIC_ACTIONS and e["to_status"]
    ]
    status = case["status"]
    return PublicCaseView(
        tracking_code=case["tracking_code"],
        organisation=tenant["name"] if tenant else "",
        timezone=tenant["timezone"] if tenant else "Asia/Shanghai",
        subject=case["subject"],
        status=status,
        status_label=status_label(status, locale),
        received_at=as_utc(case["received_at"]),
        updated_at=as_utc(case["updated_at"]),
        reply=case["reply_text"] if status in _REPLY_VISIBLE and case["reply_text"] else None,
        not_accepted_ground=case["not_accepted_ground"] or None,
        transferred_to=case["transfer_target"]
        if status in {"transferred", "closed"} and case["transfer_target"]
        else None,
        milestones=milestones,
        messages=await _messages(case),
    )


async def _messages(case: dict) -> list[PublicMessage]:
    """Notices the outbox delivered to this case's portal inbox (in-app, no staff user)."""
    rows = (
        await TenantScope(case["tenant_id"])
        .select(InAppMessage, InAppMessage.subject, InAppMessage.body, InAppMessage.created_at)
        .where(InAppMessage.case_id == case["id"], InAppMessage.user_id.is_null())
        .order_by(InAppMessage.created_at)
    )
    return [PublicMessage(subject=r["subject"], body=r["body"], at=as_utc(r["created_at"])) for r in rows]
