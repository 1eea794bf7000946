"""The shared table-driven helpers of core.plugin_api."""

from __future__ import annotations

import pytest
from plugin_factories import make_case, make_event

from core.plugin_api import (
    AppliesTo,
    Choice,
    IntakeField,
    Names,
    NoticeRule,
    RouteEntry,
    applicable,
    applies,
    check_intake_fields,
    clock,
    in_subtree,
    lookup_by_category,
    notices_from_rules,
    notify_role,
    trigger,
    trigger_matches,
)

N = Names("名", "name")


def test_category_codes_match_their_subtree():
    assert in_subtree("medical.outpatient", ["medical"])
    assert not in_subtree("medicalx", ["medical"])


def test_routing_lookup_takes_the_longest_prefix():
    table = {"medical": RouteEntry(lead="a"), "medical.outpatient": RouteEntry(lead="b")}
    assert lookup_by_category(table, "medical.outpatient.night").lead == "b"
    assert lookup_by_category(table, "medical.clinical").lead == "a"
    assert lookup_by_category(table, "price") is None


def test_applies_to_combines_criteria():
    rule = AppliesTo(
        categories=["conduct"],
        severities=["high"],
        channels=["letter"],
        min_departments=2,
        extra={"size": ["minor", None]},
        flags=["media"],
    )
    case = make_case(
        "h",
        "conduct.x",
        severity="high",
        channel="letter",
        lead_department="a",
        cooperating_departments=["b"],
        flags=["media"],
    )
    assert applies(rule, case)
    assert not applies(rule, make_case("h", "conduct.x", severity="high", channel="letter"))
    assert applies(None, case)


def test_applicable_keeps_the_first_rule_of_each_key():
    special = clock("reply", N, 5, "working_days", "received", "replied", applies_to=AppliesTo(severities=["high"]))
    general = clock("reply", N, 2, "working_days", "received", "replied")
    assert applicable([special, general], make_case("h", "x", severity="high")) == [special]
    assert applicable([special, general], make_case("h", "x")) == [general]


@pytest.mark.parametrize(
    ("kind", "kw", "facts", "expected"),
    [
        ("severity", {"severities": ["critical"]}, {"severity": "critical"}, True),
        ("group_size", {"threshold": 5}, {"group_size": 4}, False),
        ("group_size", {"threshold": 5}, {"group_size": 5}, True),
        ("repeat", {"threshold": 3}, {"receptions": 3}, True),
        ("keyword", {"keywords": ["媒体"]}, {"description": "已联系媒体"}, True),
        ("special_person", {"special": ["mentally_ill"]}, {"extra": {"special_person": "mentally_ill"}}, True),
        ("departments", {"threshold": 2}, {"lead_department": "a", "cooperating_departments": ["b"]}, True),
        ("category", {"categories": ["dispute"]}, {}, True),
        ("flag", {"flag": "skip_level"}, {"extra": {"skip_level": True}}, True),
        ("flag", {"flag": "skip_level"}, {"flags": ["skip_level"]}, True),
        ("amount", {"field": "amount", "threshold": 1000}, {"extra": {"amount": 999}}, False),
        ("amount", {"field": "amount", "threshold": 1000}, {"extra": {"amount": True}}, False),
    ],
)
def test_trigger_matches(kind, kw, facts, expected):
    t = trigger("t", N, kind, [notify_role("x")], **kw)
    assert trigger_matches(t, make_case("p", "dispute.quality", **facts)) is expected


def test_a_trigger_narrowed_to_categories():
    t = trigger("t", N, "severity", [notify_role("x")], severities=["high"], categories=["nursing"])
    assert not trigger_matches(t, make_case("h", "medical", severity="high"))
    assert trigger_matches(t, make_case("h", "nursing", severity="high"))


def test_intake_fields_are_checked_for_presence_and_type():
    fields = [
        IntakeField(name="n", names=Names("数", "Number"), type="int", required=True),
        IntakeField(name="b", names=Names("是否", "Flag"), type="bool"),
        IntakeField(name="c", names=Names("选", "Choice"), type="choice", choices=[Choice(code="a", names=N)]),
        IntakeField(name="d", names=Names("日", "Date"), type="date"),
        IntakeField(name="t", names=Names("时", "Time"), type="datetime"),
        IntakeField(name="l", names=Names("列", "List"), type="list"),
    ]
    problems = check_intake_fields(fields, {"b": "yes", "c": "z", "d": "2026-13-01", "t": "2026-01-01T10:00", "l": [1]})
    assert [(p.field, p.code) for p in problems] == [
        ("extra.n", "required"),
        ("extra.b", "invalid"),
        ("extra.c", "invalid"),
        ("extra.d", "invalid"),
        ("extra.t", "invalid"),
        ("extra.l", "invalid"),
    ]
    assert problems[0].message == Names("请填写数", "Number is required")
    ok = {"n": 1, "b": True, "c": "a", "d": "2026-01-01", "t": "2026-01-01T10:00+08:00", "l": ["a"]}
    assert check_intake_fields(fields, ok) == []
    assert check_intake_fields(fields, {}, required=[]) == []


def test_notice_rules_follow_channel_anonymity_and_the_lead():
    rules = [
        NoticeRule(event="reply", recipient="complainant", template="s/result"),
        NoticeRule(event="reply", recipient="department:{lead}", template="s/copy", written="always"),
    ]
    letter = make_case("s", "x", channel="letter", lead_department="ops")
    assert [(n.recipient, n.written) for n in notices_from_rules(rules, letter, make_event("reply"))] == [
        ("complainant", True),
        ("department:ops", True),
    ]
    anonymous = make_case("s", "x", channel="web", anonymous=True)
    assert notices_from_rules(rules, anonymous, make_event("reply")) == []  # no lead yet, and anonymous
    assert notices_from_rules(rules, letter, make_event("close")) == []


def test_a_field_can_be_required_only_for_matching_drafts():
    from plugin_factories import make_draft

    field = IntakeField(name="unit", names=Names("房号", "Unit"), required_when=AppliesTo(categories=["repair"]))
    assert [p.field for p in check_intake_fields([field], {}, draft=make_draft("p", "repair.shared"))] == ["extra.unit"]
    assert check_intake_fields([field], {}, draft=make_draft("p", "service")) == []
