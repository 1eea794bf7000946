"""The example third-party plugin (examples/casedesk-bank), installed into the venv with
``pip install -e examples/casedesk-bank --no-deps`` and found through its entry point."""

from __future__ import annotations

import ast
import asyncio
import importlib.metadata
from pathlib import Path

import pytest
from plugin_factories import WHEN, make_case, make_event, triggers_of

from core.plugin_api import CaseEventView, TransitionVetoed, trigger_matches

S = "bank"
PACKAGE = Path(__file__).resolve().parents[2] / "examples" / "casedesk-bank" / "casedesk_bank"


def test_the_example_is_discovered_through_the_entry_point_group(pm):
    eps = {ep.name: ep.value for ep in importlib.metadata.entry_points(group="casedesk")}
    assert eps.get(S) == "casedesk_bank", "run: .venv/bin/pip install -e examples/casedesk-bank --no-deps"
    assert pm.get_plugin(S).__name__ == "casedesk_bank"


def test_the_example_imports_nothing_of_core_but_the_plugin_api():
    for path in PACKAGE.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("core"):
                assert node.module == "core.plugin_api", f"{path.name} imports {node.module}"
            if isinstance(node, ast.Import):
                assert not any(a.name.startswith("core") for a in node.names)


@pytest.fixture
def bank(enable):
    return enable(S)


def test_general_complaints_in_3_working_days_seed_001_L1016(bank):
    """Spec S7: general complaint Thu 2026-06-18 → 3 WD."""
    rule = {r.key: r for r in bank.clocks(make_case(S, "general.attitude"))}["reply"]
    assert (rule.amount, rule.unit, rule.start_event, rule.stop_event) == (3, "working_days", "received", "replied")


def test_complex_or_media_complaints_in_up_to_5_working_days_seed_001_L1016(bank, enable):
    assert {r.key: r for r in bank.clocks(make_case(S, "complex.product"))}["reply"].amount == 5
    media = make_case(S, "general.attitude", extra={"media": True})
    assert {r.key: r for r in bank.clocks(media)}["reply"].amount == 5
    three = enable(S, {"complex_working_days": 3})
    assert {r.key: r for r in three.clocks(make_case(S, "complex.product"))}["reply"].amount == 3


def test_media_and_important_complaints_reach_the_leaders_seed_001_L1014_L1016(bank):
    triggers = triggers_of(bank.escalations(make_case(S, "general")))
    assert trigger_matches(triggers["media"], make_case(S, "general", extra={"media": True}))
    assert trigger_matches(triggers["important"], make_case(S, "media", severity="critical"))


def test_reply_also_goes_to_the_forwarding_body_seed_001_L1010_L1016(bank):
    forwarded = make_case(S, "general", channel="transfer-in")
    assert {(n.recipient, n.written) for n in bank.notices(forwarded, make_event("reply"))} == {
        ("complainant", True),
        ("forwarding_body", True),
    }


def test_the_person_complained_about_cannot_handle_it_seed_001_L1014(bank):
    case = make_case(S, "general.attitude", extra={"respondent_staff": "u-7"})
    with pytest.raises(TransitionVetoed) as veto:
        asyncio.run(bank.case_event(case, make_event("assign", assignee="u-7")))
    assert veto.value.plugin == S
    asyncio.run(bank.case_event(case, make_event("assign", assignee="u-8")))


def test_the_person_complained_about_cannot_start_or_answer_it_either_seed_001_L1014(bank):
    case = make_case(S, "general.attitude", extra={"respondent_staff": "王五"})
    for action in ("start", "reply"):
        with pytest.raises(TransitionVetoed) as veto:
            asyncio.run(bank.case_event(case, CaseEventView(action=action, at=WHEN, actor="王五")))
        assert veto.value.missing == ["handler"]
        asyncio.run(bank.case_event(case, CaseEventView(action=action, at=WHEN, actor="赵主任")))


def test_routing_to_the_department_complained_about_seed_001_L1010(bank):
    assert bank.route(make_case(S, "general", extra={"respondent_department": "outlet"})).lead == "outlet"
    assert bank.route(make_case(S, "general")).lead == "operations"
