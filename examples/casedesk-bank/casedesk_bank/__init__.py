"""Bank branch complaints — an example third-party casedesk plugin (seed 001 L960–L1024).

It uses nothing but :mod:`core.plugin_api`, and is found through its entry point::

    [project.entry-points.casedesk]
    bank = "casedesk_bank"
"""

from __future__ import annotations

from typing import Any

import msgspec

from casedesk_bank.config import BankConfig
from core.plugin_api import (
    AppliesTo,
    CaseEventView,
    CaseView,
    Category,
    ClockRule,
    DepartmentSeed,
    EscalationLadder,
    EscalationLevel,
    IntakeField,
    Names,
    NoticeRequest,
    NoticeRule,
    RoleSeed,
    Route,
    Sector,
    TenantContext,
    TransitionVetoed,
    applicable,
    clock,
    hookimpl,
    notices_from_rules,
    notify_department_head,
    notify_role,
    raise_priority,
    trigger,
)

__all__ = ["KEY", "SECTOR"]

KEY = "bank"
L1016 = "seed 001 L1016"


def _cat(code: str, zh: str, en: str, *children: Category, severity: str = "normal") -> Category:
    return Category(code=code, names=Names(zh, en), children=list(children), source=L1016, default_severity=severity)  # type: ignore[arg-type]


CATEGORIES = [
    _cat(
        "general",
        "一般投诉",
        "General complaint",
        _cat("general.work_error", "工作失误", "Work error"),
        _cat("general.attitude", "服务态度", "Service attitude"),
        _cat("general.internal", "内部管理", "Internal management"),
    ),
    _cat(
        "complex",
        "复杂投诉",
        "Complex complaint",
        _cat("complex.product", "服务产品", "Service products"),
        _cat("complex.channel", "服务渠道", "Service channels"),
        _cat("complex.violation", "违规操作", "Rule violations"),
        severity="high",
    ),
    _cat("media", "重大投诉(新闻媒体)", "Major complaint (media)", severity="critical"),
]

SECTOR = Sector(
    key=KEY,
    names=Names("银行网点", "Bank branch"),
    categories=CATEGORIES,
    intake_fields=[
        IntakeField(
            name="respondent_staff", names=Names("被投诉人员", "Staff member complained about"), source="seed 001 L1014"
        ),
        IntakeField(
            name="respondent_department",
            names=Names("被投诉部门", "Department complained about"),
            source="seed 001 L1010, L1014",
        ),
        IntakeField(name="media", names=Names("涉及新闻媒体", "Media involved"), type="bool", source=L1016),
    ],
    config_schema=BankConfig,
    departments=[
        DepartmentSeed(
            code="operations",
            names=Names("运营部(运营经理)", "Operations (operations manager)"),
            source="seed 001 L1006, L1010",
        ),
        DepartmentSeed(
            code="business_management", names=Names("业务管理部门", "Business management"), source="seed 001 L1000"
        ),
        DepartmentSeed(code="outlet", names=Names("营业网点", "Branch outlet"), source="seed 001 L1002"),
    ],
    roles=[
        RoleSeed(code="branch_leader", names=Names("支行领导", "Branch leader"), source="seed 001 L1010, L1014"),
        RoleSeed(code="operations_manager", names=Names("运营经理", "Operations manager"), source="seed 001 L1010"),
    ],
    channels=["visit", "letter", "phone", "transfer-in"],
)

COMPLEX = AppliesTo(categories=["complex", "media"])
MEDIA = AppliesTo(extra={"media": [True]})


@hookimpl
def casedesk_sectors() -> Sector:
    return SECTOR


@hookimpl
def casedesk_route(case: CaseView) -> Route:
    """The department complained about handles it, through its head (seed 001 L1010, L1014)."""
    department = str(case.extra.get("respondent_department") or "")
    if department:
        return Route(lead=department, reason="被投诉部门处理 (seed 001 L1010, L1014)")
    return Route(lead="operations", reason="运营经理受理 (seed 001 L1010)")


def clocks(config: BankConfig) -> list[ClockRule]:
    names = Names("回复客户(含回复转来部门)", "Answer the customer (and the forwarding body)")
    major = clock(
        "reply",
        names,
        config.complex_working_days,
        "working_days",
        "received",
        "replied",
        "seed 001 L1016 (3–5 WD, upper bound [CFG])",
    )
    return [
        msgspec.structs.replace(major, applies_to=COMPLEX),
        msgspec.structs.replace(major, applies_to=MEDIA),
        clock("reply", names, config.general_working_days, "working_days", "received", "replied", L1016),
    ]


@hookimpl
def casedesk_clocks(tenant: TenantContext, case: CaseView) -> list[ClockRule]:
    return applicable(clocks(tenant.config), case)


def escalations(config: BankConfig) -> list[Any]:
    leaders = notify_role(config.leaders_role)
    return [
        trigger(
            "media", Names("新闻媒体介入", "Media involved"), "flag", [leaders, raise_priority], L1016, flag="media"
        ),
        trigger(
            "important",
            Names("重要投诉", "Important complaint"),
            "severity",
            [leaders],
            "seed 001 L1014",
            severities=["high", "critical"],
        ),
        EscalationLadder(
            clock_key="reply",
            source="seed 001 L1014",
            levels=[
                EscalationLevel(relative="at_due", actions=[notify_role("operations_manager"), notify_department_head]),
            ],
        ),
    ]


@hookimpl
def casedesk_escalations(tenant: TenantContext) -> list[Any]:
    return escalations(tenant.config)


NOTICE_RULES = [
    NoticeRule(event="reply", recipient="complainant", template="bank/reply", source=L1016),
    NoticeRule(
        event="reply",
        recipient="forwarding_body",
        template="bank/reply_to_forwarder",
        written="always",
        skip_anonymous=False,
        applies_to=AppliesTo(channels=["transfer-in"]),
        source="seed 001 L1010, L1016",
    ),
]


@hookimpl
def casedesk_notices(case: CaseView, event: CaseEventView) -> list[NoticeRequest]:
    return notices_from_rules(NOTICE_RULES, case, event)


HANDLING = ("assign", "start", "reply")


@hookimpl
def casedesk_case_event(case: CaseView, event: CaseEventView) -> None:
    """The handler is the department's head, never the person complained about (seed 001 L1014):
    nobody named as the respondent may be assigned, start work on or answer the complaint."""
    if event.action not in HANDLING:
        return
    respondent = str(case.extra.get("respondent_staff") or "").strip()
    handlers = {str(event.data.get(k) or "") for k in ("assignee", "handler")}
    if event.action != "assign":
        handlers.add(event.actor or "")
    if respondent and respondent in handlers:
        raise TransitionVetoed(
            Names(
                "不得由被投诉的当事人处理投诉",
                "The person complained about cannot handle the complaint (seed 001 L1014)",
            ),
            missing=["handler"],
        )
