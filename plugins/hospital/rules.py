"""Hospital clocks, escalations and notices (spec §3.2 deadline table), amounts from config."""

from __future__ import annotations

from typing import Any

from core.plugin_api import (
    AppliesTo,
    ClockRule,
    Duration,
    EscalationLadder,
    EscalationLevel,
    EscalationTrigger,
    Names,
    NoticeRule,
    clock,
    notify_department_head,
    notify_role,
    raise_priority,
    reassign_upward,
    trigger,
)
from plugins.hospital.config import HospitalConfig

__all__ = ["NOTICE_RULES", "clocks", "escalations"]

DISPUTES = ["medical", "nursing"]
SERIOUS: list[Any] = ["high", "critical"]
WRITTEN = ["letter", "email", "web", "transfer-in"]


def clocks(config: HospitalConfig) -> list[ClockRule]:
    """All hospital clocks; special cases first, so :func:`applicable` keeps the right one per key."""
    d = config.deadlines
    rules = [
        clock(
            "acceptance",
            Names("是否受理的决定并通知", "Acceptance decision and notice"),
            d.acceptance_days,
            "calendar_days",
            "received",
            "accepted",
            "seed 001 L430, L432",
            on_resume=d.pause_mode,
        ),
        clock(
            "reply",
            Names("书面答复", "Written reply"),
            d.reply_days,
            "calendar_days",
            "accepted",
            "replied",
            "seed 001 L442",
            extension_cap=Duration(d.reply_complex_max_days - d.reply_days, "calendar_days")
            if d.reply_complex_max_days > d.reply_days
            else None,
        ),
        clock(
            "major_report",
            Names("重大纠纷报卫生行政主管部门", "Report a major dispute to the health authority"),
            d.major_report_hours,
            "hours",
            "classified_major",
            "reported",
            "seed 001 L370",
            applies_to=AppliesTo(categories=DISPUTES, severities=["critical"]),
        ),
    ]
    if d.outpatient_complex_days is not None:
        rules.append(
            clock(
                "outpatient_reply",
                Names("门诊投诉答复(复杂问题)", "Outpatient reply (complex)"),
                d.outpatient_complex_days,
                "calendar_days",
                "received",
                "replied",
                "seed 001 L538",
                applies_to=AppliesTo(categories=["service", "medical.outpatient"], severities=SERIOUS),
            )
        )
    if d.outpatient_reply_days is not None:
        rules.append(
            clock(
                "outpatient_reply",
                Names("门诊投诉答复", "Outpatient reply"),
                d.outpatient_reply_days,
                "calendar_days",
                "received",
                "replied",
                "seed 001 L538",
                applies_to=AppliesTo(categories=["service", "medical.outpatient"]),
            )
        )
    warn = Duration(d.conduct_warn_working_hours, "working_hours") if d.conduct_warn_working_hours else None
    if d.conduct_complex_working_days is not None:
        for applies in (
            AppliesTo(categories=["conduct"], severities=SERIOUS),
            AppliesTo(categories=["conduct"], min_departments=2),
        ):
            rules.append(
                clock(
                    "conduct_reply",
                    Names("行风办答复(复杂或涉及两个以上科室)", "Conduct office reply (complex or ≥2 departments)"),
                    d.conduct_complex_working_days,
                    "working_days",
                    "received",
                    "replied",
                    "seed 001 L950",
                    applies_to=applies,
                    warn_before=warn,
                )
            )
    if d.conduct_written_working_days is not None:
        rules.append(
            clock(
                "conduct_reply",
                Names("行风办书面投诉答复", "Conduct office reply to a written complaint"),
                d.conduct_written_working_days,
                "working_days",
                "received",
                "replied",
                "seed 001 L950",
                applies_to=AppliesTo(categories=["conduct"], channels=WRITTEN),
                warn_before=warn,
            )
        )
    if d.dispute_major_days is not None:
        rules.append(
            clock(
                "dispute_first_answer",
                Names("重大争议初步答复", "First answer to a major dispute"),
                d.dispute_major_days,
                "calendar_days",
                "received",
                "replied",
                "seed 001 L362",
                applies_to=AppliesTo(categories=DISPUTES, severities=["critical"]),
            )
        )
    if d.dispute_initial_days is not None:
        rules.append(
            clock(
                "dispute_first_answer",
                Names("一般争议初步答复", "First answer to a dispute"),
                d.dispute_initial_days,
                "calendar_days",
                "received",
                "replied",
                "seed 001 L360",
                applies_to=AppliesTo(categories=DISPUTES),
            )
        )
    if d.statutory_2019:
        ext = "[EXT] 《医疗机构投诉管理办法》 (2019), verify"
        names = Names("投诉处理反馈(法定)", "Complaint feedback (statutory)")
        rules += [
            clock(
                "statutory_reply",
                names,
                d.statutory_multi_department_working_days,
                "working_days",
                "received",
                "replied",
                ext,
                statutory=True,
                applies_to=AppliesTo(min_departments=2),
            ),
            clock(
                "statutory_reply",
                names,
                d.statutory_complex_working_days,
                "working_days",
                "received",
                "replied",
                ext,
                statutory=True,
                applies_to=AppliesTo(severities=SERIOUS),
            ),
        ]
    return rules


