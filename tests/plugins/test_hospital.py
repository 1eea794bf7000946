"""Hospital rules, each test naming the seed line it checks."""

from __future__ import annotations

import asyncio

import pytest
from plugin_factories import ladders_of, make_case, make_draft, make_event, triggers_of

from core.plugin_api import ComplainantDraft, TransitionVetoed, find_category, trigger_matches
from core.plugins import get_sector, validate_config

S = "hospital"
READY = {"complainant_role": "patient", "respondent": "王医生", "demands": "道歉"}


@pytest.fixture
def hospital(enable):
    return enable(S)


def clocks(tp, **kw):
    return {r.key: r for r in tp.clocks(make_case(S, kw.pop("category", "medical.clinical"), **kw))}


def test_categories_cite_their_seed_lines_seed_000_L153_L155_seed_001_L526_L942():
    tree = get_sector(S).categories
    assert find_category(tree, "medical.accident").source == "seed 000 L153"
    assert "seed 000 L154" in find_category(tree, "conduct").source
    assert find_category(tree, "privacy").source == "seed 000 L155"
    assert find_category(tree, "conduct.red_envelope").source == "seed 001 L534"
    assert "L712" in find_category(tree, "price").source
    assert "L544" in find_category(tree, "nursing").source


@pytest.mark.parametrize(
    ("category", "lead", "cooperating", "line"),
    [
        ("medical.outpatient", "medical_affairs", ["outpatient"], "seed 001 L34"),
        ("medical.clinical", "inpatient", [], "seed 001 L36"),
        ("nursing", "nursing", [], "seed 001 L38"),
        ("medical.pharmacy", "pharmacy", [], "seed 001 L40"),
        ("medical.equipment", "procurement", [], "seed 001 L42"),
        ("medical.accident", "medical_affairs", ["nursing"], "seed 000 L153"),
        ("conduct.red_envelope", "supervision", [], "seed 000 L154"),
    ],
)
def test_default_routing_table_B_seed_001_L32_L44(hospital, category, lead, cooperating, line):
    route = hospital.route(make_case(S, category))
    assert (route.lead, route.cooperating) == (lead, cooperating) and line in route.reason


def test_multi_department_disputes_are_led_by_medical_affairs_seed_001_L44(hospital):
    route = hospital.route(make_case(S, "medical.clinical", extra={"departments_involved": ["inpatient", "nursing"]}))
    assert route.lead == "medical_affairs" and set(route.cooperating) == {"inpatient", "nursing"}


@pytest.mark.parametrize(
    ("category", "lead", "line"),
    [
        ("admin", "hospital_office", "L390"),
        ("conduct", "party_office", "L392"),
        ("staff.labour_discipline", "hr", "L394"),
        ("staff.violation", "audit", "L396"),
        ("medical.clinical", "medical_education", "L398"),
        ("nursing", "nursing", "L400"),
        ("price", "finance", "L402"),
        ("security", "security", "L404"),
        ("logistics", "general_affairs", "L406"),
        ("equipment_management", "equipment", "L408"),
        ("infection", "infection_control", "L410"),
        ("drugs", "pharmacy", "L412"),
        ("privacy", "hospital_office", "L386"),
    ],
)
def test_alternative_routing_table_C6_seed_001_L386_L416(enable, category, lead, line):
    c6 = enable(S, {"routing": {"table": "C6"}})
    route = c6.route(make_case(S, category))
    assert route.lead == lead and line in route.reason


def test_C6_lead_is_the_first_named_division_seed_001_L434(enable):
    c6 = enable(S, get_sector(S).presets["C6"].overrides)
    route = c6.route(make_case(S, "price", extra={"departments_involved": ["finance", "medical_education"]}))
    assert (route.lead, route.cooperating) == ("finance", ["medical_education"])
    assert {d.code for d in get_sector(S).presets["C6"].departments} >= {"finance", "party_office"}


def test_tenant_routing_overrides_win(enable):
    tp = enable(S, {"routing": {"overrides": {"price": {"lead": "finance"}}}})
    assert tp.route(make_case(S, "price")).lead == "finance"


