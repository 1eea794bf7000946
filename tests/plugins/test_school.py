"""School and kindergarten rules, each test naming the seed line (or the [CFG] default) it checks."""

from __future__ import annotations

import asyncio

import pytest
from plugin_factories import make_case, make_draft, make_event, triggers_of

from core.plugin_api import ComplainantDraft, TransitionVetoed, find_category, trigger_matches
from core.plugins import get_sector

S = "school"
PARENT = ComplainantDraft(name="家长", contact="139")


@pytest.fixture
def school(enable):
    return enable(S)


def test_categories_seed_003_L46_L148_seed_001_L136_L158():
    tree = get_sector(S).categories
    for code in ("teaching", "activities", "campus_order", "hygiene"):
        assert find_category(tree, code).source == "seed 003 L46"
    for code in ("management", "education_quality", "safety"):
        assert find_category(tree, code).source == "seed 003 L148"
    assert find_category(tree, "food_safety").source == "seed 001 L136, L158"


def test_childs_name_is_recorded_for_kindergarten_complaints_seed_003_L153(school, enable):
    problems = school.validate_intake(make_draft(S, "safety", complainant=PARENT))
    assert [p.field for p in problems] == ["extra.child_name"]
    assert school.validate_intake(make_draft(S, "safety", complainant=PARENT, extra={"child_name": "小明"})) == []
    assert school.validate_intake(make_draft(S, "teaching", complainant=PARENT)) == []  # a school category
    everywhere = enable(S, {"child_name_everywhere": True})
    assert [p.field for p in everywhere.validate_intake(make_draft(S, "teaching", complainant=PARENT))] == [
        "extra.child_name"
    ]


def test_complainant_name_is_recorded_seed_003_L153(school):
    problems = school.validate_intake(make_draft(S, "teaching", extra={"child_name": "小明"}))
    assert [p.field for p in problems] == ["complainant.name"]


def test_deadlines_are_configurable_defaults_because_the_seeds_are_silent_CFG(school, enable):
    rules = {r.key: r for r in school.clocks(make_case(S, "teaching"))}
    assert (rules["acknowledge"].amount, rules["acknowledge"].unit) == (1, "working_days")
    assert (rules["reply"].amount, rules["reply"].unit) == (15, "working_days")
    assert all(r.source == "default [CFG]: seeds silent" for r in rules.values())
    tuned = enable(S, {"deadlines": {"reply_working_days": 10}})
    assert {r.key: r for r in tuned.clocks(make_case(S, "teaching"))}["reply"].amount == 10


def test_safety_and_food_safety_handled_at_once_seed_001_L158(school):
    rules = {r.key: r for r in school.clocks(make_case(S, "food_safety"))}
    assert rules["safety_response"].unit == "minutes" and "seed 001 L158" in rules["safety_response"].source
    assert "safety_response" not in {r.key for r in school.clocks(make_case(S, "teaching"))}
    t = triggers_of(school.escalations(make_case(S, "safety")))["safety"]
    assert trigger_matches(t, make_case(S, "safety")) and not trigger_matches(t, make_case(S, "hygiene"))


def test_major_food_incident_thresholds_seed_001_L154_L156(school, enable):
    t = triggers_of(school.escalations(make_case(S, "food_safety")))
    assert not trigger_matches(t["food_major_poisoned"], make_case(S, "food_safety", extra={"poisoned_count": 9}))
    assert trigger_matches(t["food_major_poisoned"], make_case(S, "food_safety", extra={"poisoned_count": 10}))
    assert trigger_matches(t["food_major_deaths"], make_case(S, "food_safety", extra={"deaths": 1}))
    assert {a.kind for a in t["food_major_deaths"].actions} >= {"notify_supervisor_body", "mark_supervised"}
    stricter = triggers_of(enable(S, {"food_major_poisoned": 30}).escalations(make_case(S, "food_safety")))
    assert not trigger_matches(
        stricter["food_major_poisoned"], make_case(S, "food_safety", extra={"poisoned_count": 10})
    )


def test_routing_kindergarten_office_and_investigation_group_seed_003_L151_L154(school):
    assert school.route(make_case(S, "safety")).lead == "investigation_group"
    assert school.route(make_case(S, "management")).lead == "complaints_office"
    assert school.route(make_case(S, "teaching")).lead == "academic_affairs"


def test_feedback_gives_result_and_measures_seed_003_L22(school):
    with pytest.raises(TransitionVetoed) as veto:
        asyncio.run(school.case_event(make_case(S, "hygiene"), make_event("reply", result="已整改")))
    assert veto.value.missing == ["measures"]
    notices = school.notices(make_case(S, "hygiene"), make_event("reply"))
    assert [n.template for n in notices] == ["school/feedback"]
