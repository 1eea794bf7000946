"""信访 rules, each test naming the seed line it checks (seed 004 unless stated)."""

from __future__ import annotations

import asyncio

import pytest
from plugin_factories import ladders_of, make_case, make_draft, make_event, triggers_of

from core.plugin_api import ComplainantDraft, TransitionVetoed, trigger_matches
from core.plugins import get_sector
from plugins.gov_petition.dispatch import dispatch

S = "gov_petition"
VISITOR = ComplainantDraft(name="张三", contact="13800000000")
REGISTRATION = {"demands": "补偿", "has_prior_opinion": False, "first_visit": True, "other_channel": False}


@pytest.fixture
def gov(enable):
    return enable(S)


def keys(rules):
    return [r.key for r in rules]


def test_registration_fields_seed_004_L27(gov):
    """登记项目: 具体诉求, 有无处理意见, 是否初访, 是否通过其他方式反映 are required (seed 004 L27)."""
    problems = gov.validate_intake(make_draft(S, "labour.wages", channel="visit", complainant=VISITOR))
    assert {p.field for p in problems} == {
        "extra.demands",
        "extra.has_prior_opinion",
        "extra.first_visit",
        "extra.other_channel",
    }
    ok = make_draft(S, "labour.wages", channel="visit", complainant=VISITOR, extra=REGISTRATION)
    assert gov.validate_intake(ok) == []


def test_a_visit_registers_the_visitor_and_an_address_or_contact_seed_004_L27(gov):
    anon = make_draft(S, "labour", channel="visit", anonymous=True, extra=REGISTRATION)
    assert [p.field for p in gov.validate_intake(anon)] == ["complainant.name"]
    no_contact = make_draft(S, "labour", channel="visit", complainant=ComplainantDraft(name="李四"), extra=REGISTRATION)
    assert [p.field for p in gov.validate_intake(no_contact)] == ["complainant.contact"]
    letter = make_draft(S, "labour", channel="letter", anonymous=True, extra=REGISTRATION)
    assert gov.validate_intake(letter) == []  # anonymous letters are registered (seed 002 L77)


def test_first_visit_cannot_have_a_prior_opinion_seed_004_L27(gov):
    extra = {**REGISTRATION, "has_prior_opinion": True}
    problems = gov.validate_intake(make_draft(S, "labour", channel="letter", extra=extra))
    assert [p.code for p in problems] == ["inconsistent"]


def test_skip_level_visits_record_the_reason_seed_004_L41(gov):
    extra = {**REGISTRATION, "skip_level": True}
    assert [p.field for p in gov.validate_intake(make_draft(S, "labour", extra=extra))] == ["extra.skip_level_reason"]


def test_grounds_NR1_to_NR5_and_NA1_NA2_seed_004_L13_L15():
    grounds = {g.code: g for g in get_sector(S).grounds}
    assert list(grounds) == ["NR1", "NR2", "NR3", "NR4", "NR5", "NA1", "NA2"]
    assert {c for c, g in grounds.items() if g.needs_target} == {"NR1", "NR2"}  # seed 004 L31
    assert {c for c, g in grounds.items() if g.kind == "no_longer_accepted"} == {"NA1", "NA2"}
    assert grounds["NR2"].source.startswith("seed 004 L13")


def test_concluded_re_review_is_not_accepted_again_NA1_seed_004_L15(gov):
    decision = gov.acceptance(make_case(S, "labour", extra={"review_status": "review_concluded"}))
    assert (decision.decision, decision.ground) == ("refuse", "NA1")


def test_a_review_request_out_of_time_NA2_seed_004_L15(gov, case):
    """Opinion 2026-03-02; the 30-day window [EXT] ends 04-01 (spec S11)."""
    from datetime import UTC, datetime

    def at(day: str, **extra):
        return case(
            S,
            "labour",
            received_at=datetime.fromisoformat(day).replace(tzinfo=UTC),
            extra={"review_status": "opinion_received", "opinion_received_on": "2026-03-02", **extra},
        )

    assert gov.acceptance(at("2026-04-01")).ground is None  # in time: staff decide
    near = gov.acceptance(at("2026-04-03"))  # two days late: within the holiday margin, staff with NA2
    assert (near.decision, near.ground) == ("staff", "NA2")
    far = gov.acceptance(at("2026-04-20"))
    assert (far.decision, far.ground) == ("refuse", "NA2")
    excused = gov.acceptance(at("2026-04-20", late_reason="住院"))
    assert (excused.decision, excused.ground) == ("staff", "NA2")


def test_legal_route_and_competent_body_NR2_NR3_seed_004_L13_L31(gov):
    nr2 = gov.acceptance(make_case(S, "law_litigation", extra={"legal_route": "arbitration"}))
    assert (nr2.decision, nr2.ground) == ("refuse", "NR2") and "仲裁" in nr2.target
    nr3 = gov.acceptance(make_case(S, "labour", extra={"handled_by": "区人社局"}))
    assert (nr3.ground, nr3.target) == ("NR3", "区人社局")
    assert gov.acceptance(make_case(S, "labour")).decision == "staff"


