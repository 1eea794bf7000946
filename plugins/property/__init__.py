"""Property management complaints and repairs (seed 001 L64–L80 "C1", L834–L920 "C14";
seed 000 L347–L369).

Registered through the ``casedesk`` entry-point group as ``property``; uses only
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
    in_subtree,
    iter_categories,
    notices_from_rules,
    problem,
    require_checklist,
)
from plugins.property import rules
from plugins.property.config import PRESET_C1, PropertyConfig
from plugins.property.sector import CATEGORIES, CHANNELS, DEPARTMENTS, GROUNDS, INTAKE_FIELDS, ROLES

__all__ = ["KEY", "SECTOR"]

KEY = "property"

SECTOR = Sector(
    key=KEY,
    names=Names("物业管理", "Property management"),
    categories=CATEGORIES,
    intake_fields=INTAKE_FIELDS,
    grounds=GROUNDS,
    config_schema=PropertyConfig,
    departments=DEPARTMENTS,
    roles=ROLES,
    channels=CHANNELS,
    presets={
        "C1": Preset(
            names=Names("投诉处理制度1(十分钟到场,急修不过夜)", "Rule C1 (10 minutes, same day)"),
            overrides=PRESET_C1,
            source="seed 001 L76",
        )
    },
)


@hookimpl
def casedesk_sectors() -> Sector:
    return SECTOR


@hookimpl
def casedesk_validate_intake(draft: IntakeDraft) -> list[Problem]:
    """A repair is recorded with unit number, name, contact and the item (seed 001 L860); the
    unit number and the item are declared ``required_when`` repairs and checked by the host."""
    problems = []
    if in_subtree(draft.category, ["repair"]):
        person = draft.complainant
        if not draft.anonymous and (person is None or not person.contact.strip()):
            problems.append(
                problem(
                    "complainant.contact",
                    "required",
                    "报修须记录联系方式",
                    "A repair is recorded with a contact (seed 001 L860)",
                )
            )
    return problems


@hookimpl
def casedesk_acceptance(case: CaseView) -> AcceptanceDecision | None:
    # Repairs are never refused at the desk: a work order goes out at once (seed 001 L842, L862).
    if in_subtree(case.category, ["repair"]):
        return AcceptanceDecision(decision="accept", reason="受理报修不得推委,立即派工 (seed 001 L842, L862)")
    return None


@hookimpl
def casedesk_route(tenant: TenantContext, case: CaseView) -> Route:
    return rules.route(tenant.config, case)


@hookimpl
def casedesk_clocks(tenant: TenantContext, case: CaseView) -> list[ClockRule]:
    return applicable(rules.clocks(tenant.config), case)


@hookimpl
def casedesk_escalations(tenant: TenantContext) -> list[Any]:
    return rules.escalations(tenant.config)


@hookimpl
def casedesk_notices(case: CaseView, event: CaseEventView) -> list[NoticeRequest]:
    return notices_from_rules(rules.NOTICE_RULES, case, event)


@hookimpl
def casedesk_case_event(tenant: TenantContext, case: CaseView, event: CaseEventView) -> None:
    if event.action != "close":
        return
    if tenant.config.close_requires_satisfaction and not event.data.get("follow_up_timeout"):
        # Handled until the owner is satisfied (seed 000 L369); follow-up rate 100% (seed 001 L80).
        require_checklist(
            event,
            ["followed_up", "satisfied"],
            Names("须回访且业主满意后结案", "Close after a follow-up with a satisfied owner (seed 000 L369)"),
        )
    if in_subtree(case.category, ["repair.own_unit"]):
        require_checklist(
            event,
            ["owner_signed_work_order"],
            Names("有偿维修须业主在派工单上签字", "A paid repair needs the owner's signature (seed 001 L882)"),
        )


@hookimpl
def casedesk_report_sections(period: ReportPeriod) -> list[dict[str, Any]]:
    """Monthly summary of repairs and complaints for the company and developer (seed 001 L906)."""
    labels = {c.code: c.names for c in iter_categories(CATEGORIES)}
    return [
        count_section(
            "by_category",
            Names("报修投诉汇总", "Repairs and complaints"),
            period.cases,
            labels,
            lambda c: c.category,
            source="seed 001 L906",
        )
    ]