def escalations(config: HospitalConfig) -> list[EscalationLadder | EscalationTrigger]:
    return [
        trigger(
            "major_dispute",
            Names("重大医疗纠纷", "Major dispute"),
            "severity",
            [notify_role("medical_affairs_head"), notify_role("duty_leader"), raise_priority],
            "seed 001 L326, L370, L384",
            severities=["critical"],
            categories=DISPUTES,
        ),
        EscalationLadder(
            clock_key="major_report",
            source="default [CFG]: spec S5 level 2",
            levels=[
                EscalationLevel(relative="at_due", actions=[notify_role("president")]),
            ],
        ),
        trigger(
            "receptions",
            Names("接待三次仍未解决:送交医务科", "Unresolved after repeated receptions: to 医务科"),
            "repeat",
            [reassign_upward, notify_role("medical_affairs_head")],
            "seed 001 L366",
            threshold=config.receptions_before_medical_affairs,
            categories=DISPUTES,
        ),
        trigger(
            "important",
            Names("重要投诉报院领导", "Important complaint: hospital leaders"),
            "severity",
            [notify_role("hospital_leader")],
            "seed 000 L83",
            severities=SERIOUS,
        ),
        trigger(
            "nursing_serious",
            Names("严重护理投诉:护理部主任", "Serious nursing complaint: director of nursing"),
            "severity",
            [notify_role("nursing_director")],
            "seed 001 L546, L560",
            severities=SERIOUS,
            categories=["nursing"],
        ),
        trigger(
            "complex_review",
            Names("疑难复杂:集体会审并征询法律顾问", "Complex: joint review with the legal adviser"),
            "severity",
            [notify_role("legal_adviser")],
            "seed 001 L440",
            severities=["high"],
        ),
        trigger(
            "multi_department",
            Names("涉及多个部门:医务科牵头", "Several departments: 医务科 leads"),
            "departments",
            [notify_department_head],
            "seed 001 L44, L434",
            threshold=2,
        ),
        trigger(
            "vexatious",
            Names("无理取闹:告知公安部门", "Vexatious complainant: police"),
            "special_person",
            [notify_role("police")],
            "seed 001 L446",
            special=["vexatious"],
        ),
        EscalationLadder(
            clock_key="reply",
            source="default [CFG]: seeds give no ladder for the reply",
            levels=[
                EscalationLevel(
                    relative="before_due",
                    offset_amount=5,
                    offset_unit="calendar_days",
                    actions=[notify_department_head],
                ),
                EscalationLevel(relative="at_due", actions=[notify_role("hospital_leader")]),
            ],
        ),
    ]


NON_CONDUCT = [
    "medical",
    "nursing",
    "service",
    "price",
    "privacy",
    "staff",
    "admin",
    "security",
    "logistics",
    "equipment_management",
    "infection",
    "drugs",
]
MILESTONES = ["accept", "not_accept", "transfer", "assign", "reply", "close", "reopen"]

NOTICE_RULES = [
    NoticeRule(event="accept", recipient="complainant", template="hospital/accepted", source="seed 001 L430"),
    NoticeRule(
        event="not_accept",
        recipient="complainant",
        template="hospital/not_accepted",
        source="seed 001 L430; seed 000 L156",
    ),
    NoticeRule(
        event="reply",
        recipient="complainant",
        template="hospital/written_reply",
        written="always",
        applies_to=AppliesTo(categories=NON_CONDUCT),
        source="seed 001 L442",
    ),
    NoticeRule(
        event="reply",
        recipient="complainant",
        template="hospital/conduct_reply",
        written="as_intake",
        applies_to=AppliesTo(categories=["conduct"]),
        source="seed 001 L952",
    ),
    NoticeRule(
        event="extend",
        recipient="complainant",
        template="hospital/extension_reason",
        written="always",
        source="seed 001 L442",
    ),
    NoticeRule(
        event="close",
        recipient="role:conduct_office",
        template="hospital/closed_summary",
        written="never",
        source="seed 000 L85",
    ),
]

FIRST_CONTACT_RULES = [
    NoticeRule(
        event=event,
        recipient="role:first_responsible",
        template="hospital/milestone",
        written="never",
        skip_anonymous=False,
        source="seed 000 L77–L79",
    )
    for event in MILESTONES
]
