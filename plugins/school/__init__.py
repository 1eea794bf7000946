"""Schools and kindergartens (seed 003 L2–L25, L43–L58, L147–L164; seed 001 L110–L158).

Registered through the ``casedesk`` entry-point group as ``school``; uses only
:mod:`core.plugin_api`. The seeds set no time limits for schools: the clocks are configurable
defaults marked ``default [CFG]: seeds silent``.
"""

from __future__ import annotations

from typing import Any

from core.plugin_api import (
    AppliesTo,
    CaseEventView,
    CaseView,
    ClockRule,
    EscalationTrigger,
    IntakeDraft,
    Names,
    NoticeRequest,
    NoticeRule,
    Problem,
    ReportPeriod,
    Route,
    Sector,
    TenantContext,
    applicable,
    clock,
    count_section,
    hookimpl,
    in_subtree,
    lookup_by_category,
    mark_supervised,
    notices_from_rules,
    notify_department_head,
    notify_role,
    notify_supervisor_body,
    problem,
    raise_priority,
    require_checklist,
    trigger,
)
from plugins.school.config import SchoolConfig
from plugins.school.sector import CATEGORIES, CFG, CHANNELS, DEPARTMENTS, INTAKE_FIELDS, KINDERGARTEN, ROLES

__all__ = ["KEY", "SECTOR"]

KEY = "school"
URGENT = ["safety", "food_safety"]

SECTOR = Sector(
    key=KEY,
    names=Names("学校与幼儿园", "Schools and kindergartens"),
    categories=CATEGORIES,
    intake_fields=INTAKE_FIELDS,
    config_schema=SchoolConfig,
    departments=DEPARTMENTS,
    roles=ROLES,
    channels=CHANNELS,
)


@hookimpl
def casedesk_sectors() -> Sector:
    return SECTOR


@hookimpl
def casedesk_validate_intake(tenant: TenantContext, draft: IntakeDraft) -> list[Problem]:
    """Record the complainant's name, the child's name, the content and the time (seed 003 L153)."""
    problems = []
    kindergarten = in_subtree(draft.category, KINDERGARTEN)  # those are checked by the host (required_when)
    if (
        tenant.config.child_name_everywhere
        and not kindergarten
        and not str(draft.extra.get("child_name") or "").strip()
    ):
        problems.append(
            problem("extra.child_name", "required", "请填写幼儿姓名", "Give the child's name (seed 003 L153)")
        )
    person = draft.complainant
    if not draft.anonymous and (person is None or not person.name.strip()):
        problems.append(
            problem("complainant.name", "required", "请填写投诉人姓名", "Give the complainant's name (seed 003 L153)")
        )
    return problems


@hookimpl
def casedesk_route(tenant: TenantContext, case: CaseView) -> Route:
    config: SchoolConfig = tenant.config
    entry = lookup_by_category(config.routing, case.category)
    if entry is None:
        return Route(lead=config.default_lead, reason="designated complaints office (seed 003 L51, L151)")
    return Route(
        lead=entry.lead,
        cooperating=[c for c in entry.cooperating if c != entry.lead],
        reason=f"{case.category} ({entry.source})",
    )


def clocks(config: SchoolConfig) -> list[ClockRule]:
    d = config.deadlines
    return [
        clock(
            "safety_response",
            Names("安全问题立即调查", "Safety: investigate at once"),
            d.safety_response_minutes,
            "minutes",
            "received",
            "assigned",
            "seed 001 L158; amount default [CFG]",
            applies_to=AppliesTo(categories=URGENT),
        ),
        clock(
            "acknowledge",
            Names("受理", "Acknowledge"),
            d.acknowledge_working_days,
            "working_days",
            "received",
            "accepted",
            CFG,
        ),
        clock(
            "reply",
            Names("反馈处理结果", "Feed back the result"),
            d.reply_working_days,
            "working_days",
            "accepted",
            "replied",
            CFG,
        ),
    ]


@hookimpl
def casedesk_clocks(tenant: TenantContext, case: CaseView) -> list[ClockRule]:
    return applicable(clocks(tenant.config), case)


def escalations(config: SchoolConfig) -> list[EscalationTrigger]:
    return [
        trigger(
            "safety",
            Names("安全、食品安全问题", "Safety or food safety"),
            "category",
            [notify_role("principal"), raise_priority],
            "seed 001 L158; seed 003 L148",
            categories=URGENT,
        ),
        trigger(
            "food_major_poisoned",
            Names("重大食品安全事故(中毒人数)", "Major food incident (poisonings)"),
            "amount",
            [notify_supervisor_body, notify_role("education_authority"), mark_supervised],
            "seed 001 L132, L154",
            field="poisoned_count",
            threshold=config.food_major_poisoned,
            categories=["food_safety"],
        ),
        trigger(
            "food_major_deaths",
            Names("重大食品安全事故(死亡)", "Major food incident (deaths)"),
            "amount",
            [notify_supervisor_body, notify_role("education_authority"), mark_supervised],
            "seed 001 L132, L154",
            field="deaths",
            threshold=config.food_major_deaths,
            categories=["food_safety"],
        ),
        trigger(
            "serious",
            Names("严重问题", "Serious matter"),
            "severity",
            [notify_department_head],
            "seed 003 L157 (severity assessed by the investigation group)",
            severities=["high", "critical"],
        ),
    ]


@hookimpl
def casedesk_escalations(tenant: TenantContext) -> list[Any]:
    return escalations(tenant.config)


NOTICE_RULES = [
    NoticeRule(event="accept", recipient="complainant", template="school/accepted", source="seed 003 L14, L48"),
    NoticeRule(
        event="reply",
        recipient="complainant",
        template="school/feedback",
        source="seed 003 L22 (situation, result, measures); seed 003 L161, L163",
    ),
]


@hookimpl
def casedesk_notices(case: CaseView, event: CaseEventView) -> list[NoticeRequest]:
    return notices_from_rules(NOTICE_RULES, case, event)


@hookimpl
def casedesk_case_event(event: CaseEventView) -> None:
    # Feedback tells the complainant the situation, the result and the measures (seed 003 L22).
    if event.action == "reply" and not event.data.get("on_the_spot"):
        require_checklist(
            event,
            ["result", "measures"],
            Names("反馈须说明处理结果和相关措施", "Feedback states the result and the measures (seed 003 L22)"),
        )


@hookimpl
def casedesk_report_sections(period: ReportPeriod) -> list[dict[str, Any]]:
    """Complaint statistics and analysis (seed 003 L58), the basis of public reports (seed 003 L25)."""
    labels = {c.code: c.names for c in CATEGORIES}
    return [
        count_section(
            "by_category",
            Names("按类别统计", "By category"),
            period.cases,
            labels,
            lambda c: c.category.split(".")[0],
            source="seed 003 L58",
        )
    ]
