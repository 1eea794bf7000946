"""Hospital complaints and medical disputes (seeds 000 L73–L85, L143–L164; 001 L28–L58,
L260–L474, L526–L574, L712–L730, L922–L958).

Registered through the ``casedesk`` entry-point group as ``hospital``; uses only
:mod:`core.plugin_api`.
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
    Preset,
    Problem,
    ReportPeriod,
    Route,
    Sector,
    TenantContext,
    applicable,
    count_section,
    hookimpl,
    iter_categories,
    notices_from_rules,
    require_checklist,
)
from plugins.hospital import intake, routing, rules
from plugins.hospital.config import HospitalConfig
from plugins.hospital.sector import C6_DEPARTMENTS, CATEGORIES, CHANNELS, DEPARTMENTS, GROUNDS, INTAKE_FIELDS, ROLES

__all__ = ["KEY", "SECTOR"]

KEY = "hospital"

SECTOR = Sector(
    key=KEY,
    names=Names("医院", "Hospital"),
    categories=CATEGORIES,
    intake_fields=INTAKE_FIELDS,
    grounds=GROUNDS,
    config_schema=HospitalConfig,
    departments=DEPARTMENTS,
    roles=ROLES,
    channels=CHANNELS,
    presets={
        "C6": Preset(
            names=Names("按职能处室受理(投诉处理制度6)", "Route to functional divisions (rule C6)"),
            overrides={"routing": {"table": "C6"}},
            departments=C6_DEPARTMENTS,
            source="seed 001 L386–L416",
        ),
    },
)


@hookimpl
def casedesk_sectors() -> Sector:
    return SECTOR


@hookimpl
def casedesk_validate_intake(draft: IntakeDraft) -> list[Problem]:
    return intake.validate(draft)


@hookimpl
def casedesk_acceptance(tenant: TenantContext, case: CaseView) -> AcceptanceDecision | None:
    return intake.acceptance(tenant.config, case)


@hookimpl
def casedesk_route(tenant: TenantContext, case: CaseView) -> Route:
    return routing.route(tenant.config, case)


@hookimpl
def casedesk_clocks(tenant: TenantContext, case: CaseView) -> list[ClockRule]:
    return applicable(rules.clocks(tenant.config), case)


@hookimpl
def casedesk_escalations(tenant: TenantContext) -> list[Any]:
    return rules.escalations(tenant.config)


@hookimpl
def casedesk_notices(tenant: TenantContext, case: CaseView, event: CaseEventView) -> list[NoticeRequest]:
    declared = rules.NOTICE_RULES + (rules.FIRST_CONTACT_RULES if tenant.config.first_contact_ownership else [])
    return notices_from_rules(declared, case, event)


@hookimpl
def casedesk_case_event(event: CaseEventView) -> None:
    # An oral complaint answered on the spot skips the procedure only if the complainant is
    # satisfied, and a record is still kept (seed 001 L430).
    if event.action == "reply" and event.data.get("on_the_spot"):
        require_checklist(
            event,
            ["satisfied", "record"],
            Names(
                "当场答复须投诉人满意并做好处理记录",
                "An on-the-spot answer needs a satisfied complainant and a record (seed 001 L430)",
            ),
        )


@hookimpl
def casedesk_report_sections(period: ReportPeriod) -> list[dict[str, Any]]:
    """Periodic analysis by category, and recurring problems (seed 000 L163–L164)."""
    labels = {c.code: c.names for c in iter_categories(CATEGORIES)}
    return [
        count_section(
            "by_category",
            Names("按类别", "By category"),
            period.cases,
            labels,
            lambda c: c.category,
            source="seed 000 L163",
        ),
        count_section(
            "recurring",
            Names("重复出现的投诉", "Recurring complaints"),
            [c for c in period.cases if c.receptions >= 2],
            labels,
            lambda c: c.category,
            source="seed 000 L164",
        ),
    ]