def test_territorial_routing_to_the_county_seed_004_L19_L57(gov):
    """属地管理: county body, copied to the county petition office; unclear → the office."""
    unclear = gov.route(make_case(S, "labour", extra={"territory": "county_a"}))
    assert unclear.lead == "county_a_petition_office"
    known = dispatch(
        make_case(S, "labour", extra={"territory": "county_a", "county_body": "county_a_hrss"}), gov.enabled[S]
    )
    assert (known.lead, known.cc, known.mode) == ("county_a_hrss", ["county_a_petition_office"], "transfer")
    many = dispatch(
        make_case(S, "labour", extra={"territory": "county_a", "county_body": "x", "many_demands": True}),
        gov.enabled[S],
    )
    assert many.lead == "county_a_petition_office"


def test_city_departments_by_subject_seed_004_L59(gov, enable):
    route = gov.route(make_case(S, "land_housing.expropriation"))
    assert (route.lead, route.cooperating) == ("natural_resources", ["housing"])
    assert gov.route(make_case(S, "labour.wages")).lead == "hrss"
    assert gov.route(make_case(S, "other")).lead == "reception"
    tuned = enable(S, {"routing": {"by_category": {"labour": {"lead": "county_a_petition_office"}}}})
    assert tuned.route(make_case(S, "labour.wages")).lead == "county_a_petition_office"


@pytest.mark.parametrize(
    "flag",
    [
        "leader_instruction",
        "should_have_been_solved",
        "mass_incident_risk",
        "county_opinion_improper",
        "feedback_required",
    ],
)
def test_assignment_instead_of_transfer_seed_004_L61(gov, flag):
    plan = dispatch(make_case(S, "labour", extra={flag: True}), gov.enabled[S])
    assert plan.mode == "assign" and any("seed 004 L61" in r for r in plan.reasons)
    assert dispatch(make_case(S, "labour"), gov.enabled[S]).mode == "transfer"


def test_objection_window_is_3_working_days_from_receipt_seed_004_L67(gov):
    rule = {r.key: r for r in gov.clocks(make_case(S, "labour"))}["transfer_objection"]
    assert (rule.amount, rule.unit, rule.start_event, rule.stop_event) == (3, "working_days", "signed_for", None)
    assert rule.source == "seed 004 L67"


def test_leader_reading_by_the_third_working_day_seed_002_L83(gov, enable):
    rule = {r.key: r for r in gov.clocks(make_case(S, "labour"))}["leader_reading"]
    assert (rule.amount, rule.unit) == (3, "working_days")
    off = enable(S, {"deadlines": {"leader_reading_working_days": None}})
    assert "leader_reading" not in keys(off.clocks(make_case(S, "labour")))


def test_major_or_urgent_matters_same_day_seed_004_L53(gov):
    assert "major_urgent_proposal" not in keys(gov.clocks(make_case(S, "labour")))
    rule = {r.key: r for r in gov.clocks(make_case(S, "labour", severity="critical"))}["major_urgent_proposal"]
    assert rule.unit == "same_day"
    t = triggers_of(gov.escalations(make_case(S, "labour")))["major_urgent"]
    assert trigger_matches(t, make_case(S, "labour", severity="high"))


def test_statutory_clocks_are_external_and_configurable_EXT(gov, enable):
    """[EXT] 《信访条例》 Art. 21–22, 33–35: not in the seeds, marked statutory, tunable."""
    rules = {r.key: r for r in gov.clocks(make_case(S, "labour"))}
    assert {
        k: (rules[k].amount, rules[k].statutory)
        for k in ("acceptance", "handling", "review_request_window", "review_opinion")
    } == {
        "acceptance": (15, True),
        "handling": (60, True),
        "review_request_window": (30, True),
        "review_opinion": (30, True),
    }
    assert rules["handling"].extension_cap.amount == 30
    assert all("[EXT]" in rules[k].source for k in ("acceptance", "handling"))
    assert rules["acceptance"].roll_forward
    off = enable(S, {"deadlines": {"statutory": False}})
    assert "handling" not in keys(off.clocks(make_case(S, "labour")))


def test_collective_visit_threshold_and_mandatory_interview_seed_004_L37(gov, enable):
    triggers = triggers_of(gov.escalations(make_case(S, "labour")))
    collective = triggers["collective"]
    assert not trigger_matches(collective, make_case(S, "labour", group_size=4))
    assert trigger_matches(collective, make_case(S, "labour", group_size=7))  # spec S12
    assert {a.flag for a in collective.actions if a.kind == "set_flag"} == {"collective", "interview_required"}
    tuned = triggers_of(enable(S, {"collective_threshold": 8}).escalations(make_case(S, "labour")))
    assert not trigger_matches(tuned["collective"], make_case(S, "labour", group_size=7))


