"""Property clocks, escalations and notices (spec §3.3 deadline table, scenarios S1 and S18)."""

from __future__ import annotations

from typing import Any

from core.plugin_api import (
    AppliesTo,
    CaseView,
    ClockRule,
    EscalationLadder,
    EscalationLevel,
    EscalationTrigger,
    Names,
    NoticeRule,
    Route,
    clock,
    lookup_by_category,
    mark_supervised,
    notify_role,
    set_flag,
    trigger,
)
from plugins.property.config import PropertyConfig

__all__ = ["NOTICE_RULES", "clocks", "escalations", "route"]

REPAIR = ["repair"]
COMPLAINTS = ["dispute", "service"]
MINOR = AppliesTo(categories=REPAIR, extra={"repair_size": ["minor", None]})  # unsized repairs count as minor


def clocks(config: PropertyConfig) -> list[ClockRule]:
    d = config.deadlines
    rules = [
        clock(
            "notify_maintenance",
            Names("通知工程维修组", "Notify the maintenance team"),
            d.notify_minutes,
            "minutes",
            "accepted",
            "work_order_issued",
            "seed 001 L862, L864",
            applies_to=AppliesTo(categories=REPAIR),
        ),
        clock(
            "arrival",
            Names("到达现场", "On site"),
            d.arrival_minutes,
            "minutes",
            "work_order_issued",
            "arrived",
            "seed 001 L876 (C1: seed 001 L76)",
            applies_to=AppliesTo(categories=REPAIR),
        ),
    ]
    if d.minor_repair_mode == "hours":
        rules += [
            clock(
                "repair_target",
                Names("零修急修力争完成", "Minor repair target"),
                d.minor_target_hours,
                "hours",
                "accepted",
                "process_ended",
                "seed 001 L878",
                kind="target",
                applies_to=MINOR,
            ),
            clock(
                "repair_completion",
                Names("零修急修完成时限", "Minor repair limit"),
                d.minor_limit_hours,
                "hours",
                "accepted",
                "process_ended",
                "seed 001 L878",
                applies_to=MINOR,
            ),
        ]
    else:
        rules.append(
            clock(
                "repair_completion",
                Names("急修不过夜", "Urgent repair done the same day"),
                0,
                "same_day",
                "accepted",
                "process_ended",
                "seed 001 L76",
                applies_to=MINOR,
            )
        )
    rules += [
        clock(
            "repair_completion",
            Names("一般维修完成", "General repair"),
            d.general_repair_hours,
            "hours",
            "accepted",
            "process_ended",
            "seed 001 L878",
            applies_to=AppliesTo(categories=REPAIR, extra={"repair_size": ["general"]}),
        ),
        clock(
            "repair_eta",
            Names("说明情况并告知完成时间", "Explain and give an ETA"),
            d.large_repair_eta_hours,
            "hours",
            "accepted",
            "replied",
            "seed 001 L878",
            applies_to=AppliesTo(categories=REPAIR, extra={"repair_size": ["large"]}),
        ),
        clock(
            "repair_plan",
            Names("超过三天须报维修计划", "Plan for a repair over three days"),
            d.plan_after_days,
            "calendar_days",
            "work_order_issued",
            "process_ended",
            "seed 001 L908",
            applies_to=AppliesTo(categories=REPAIR),
        ),
        clock(
            "work_order_back",
            Names("交回维修派工单", "Return the work order"),
            d.work_order_back_hours,
            "hours",
            "process_ended",
            "work_order_returned",
            "seed 001 L900",
            applies_to=AppliesTo(categories=REPAIR),
        ),
        clock(
            "follow_up",
            Names("回访", "Follow-up"),
            d.follow_up_hours,
            "hours",
            "work_order_returned",
            "followed_up",
            "seed 001 L900",
            applies_to=AppliesTo(categories=REPAIR),
        ),
        clock(
            "quality_review",
            Names("维修质量审核并提出建议", "Quality review and proposal"),
            d.quality_review_days,
            "calendar_days",
            "assigned",
            "replied",
            "seed 001 L920",
            applies_to=AppliesTo(categories=["dispute.quality"]),
        ),
        clock(
            "complaint_reply",
            Names("约定时间回复(最长三个工作日)", "Reply at the agreed time (≤3 WD)"),
            d.other_reply_working_days,
            "working_days",
            "assigned",
            "replied",
            "seed 001 L76",
            applies_to=AppliesTo(categories=COMPLAINTS),
        ),
    ]
    if d.verify_same_day:
        rules.append(
            clock(
                "verify",
                Names("当天调查核实", "Verify the same day"),
                0,
                "same_day",
                "received",
                "accepted",
                "seed 000 L350",
                applies_to=AppliesTo(categories=COMPLAINTS),
            )
        )
    return rules


