"""Property-management rules, each test naming the seed line it checks (seed 001 unless stated)."""

from __future__ import annotations

import asyncio

import pytest
from plugin_factories import ladders_of, make_case, make_draft, make_event, triggers_of

from core.plugin_api import ComplainantDraft, TransitionVetoed, trigger_matches
from core.plugins import PluginConfigError, get_sector, validate_config

S = "property"


@pytest.fixture
def prop(enable):
    return enable(S)


def clocks(tp, category="repair.shared", **kw):
    return {r.key: r for r in tp.clocks(make_case(S, category, **kw))}


def test_repairs_are_recorded_with_unit_item_and_contact_seed_001_L860(prop):
    problems = prop.validate_intake(make_draft(S, "repair.shared", complainant=ComplainantDraft(name="业主")))
    assert [p.field for p in problems] == ["extra.unit_number", "extra.repair_item", "complainant.contact"]
    ok = make_draft(
        S,
        "repair.shared",
        complainant=ComplainantDraft(name="业主", contact="139"),
        extra={"unit_number": "3-1201", "repair_item": "电梯"},
    )
    assert prop.validate_intake(ok) == []


def test_notify_maintenance_within_5_minutes_seed_001_L862_L864(prop, enable):
    """Spec S1: accepted 17:50 → notify due 17:55. A tenant changes 5 → 10."""
    rule = clocks(prop)["notify_maintenance"]
    assert (rule.amount, rule.unit, rule.start_event, rule.stop_event) == (
        5,
        "minutes",
        "accepted",
        "work_order_issued",
    )
    assert clocks(enable(S, {"deadlines": {"notify_minutes": 10}}))["notify_maintenance"].amount == 10


def test_on_site_within_15_minutes_of_the_work_order_seed_001_L876(prop):
    """Spec S1: work order 17:53 → arrival due 18:08."""
    rule = clocks(prop)["arrival"]
    assert (rule.amount, rule.unit, rule.start_event, rule.stop_event) == (
        15,
        "minutes",
        "work_order_issued",
        "arrived",
    )


def test_minor_repairs_target_2_hours_limit_24_seed_001_L878(prop):
    """Spec S1: completion target 19:50, limit the next day 17:50 (from acceptance, wall clock)."""
    rules = clocks(prop)
    assert (rules["repair_target"].amount, rules["repair_target"].kind) == (2, "target")
    assert (
        rules["repair_completion"].amount,
        rules["repair_completion"].unit,
        rules["repair_completion"].kind,
        rules["repair_completion"].start_event,
    ) == (24, "hours", "limit", "accepted")


def test_general_72_hours_and_large_repairs_eta_in_48_seed_001_L878(prop):
    assert clocks(prop, extra={"repair_size": "general"})["repair_completion"].amount == 72
    large = clocks(prop, extra={"repair_size": "large"})
    assert "repair_completion" not in large and large["repair_eta"].amount == 48


def test_rule_C1_preset_ten_minutes_and_not_overnight_seed_001_L76(enable):
    """Spec S1 with C1: arrival due 18:03, completion Friday 24:00 (same day)."""
    c1 = enable(S, get_sector(S).presets["C1"].overrides)
    rules = clocks(c1)
    assert rules["arrival"].amount == 10
    assert rules["repair_completion"].unit == "same_day" and "repair_target" not in rules
    assert get_sector(S).presets["C1"].source == "seed 001 L76"


def test_other_complaints_within_3_working_days_seed_001_L76(prop):
    rule = clocks(prop, "service")["complaint_reply"]
    assert (rule.amount, rule.unit) == (3, "working_days")
    assert "complaint_reply" not in clocks(prop)


def test_complaints_verified_the_same_day_seed_000_L350(prop):
    assert clocks(prop, "service")["verify"].unit == "same_day"


def test_work_order_back_in_24h_then_follow_up_in_72h_seed_001_L900(prop):
    """Spec S18: done 10:00 → work order due back 24 h later; back 15:00 → follow-up 72 h later."""
    rules = clocks(prop)
    assert (
        rules["work_order_back"].amount,
        rules["work_order_back"].start_event,
        rules["work_order_back"].stop_event,
    ) == (24, "process_ended", "work_order_returned")
    assert (rules["follow_up"].amount, rules["follow_up"].start_event, rules["follow_up"].stop_event) == (
        72,
        "work_order_returned",
        "followed_up",
    )


def test_repairs_over_three_days_need_an_approved_plan_seed_001_L908(prop):
    assert clocks(prop)["repair_plan"].amount == 3
    ladder = ladders_of(prop.escalations(make_case(S, "repair")))["repair_plan"]
    assert {a.role for a in ladder.levels[0].actions} == {"engineering_manager", "office_director"}