def test_acceptance_conditions_seed_001_L420_L432(hospital):
    accepted = hospital.acceptance(make_case(S, "medical.clinical", description="x", extra=READY))
    assert accepted.decision == "accept"
    no_standing = hospital.acceptance(
        make_case(S, "medical", description="x", extra={**READY, "complainant_role": "other"})
    )
    assert (no_standing.decision, no_standing.ground) == ("refuse", "H1")  # seed 001 L420
    incomplete = hospital.acceptance(make_case(S, "medical", description="x", extra={"complainant_role": "patient"}))
    assert (incomplete.decision, incomplete.missing) == ("staff", ["respondent", "demands"])  # seed 001 L422, L432
    oral = hospital.acceptance(make_case(S, "medical", channel="visit", description="x", extra=READY))
    assert oral.missing == ["transcript_signed"]  # seed 001 L424
    anonymous = hospital.acceptance(make_case(S, "medical", anonymous=True, extra=READY))
    assert anonymous.decision == "staff" and "L424" in anonymous.reason


def test_phone_complaints_give_name_address_and_contact_seed_001_L424(hospital):
    problems = hospital.validate_intake(
        make_draft(
            S,
            "service",
            channel="phone",
            extra={"complainant_role": "patient"},
            complainant=ComplainantDraft(name="赵"),
        )
    )
    assert [p.field for p in problems] == ["complainant.address", "complainant.contact"]


def test_acceptance_within_7_days_and_pause_mode_seed_001_L430_L432(hospital, enable):
    rule = clocks(hospital)["acceptance"]
    assert (rule.amount, rule.unit, rule.start_event, rule.stop_event, rule.on_resume) == (
        7,
        "calendar_days",
        "received",
        "accepted",
        "continue",
    )
    assert clocks(enable(S, {"deadlines": {"pause_mode": "restart"}}))["acceptance"].on_resume == "restart"


def test_written_reply_30_days_complex_at_most_60_seed_001_L442(hospital):
    rule = clocks(hospital)["reply"]
    assert (rule.amount, rule.start_event, rule.extension_cap.amount) == (30, "accepted", 30)


def test_outpatient_reply_3_days_complex_a_week_seed_001_L538(hospital):
    assert clocks(hospital, category="service")["outpatient_reply"].amount == 3
    assert clocks(hospital, category="service", severity="high")["outpatient_reply"].amount == 7
    assert "outpatient_reply" not in clocks(hospital, category="nursing")


def test_conduct_office_2_or_5_working_days_seed_001_L950(hospital):
    """Written: 2 WD; complex or ≥2 departments: 5 WD; oral: answered at once (no clock). Spec S4."""
    written = clocks(hospital, category="conduct", channel="letter")["conduct_reply"]
    assert (written.amount, written.unit, written.warn_before.amount) == (2, "working_days", 4)
    two_depts = clocks(
        hospital,
        category="conduct",
        channel="letter",
        lead_department="supervision",
        cooperating_departments=["nursing"],
    )["conduct_reply"]
    assert two_depts.amount == 5
    assert clocks(hospital, category="conduct", channel="phone", severity="high")["conduct_reply"].amount == 5
    assert "conduct_reply" not in clocks(hospital, category="conduct", channel="visit")


def test_dispute_first_answer_a_week_major_30_days_seed_001_L360_L362(hospital):
    assert clocks(hospital, category="nursing")["dispute_first_answer"].amount == 7
    assert clocks(hospital, category="nursing", severity="critical")["dispute_first_answer"].amount == 30


def test_major_dispute_reported_within_12_hours_seed_001_L370(hospital):
    """Spec S5: classified major → report due 12 h later; 医务科 head and duty leader at once."""
    assert "major_report" not in clocks(hospital)
    rule = clocks(hospital, severity="critical")["major_report"]
    assert (rule.amount, rule.unit, rule.start_event, rule.stop_event) == (12, "hours", "classified_major", "reported")
    rules = hospital.escalations(make_case(S, "medical"))
    major = triggers_of(rules)["major_dispute"]
    assert trigger_matches(major, make_case(S, "medical.clinical", severity="critical"))
    assert {a.role for a in major.actions if a.role} == {"medical_affairs_head", "duty_leader"}
    assert ladders_of(rules)["major_report"].levels[0].actions[0].role == "president"