def test_first_and_repeat_visits_get_an_interview_seed_004_L37(gov):
    triggers = triggers_of(gov.escalations(make_case(S, "labour")))
    assert trigger_matches(triggers["first_visit"], make_case(S, "labour", extra={"first_visit": True}))
    assert trigger_matches(triggers["repeat"], make_case(S, "labour", receptions=2))
    assert not trigger_matches(triggers["repeat"], make_case(S, "labour", receptions=1))


def test_skip_level_flag_and_home_county_duty_office_seed_004_L41_L125(gov):
    t = triggers_of(gov.escalations(make_case(S, "labour")))["skip_level"]
    assert trigger_matches(t, make_case(S, "labour", extra={"skip_level": True}))
    assert "home_county_duty_office" in {a.role for a in t.actions}


@pytest.mark.parametrize(
    ("person", "role", "line"),
    [
        ("foreigner", "bureau_leader", "L51"),
        ("art20_breach", "police", "L117"),
        ("mentally_ill", "guardian", "L119"),
        ("infectious_disease", "health_bureau", "L121"),
        ("medical_emergency", "emergency_120", "L123"),
        ("disruption_after_decision", "bureau_head", "L127"),
    ],
)
def test_special_persons_seed_004_L51_L117_to_L127(gov, person, role, line):
    t = triggers_of(gov.escalations(make_case(S, "labour")))[f"special_{person}"]
    assert trigger_matches(t, make_case(S, "labour", extra={"special_person": person}))
    assert not trigger_matches(t, make_case(S, "labour"))
    assert role in {a.role for a in t.actions} and line in t.source


def test_overdue_handling_is_supervised_seed_004_L73_L75(gov):
    ladder = ladders_of(gov.escalations(make_case(S, "labour")))["handling"]
    assert {a.kind for a in ladder.levels[-1].actions} == {"mark_supervised", "notify_role"}


def test_refusal_notice_written_once_then_oral_seed_004_L31_L33(gov):
    case = make_case(S, "labour")
    first = gov.notices(case, make_event("not_accept", ground="NR2"))
    assert [(n.template, n.written) for n in first] == [("gov_petition/not_accepted", True)]
    again = gov.notices(case, make_event("not_accept", ground="NA1", prior_written_notice=True))
    assert [(n.template, n.written) for n in again] == [("gov_petition/no_longer_accepted", False)]


def test_transfer_notices_to_both_sides_and_the_copy_seed_004_L57_L59(gov):
    case = make_case(
        S, "labour", lead_department="county_a_hrss", extra={"territory": "county_a", "county_body": "county_a_hrss"}
    )
    notices = gov.notices(case, make_event("transfer"))
    assert {n.recipient for n in notices} == {
        "complainant",
        "department:county_a_hrss",
        "department:county_a_petition_office",
    }
    assert all(n.written for n in notices)


def test_no_outcome_notice_for_anonymous_letters_seed_002_L77(gov):
    assert gov.notices(make_case(S, "labour", anonymous=True), make_event("reply")) == []
    assert [n.template for n in gov.notices(make_case(S, "labour"), make_event("reply"))] == ["gov_petition/result"]


def test_closing_needs_seal_signature_and_petitioner_opinion_seed_004_L63_L93(gov):
    case = make_case(S, "labour")
    with pytest.raises(TransitionVetoed) as veto:
        asyncio.run(gov.case_event(case, make_event("close", unit_seal=True)))
    assert veto.value.missing == ["leader_signature", "petitioner_opinion"] and veto.value.plugin == S
    asyncio.run(
        gov.case_event(case, make_event("close", unit_seal=True, leader_signature=True, petitioner_opinion=True))
    )


def test_monthly_collective_and_repeat_counts_by_region_seed_004_L85(gov):
    from core.plugin_api import ReportPeriod

    cases = [
        make_case(S, "labour", flags=["collective"], extra={"territory": "county_a"}),
        make_case(S, "labour", flags=["collective", "repeat"], extra={"territory": "county_a"}),
        make_case(S, "health", flags=["repeat"]),
    ]
    sections = {
        s["key"]: s
        for s in asyncio.run(
            gov.report_sections(ReportPeriod(start=cases[0].received_at, end=cases[0].received_at, cases=cases))
        )
    }
    assert sections["collective_by_territory"]["rows"][0] | {"label": None} == {
        "code": "county_a",
        "label": None,
        "value": 2,
    }
    assert {r["code"]: r["value"] for r in sections["repeat_by_territory"]["rows"]} == {"city": 1, "county_a": 1}
    assert sections["by_category"]["source"] == "seed 004 L107"