def escalations(config: PropertyConfig) -> list[EscalationLadder | EscalationTrigger]:
    return [
        EscalationLadder(
            clock_key="arrival",
            source="seed 001 L854; spec S1 [CFG]",
            levels=[
                EscalationLevel(relative="at_due", actions=[notify_role(config.arrival_escalation_role)]),
                EscalationLevel(
                    relative="after_due",
                    offset_amount=15,
                    offset_unit="minutes",
                    actions=[notify_role("office_director")],
                ),
            ],
        ),
        EscalationLadder(
            clock_key="repair_completion",
            source="seed 001 L906 (company CS chases unfinished repairs)",
            levels=[EscalationLevel(relative="at_due", actions=[notify_role("company_cs_manager"), mark_supervised])],
        ),
        EscalationLadder(
            clock_key="repair_plan",
            source="seed 001 L908",
            levels=[
                EscalationLevel(
                    relative="at_due", actions=[notify_role("engineering_manager"), notify_role("office_director")]
                ),
            ],
        ),
        trigger(
            "major",
            Names("重大投诉", "Major complaint"),
            "severity",
            [notify_role("property_supervisor"), notify_role("manager")],
            "seed 001 L72; seed 000 L365–L366",
            severities=["critical"],
        ),
        trigger(
            "dispute",
            Names("维修责任、赔付或质量分歧:管理处主任到场", "Dispute: the office director attends"),
            "category",
            [notify_role("office_director")],
            "seed 001 L916",
            categories=["dispute"],
        ),
        trigger(
            "large_compensation",
            Names("赔付标的较大", "Large compensation claim"),
            "amount",
            [notify_role("company_cs_manager"), notify_role("general_manager")],
            "seed 001 L920; threshold [CFG]",
            field="compensation_amount",
            threshold=config.large_compensation_threshold,
        ),
        trigger(
            "widespread",
            Names("普遍性投诉", "Widespread complaint"),
            "flag",
            [set_flag("widespread")],
            "seed 001 L76",
            flag="widespread",
        ),
    ]


def route(config: PropertyConfig, case: CaseView) -> Route:
    routing = config.routing
    if case.category.startswith("repair") and case.extra.get("repair_size") == "large":
        return Route(lead=routing.large_repair_lead, cooperating=["maintenance"], reason="large repair (seed 001 L856)")
    entry = lookup_by_category(routing.by_category, case.category)
    if entry is None:
        return Route(lead="management_office", reason="no routing row: the director decides (seed 000 L350)")
    return Route(
        lead=entry.lead,
        cooperating=[c for c in entry.cooperating if c != entry.lead],
        reason=f"{case.category} ({entry.source})",
    )


def _n(event: str, template: str, source: str, recipient: str = "complainant", **kw: Any) -> NoticeRule:
    return NoticeRule(event=event, recipient=recipient, template=f"property/{template}", source=source, **kw)


NOTICE_RULES = [
    _n("accept", "follow_up_contact", "seed 001 L898 (谁受理,谁跟进,谁回访: name and phone at once)"),
    _n("accept", "fee_scale", "seed 001 L862", applies_to=AppliesTo(categories=["repair.own_unit"])),
    _n("accept", "thanks_eta", "seed 001 L864", applies_to=AppliesTo(categories=["repair.shared"])),
    _n("accept", "apology_eta", "seed 001 L868", applies_to=AppliesTo(categories=["repair.developer_defect"])),
    _n("reply", "result", "seed 000 L352"),
    _n("reply", "result_copy", "seed 000 L352", recipient="role:office_director", skip_anonymous=False),
    _n(
        "reply",
        "public_notice",
        "seed 001 L76",
        recipient="role:notice_board",
        skip_anonymous=False,
        applies_to=AppliesTo(flags=["widespread"]),
    ),
]
