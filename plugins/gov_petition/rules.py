"""Petition clocks, escalations and notices, declared as data with amounts from the config."""

from __future__ import annotations

from core.plugin_api import (
    AppliesTo,
    CaseEventView,
    CaseView,
    ClockRule,
    Duration,
    EscalationLadder,
    EscalationLevel,
    EscalationTrigger,
    Names,
    NoticeRequest,
    NoticeRule,
    mark_supervised,
    notices_from_rules,
    notify_department_head,
    notify_role,
    raise_priority,
    set_flag,
    trigger,
)
from plugins.gov_petition.config import GovPetitionConfig
from plugins.gov_petition.dispatch import dispatch
from plugins.gov_petition.sector import SPECIAL_PERSONS

__all__ = ["clocks", "escalations", "notices"]

EXT = "[EXT] 《信访条例》 (2005)"


def clocks(config: GovPetitionConfig) -> list[ClockRule]:
    d = config.deadlines
    rules = [
        ClockRule(
            key="transfer_objection",
            names=Names("转送交办异议期", "Objection window for a transfer"),
            amount=d.objection_working_days,
            unit="working_days",
            start_event="signed_for",
            source="seed 004 L67",
        ),
        ClockRule(
            key="major_urgent_proposal",
            names=Names("重大紧急事项当日提出建议", "Same-day proposal on a major or urgent matter"),
            amount=0,
            unit="same_day",
            start_event="received",
            stop_event="assigned",
            applies_to=AppliesTo(severities=["high", "critical"]),
            source="seed 004 L53",
        ),
    ]
    if d.leader_reading_working_days is not None:
        rules.append(
            ClockRule(
                key="leader_reading",
                names=Names("主要领导阅批", "Leader's reading and instruction"),
                amount=d.leader_reading_working_days,
                unit="working_days",
                start_event="received",
                stop_event="assigned",
                source="seed 002 L83",
            )
        )
    if d.statutory:
        rules += [
            ClockRule(
                key="acceptance",
                names=Names("告知是否受理", "Acceptance decision in writing"),
                amount=d.acceptance_days,
                unit="calendar_days",
                start_event="received",
                stop_event="accepted",
                roll_forward=True,
                statutory=True,
                source=f"{EXT} Art. 21–22",
            ),
            ClockRule(
                key="handling",
                names=Names("办理期限", "Handling period"),
                amount=d.handling_days,
                unit="calendar_days",
                start_event="accepted",
                stop_event="replied",
                roll_forward=True,
                extension_cap=Duration(d.extension_days, "calendar_days"),
                statutory=True,
                warn_before=Duration(5, "calendar_days"),
                source=f"{EXT} Art. 33",
            ),
            ClockRule(
                key="review_request_window",
                names=Names("复查、复核请求期限", "Window to request a review"),
                amount=d.review_request_days,
                unit="calendar_days",
                start_event="opinion_received",
                stop_event="review_requested",
                roll_forward=True,
                statutory=True,
                source=f"{EXT} Art. 34–35; seed 004 L15",
            ),
            ClockRule(
                key="review_opinion",
                names=Names("复查、复核意见", "Review opinion"),
                amount=d.review_opinion_days,
                unit="calendar_days",
                start_event="review_requested",
                stop_event="replied",
                roll_forward=True,
                statutory=True,
                source=f"{EXT} Art. 34–35",
            ),
        ]
    return rules


SPECIAL_ACTIONS = {
    "foreigner": [notify_role("bureau_leader")],
    "hk_macau_taiwan": [notify_role("bureau_leader")],
    "overseas_chinese": [notify_role("bureau_leader")],
    "art20_breach": [notify_role("police")],  # after dissuasion, criticism and education failed
    "mentally_ill": [notify_role("guardian")],
    "infectious_disease": [notify_role("health_bureau")],
    "medical_emergency": [notify_role("duty_leader"), notify_role("emergency_120")],
    "disruption_after_decision": [notify_role("duty_leader"), notify_role("police"), notify_role("bureau_head")],
}


