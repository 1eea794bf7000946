"""信访 — government petition bureau (seed 004 L1–L137; seeds 000, 002, 003 where cited).

Registered through the ``casedesk`` entry-point group as ``gov_petition``; uses only
:mod:`core.plugin_api`. The rule data lives beside this module: ``sector`` (categories,
intake fields, grounds NR1–NR5 / NA1–NA2, departments), ``config`` (tunable numbers),
``dispatch`` (属地 / 归口 routing, 转送 vs 交办), ``rules`` (clocks, escalations, notices),
``intake`` (registration checks, acceptance).
"""

from __future__ import annotations

from typing import Any

from core.plugin_api import (
    AcceptanceDecision,
    CaseEventView,
    CaseView,
    ClockRule,
    IntakeDraft,
    Names,
    NoticeRequest,
    Problem,
    ReportPeriod,
    Route,
    Sector,
    TenantContext,
    applicable,
    count_section,
    hookimpl,
    iter_categories,
    require_checklist,
)
from plugins.gov_petition import intake, rules
from plugins.gov_petition.config import GovPetitionConfig
from plugins.gov_petition.dispatch import dispatch
from plugins.gov_petition.sector import CATEGORIES, CHANNELS, DEPARTMENTS, GROUNDS, INTAKE_FIELDS, ROLES

__all__ = ["KEY", "SECTOR"]

KEY = "gov_petition"

SECTOR = Sector(
    key=KEY,
    names=Names("信访", "Government petitions"),
    categories=CATEGORIES,
    intake_fields=INTAKE_FIELDS,
    grounds=GROUNDS,
    config_schema=GovPetitionConfig,
    departments=DEPARTMENTS,
    roles=ROLES,
    channels=CHANNELS,
)


@hookimpl
def casedesk_sectors() -> Sector:
    return SECTOR


@hookimpl
def casedesk_validate_intake(tenant: TenantContext, draft: IntakeDraft) -> list[Problem]:
    return intake.validate(tenant.config, draft)


@hookimpl
def casedesk_acceptance(tenant: TenantContext, case: CaseView) -> AcceptanceDecision:
    return intake.acceptance(tenant.config, case)


@hookimpl
def casedesk_route(tenant: TenantContext, case: CaseView) -> Route:
    plan = dispatch(case, tenant.config)
    return Route(lead=plan.lead, cooperating=plan.cooperating, reason=f"{plan.mode}: " + "; ".join(plan.reasons))


@hookimpl
def casedesk_clocks(tenant: TenantContext, case: CaseView) -> list[ClockRule]:
    return applicable(rules.clocks(tenant.config), case)


@hookimpl
def casedesk_escalations(tenant: TenantContext) -> list[Any]:
    return rules.escalations(tenant.config)


@hookimpl
def casedesk_notices(tenant: TenantContext, case: CaseView, event: CaseEventView) -> list[NoticeRequest]:
    return rules.notices(tenant.config, case, event)


@hookimpl
def casedesk_case_event(tenant: TenantContext, event: CaseEventView) -> None:
    # Closing needs seal, leader signature and the petitioner's signed opinion (seed 004 L63, L93),
    # except for a matter answered on the spot at the window.
    if event.action == "close" and not event.data.get("on_the_spot"):
        require_checklist(
            event,
            tenant.config.closure_checklist,
            Names(
                "办结材料不全:需责任单位盖章、责任领导签名、来访人签字意见",
                "Closure needs the unit's seal, the leader's signature and the petitioner's "
                "signed opinion (seed 004 L63, L93)",
            ),
        )


FLAG_LABELS = {
    "collective": Names("集体访", "Collective visits"),
    "repeat": Names("重复访", "Repeat visits"),
    "skip_level": Names("越级访", "Skip-level visits"),
}


@hookimpl
def casedesk_report_sections(period: ReportPeriod) -> list[dict[str, Any]]:
    """Monthly notice on collective and repeat visits by region (seed 004 L85) and the
    monthly statistics by subject (seed 004 L107)."""
    sections = [
        count_section(
            f"{flag}_by_territory",
            FLAG_LABELS[flag],
            [c for c in period.cases if flag in c.flags],
            {},
            lambda c: str(c.extra.get("territory") or "city"),
            source="seed 004 L85",
        )
        for flag in FLAG_LABELS
    ]
    labels = {c.code: c.names for c in iter_categories(CATEGORIES)}
    sections.append(
        count_section(
            "by_category",
            Names("按事由分类", "By subject"),
            period.cases,
            labels,
            lambda c: c.category.split(".")[0],
            source="seed 004 L107",
        )
    )
    return sections
