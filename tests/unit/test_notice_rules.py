"""The outbox's pure rules: defaults per event, channel choice, template fallbacks, R7 keys."""

from __future__ import annotations

import pytest

from core.notice_rules import (
    complainant_route,
    contact_kind,
    core_defaults,
    escalation_wants,
    person_key,
    template_event,
)
from core.notices import render_notice, sample_context

ALL = {"email", "sms", "webhook", "in_app", "letter"}


@pytest.mark.parametrize(
    ("intake", "contact", "configured", "expected"),
    [
        ("email", "a@example.org", ALL, ("email", "a@example.org")),
        ("phone", "13800000000", ALL, ("sms", "13800000000")),
        ("hotline", "138 0000 0000", ALL, ("sms", "138 0000 0000")),
        ("web", "a@example.org", ALL, ("email", "a@example.org")),
        ("web", "13800000000", {"in_app", "letter", "email"}, ("in_app", "")),  # no SMS gateway: the portal
        ("api", "13800000000", ALL, ("webhook", "")),
        ("api", "13800000000", {"in_app", "letter", "sms"}, ("sms", "13800000000")),
        ("visit", "", ALL, ("in_app", "")),
        ("phone", "a@example.org", ALL, ("email", "a@example.org")),  # the contact decides what can work
    ],
)
def test_the_complainant_hears_back_through_the_intake_channel_where_possible(intake, contact, configured, expected):
    route = complainant_route(
        intake=intake, contact=contact, address="", requested=None, written=False, configured=configured
    )
    assert route == expected


def test_writing_required_means_a_letter_to_the_postal_address():
    route = complainant_route(
        intake="web", contact="a@example.org", address="幸福路28号", requested=None, written=True, configured=ALL
    )
    assert route == ("letter", "幸福路28号")
    asked = complainant_route(
        intake="web", contact="13800000000", address="", requested="sms", written=False, configured=ALL
    )
    assert asked == ("sms", "13800000000")


def test_contact_kinds():
    assert contact_kind(" a.b@example.org ") == "email"
    assert contact_kind("+86 138-0000-0000") == "phone"
    assert contact_kind("幸福路28号") is None


def test_core_defaults_per_event_and_what_plugins_cover():
    def recipients(action, **kw):
        args = {"intake": "web", "anonymous": False, "lead": "A", "covered": set(), **kw}
        return [(w.recipient, w.written) for w in core_defaults(action, **args)]

    assert recipients("register") == [("complainant", False)]
    assert recipients("register", intake="letter") == [("complainant", False)]  # a receipt is never a letter
    assert recipients("not_accept", intake="letter") == [("complainant", True)]
    assert recipients("transfer") == [("complainant", False), ("forwarding_body", True)]
    assert recipients("assign") == [("department:A", False)]
    assert recipients("assign", lead=None) == []
    assert recipients("reopen") == [("department:A", False)]
    assert recipients("reply", covered={"complainant"}) == []
    assert recipients("reply", anonymous=True) == []  # no outcome notice for anonymous cases
    assert recipients("register", anonymous=True) == [("complainant", False)]  # resolution drops it without contact
    assert recipients("start") == []


def test_template_fallbacks_depend_on_the_recipient_and_the_ground():
    assert template_event("not_accept", "complainant") == "not_accepted"
    assert template_event("not_accept", "complainant", ground_kind="no_longer_accepted") == "no_longer_accepted"
    assert template_event("transfer", "forwarding_body") == "transferred_receiver"
    assert template_event("reply", "forwarding_body") == "reply_to_source"
    assert template_event("reply", "department") == "case_update"
    assert template_event("assign", "role") == "assigned"
    assert template_event("close", "user") == "case_update"


def test_escalation_notify_entries_become_staff_wants():
    wants = escalation_wants(
        [
            {"kind": "role", "role": "duty_leader"},
            {"kind": "department_head", "department_id": "d-1"},
            {"kind": "supervisor_body"},
            {"kind": "reassign_upward", "department_id": None},
        ]
    )
    assert [w.recipient for w in wants] == ["role:duty_leader", "department_head:d-1", "supervisors", "supervisors"]
    assert all(w.escalation and w.event == "escalated" for w in wants)


def test_person_keys_identify_across_cases_without_keeping_the_data():
    a = person_key(id_number="110101199001011234", name="张三", contact="1", fallback="x")
    b = person_key(id_number="110101199001011234 ", name="张叁", contact="2", fallback="y")
    assert a == b and "110101" not in a
    assert person_key(id_number="", name="张三", contact="A@x.org", fallback="x") == person_key(
        id_number="", name="张三", contact="a@x.org", fallback="y"
    )
    assert person_key(id_number="", name="", contact="", fallback="p1") == "p:p1"


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
@pytest.mark.parametrize("channel", ["email", "sms", "in_app"])
def test_a_trigger_escalation_has_no_clock_and_still_reads_well(locale, channel):
    ctx = sample_context("escalated", locale)
    ctx.due_at, ctx.overdue = None, False
    ctx.clock_name = "集体访" if locale == "zh-CN" else "collective visit"
    ctx.escalation_level = "事件触发" if locale == "zh-CN" else "event trigger"
    rendered = render_notice("escalated", ctx, channel=channel, locale=locale)
    text = (rendered.subject or "") + (rendered.text or "")
    assert ctx.clock_name in text and "None" not in text
    assert ("到期" not in text and "届满" not in text) if locale == "zh-CN" else "expire" not in text