def test_quality_disputes_reviewed_within_3_days_seed_001_L920(prop):
    assert clocks(prop, "dispute.quality")["quality_review"].amount == 3


def test_no_arrival_in_time_goes_to_the_maintenance_supervisor_seed_001_L854_spec_S1(prop, enable):
    ladder = ladders_of(prop.escalations(make_case(S, "repair")))["arrival"]
    first = ladder.levels[0]
    assert (first.relative, first.actions[0].role) == ("at_due", "maintenance_supervisor")
    tuned = ladders_of(enable(S, {"arrival_escalation_role": "duty_manager"}).escalations(make_case(S, "repair")))
    assert tuned["arrival"].levels[0].actions[0].role == "duty_manager"


def test_major_complaints_to_the_property_supervisor_seed_001_L72(prop):
    t = triggers_of(prop.escalations(make_case(S, "service")))["major"]
    assert trigger_matches(t, make_case(S, "service", severity="critical"))
    assert "property_supervisor" in {a.role for a in t.actions}


def test_disputes_bring_the_office_director_in_person_seed_001_L916(prop):
    t = triggers_of(prop.escalations(make_case(S, "service")))["dispute"]
    assert trigger_matches(t, make_case(S, "dispute.compensation"))
    assert not trigger_matches(t, make_case(S, "repair.shared"))


def test_large_compensation_to_customer_service_and_the_GM_seed_001_L918_L920(prop):
    t = triggers_of(prop.escalations(make_case(S, "service")))["large_compensation"]
    assert not trigger_matches(t, make_case(S, "dispute.compensation", extra={"compensation_amount": 200}))
    assert trigger_matches(t, make_case(S, "dispute.compensation", extra={"compensation_amount": 5000}))
    assert {a.role for a in t.actions} == {"company_cs_manager", "general_manager"}


def test_unfinished_repairs_chased_by_company_customer_service_seed_001_L906(prop):
    ladder = ladders_of(prop.escalations(make_case(S, "repair")))["repair_completion"]
    assert {a.kind for a in ladder.levels[0].actions} == {"notify_role", "mark_supervised"}


@pytest.mark.parametrize(
    ("category", "lead", "line"),
    [
        ("repair.shared", "maintenance", "L854"),
        ("dispute.quality", "management_office", "L916"),
        ("service", "management_office", "seed 000 L350"),
    ],
)
def test_routing_seed_001_L848_L856(prop, category, lead, line):
    route = prop.route(make_case(S, category))
    assert route.lead == lead and line in route.reason


def test_large_repairs_go_to_engineering_seed_001_L856(prop):
    assert prop.route(make_case(S, "repair.shared", extra={"repair_size": "large"})).lead == "engineering"


def test_repairs_are_accepted_at_once_seed_001_L842_L862(prop):
    assert prop.acceptance(make_case(S, "repair.own_unit")).decision == "accept"
    assert prop.acceptance(make_case(S, "service")) is None


@pytest.mark.parametrize(
    ("category", "template", "line"),
    [
        ("repair.own_unit", "property/fee_scale", "L862"),
        ("repair.shared", "property/thanks_eta", "L864"),
        ("repair.developer_defect", "property/apology_eta", "L868"),
    ],
)
def test_acceptance_notices_seed_001_L862_L868_L898(prop, category, template, line):
    templates = [n.template for n in prop.notices(make_case(S, category), make_event("accept"))]
    assert templates == ["property/follow_up_contact", template]  # name and phone at once (L898)


def test_results_to_owner_and_director_and_common_problems_posted_seed_000_L352_seed_001_L76(prop):
    notices = prop.notices(make_case(S, "service", flags=["widespread"]), make_event("reply"))
    assert {n.recipient for n in notices} == {"complainant", "role:office_director", "role:notice_board"}


def test_close_needs_a_satisfied_owner_after_follow_up_seed_000_L369(prop):
    with pytest.raises(TransitionVetoed) as veto:
        asyncio.run(prop.case_event(make_case(S, "service"), make_event("close", followed_up=True)))
    assert veto.value.missing == ["satisfied"]
    asyncio.run(prop.case_event(make_case(S, "service"), make_event("close", follow_up_timeout=True)))


def test_paid_repairs_need_the_owners_signature_seed_001_L882(prop):
    with pytest.raises(TransitionVetoed) as veto:
        asyncio.run(
            prop.case_event(make_case(S, "repair.own_unit"), make_event("close", followed_up=True, satisfied=True))
        )
    assert veto.value.missing == ["owner_signed_work_order"]


def test_a_negative_arrival_time_is_a_422_naming_the_field():
    with pytest.raises(PluginConfigError) as err:
        validate_config(S, {"deadlines": {"arrival_minutes": -3}})
    assert err.value.errors == [{"field": "$.deadlines.arrival_minutes", "message": "Expected `int` >= 1, got `-3`"}]