def escalations(config: GovPetitionConfig) -> list[EscalationLadder | EscalationTrigger]:
    out: list[EscalationLadder | EscalationTrigger] = [
        trigger(
            "collective",
            Names("集体访", "Collective visit"),
            "group_size",
            [set_flag("collective"), set_flag("interview_required"), notify_role("duty_leader")],
            "seed 004 L37 (1); seed 002 L41; threshold [CFG]",
            threshold=config.collective_threshold,
        ),
        trigger(
            "large_scale",
            Names("大规模集体访:联合接待", "Large collective visit: joint reception"),
            "group_size",
            [notify_role("bureau_leader"), notify_department_head, raise_priority],
            "seed 004 L49; threshold [CFG]",
            threshold=config.large_scale_threshold,
        ),
        trigger(
            "first_visit",
            Names("初访应予接谈", "First visit: interview"),
            "flag",
            [set_flag("interview_required")],
            "seed 004 L37 (2)",
            flag="first_visit",
        ),
        trigger(
            "repeat",
            Names("重复访", "Repeat visit"),
            "repeat",
            [set_flag("repeat"), set_flag("interview_required")],
            "seed 004 L27, L37 (3)",
            threshold=2,
        ),
        trigger(
            "skip_level",
            Names("越级访", "Skip-level visit"),
            "flag",
            [set_flag("skip_level"), notify_role("duty_leader"), notify_role("home_county_duty_office")],
            "seed 004 L41, L125; seed 002 L41",
            flag="skip_level",
        ),
        trigger(
            "major_urgent",
            Names("重大、紧急事项", "Major or urgent matter"),
            "severity",
            [notify_role("bureau_leader"), raise_priority],
            "seed 004 L53",
            severities=["high", "critical"],
        ),
        trigger(
            "threat",
            Names("扬言滋事", "Threats in a letter"),
            "keyword",
            [notify_department_head, raise_priority],
            "seed 004 L97",
            keywords=["扬言", "揚言", "滋事"],
        ),
        EscalationLadder(
            clock_key="handling",
            source="seed 004 L73, L75 (1)",
            levels=[
                EscalationLevel(
                    relative="before_due",
                    offset_amount=5,
                    offset_unit="calendar_days",
                    actions=[notify_department_head],
                ),
                EscalationLevel(relative="at_due", actions=[mark_supervised, notify_role("supervision_office")]),
            ],
        ),
    ]
    for code, actions in SPECIAL_ACTIONS.items():
        names, source = SPECIAL_PERSONS[code]
        out.append(
            EscalationTrigger(
                key=f"special_{code}",
                names=names,
                kind="special_person",
                special=[code],
                actions=actions,
                source=source,
            )
        )
    return out


NOTICE_RULES = [
    NoticeRule(
        event="transfer",
        recipient="complainant",
        template="gov_petition/transfer_notice_visitor",
        written="always",
        source="seed 004 L57–L59 (附件3/4 告知书)",
    ),
    NoticeRule(
        event="transfer",
        recipient="department:{lead}",
        template="gov_petition/transfer_notice_receiver",
        written="always",
        source="seed 004 L57–L59 (通知书)",
    ),
    NoticeRule(
        event="assign",
        recipient="department:{lead}",
        template="gov_petition/assignment_order",
        written="always",
        source="seed 004 L61 (交办, 附件5 办结报告)",
    ),
    NoticeRule(
        event="reply",
        recipient="complainant",
        template="gov_petition/result",
        written="always",
        source="seed 000 L312; seed 003 L363; none for anonymous letters seed 002 L77",
    ),
]


def notices(config: GovPetitionConfig, case: CaseView, event: CaseEventView) -> list[NoticeRequest]:
    out = notices_from_rules(NOTICE_RULES, case, event)
    if event.action == "transfer":
        out += [
            NoticeRequest(
                event="transfer", recipient=f"department:{code}", template="gov_petition/transfer_copy", written=True
            )
            for code in dispatch(case, config).cc
        ]
    if event.action == "not_accept" and not case.anonymous:
        ground = str(event.data.get("ground") or "")
        template = "no_longer_accepted" if ground.startswith("NA") else "not_accepted"  # 附件2 / 附件1
        # One written notice per person and matter; afterwards oral (seed 004 L33).
        written = not event.data.get("prior_written_notice")
        out.append(
            NoticeRequest(
                event="not_accept", recipient="complainant", template=f"gov_petition/{template}", written=written
            )
        )
    return out