def test_three_receptions_then_medical_affairs_seed_001_L366(hospital, enable):
    t = triggers_of(hospital.escalations(make_case(S, "medical")))["receptions"]
    assert not trigger_matches(t, make_case(S, "medical.clinical", receptions=2))
    assert trigger_matches(t, make_case(S, "medical.clinical", receptions=3))
    assert {a.kind for a in t.actions} == {"reassign_upward", "notify_role"}
    tuned = triggers_of(enable(S, {"receptions_before_medical_affairs": 4}).escalations(make_case(S, "medical")))
    assert tuned["receptions"].threshold == 4


@pytest.mark.parametrize(
    ("key", "facts", "role", "line"),
    [
        ("important", {"severity": "high"}, "hospital_leader", "seed 000 L83"),
        ("nursing_serious", {"severity": "critical", "category": "nursing"}, "nursing_director", "L560"),
        ("complex_review", {"severity": "high"}, "legal_adviser", "seed 001 L440"),
        ("vexatious", {"extra": {"special_person": "vexatious"}}, "police", "seed 001 L446"),
    ],
)
def test_escalation_triggers_seed_000_L83_seed_001_L440_L446_L560(hospital, key, facts, role, line):
    t = triggers_of(hospital.escalations(make_case(S, "medical")))[key]
    category = facts.pop("category", "medical.clinical")
    assert trigger_matches(t, make_case(S, category, **facts)) and role in {a.role for a in t.actions}
    assert line in t.source


def test_written_complaints_answered_in_writing_seed_001_L442_L952(hospital):
    letter = make_case(S, "conduct", channel="letter")
    assert [
        (n.template, n.written) for n in hospital.notices(letter, make_event("reply")) if n.recipient == "complainant"
    ] == [("hospital/conduct_reply", True)]
    oral = make_case(S, "conduct", channel="visit")
    assert [n.written for n in hospital.notices(oral, make_event("reply")) if n.recipient == "complainant"] == [False]
    clinical = make_case(S, "medical.clinical", channel="web")
    assert [n.written for n in hospital.notices(clinical, make_event("reply")) if n.recipient == "complainant"] == [
        True
    ]


def test_first_contact_owner_hears_every_milestone_seed_000_L77_L79(hospital, enable):
    notices = hospital.notices(make_case(S, "medical", anonymous=True), make_event("assign"))
    assert [(n.recipient, n.template) for n in notices] == [("role:first_responsible", "hospital/milestone")]
    off = enable(S, {"first_contact_ownership": False})
    assert off.notices(make_case(S, "medical"), make_event("assign")) == []


def test_closed_cases_summarised_to_the_rectification_office_seed_000_L85(hospital):
    recipients = {n.recipient for n in hospital.notices(make_case(S, "medical"), make_event("close"))}
    assert "role:conduct_office" in recipients


def test_on_the_spot_answer_needs_satisfaction_and_a_record_seed_001_L430(hospital):
    case = make_case(S, "service")
    with pytest.raises(TransitionVetoed) as veto:
        asyncio.run(hospital.case_event(case, make_event("reply", on_the_spot=True, record="已当场解释")))
    assert veto.value.missing == ["satisfied"]
    asyncio.run(hospital.case_event(case, make_event("reply", on_the_spot=True, record="已解释", satisfied=True)))


def test_a_negative_deadline_is_rejected_with_its_path():
    with pytest.raises(Exception, match=r"\$\.deadlines\.major_report_hours"):
        validate_config(S, {"deadlines": {"major_report_hours": -1}})


def test_the_2019_statutory_limits_are_external_and_off_by_default_EXT(hospital, enable):
    assert "statutory_reply" not in clocks(hospital, severity="high")
    ext = enable(S, {"deadlines": {"statutory_2019": True}})
    complex_ = clocks(ext, severity="high")["statutory_reply"]
    assert (complex_.amount, complex_.statutory, "[EXT]" in complex_.source) == (5, True, True)
    multi = clocks(ext, lead_department="nursing", cooperating_departments=["inpatient"])["statutory_reply"]
    assert multi.amount == 10
