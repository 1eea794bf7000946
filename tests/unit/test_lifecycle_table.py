"""The lifecycle table itself: every status reachable, terminal states, role matrix."""

from __future__ import annotations

from core.cases import STATUSES, TRANSITIONS, allowed_actions, may_perform


def test_every_status_is_reachable_from_registered():
    reached, frontier = {"registered"}, ["registered"]
    while frontier:
        status = frontier.pop()
        for action in allowed_actions(status):
            target = TRANSITIONS[action].target
            if target not in reached:
                reached.add(target)
                frontier.append(target)
    assert reached == set(STATUSES)


def test_archived_is_terminal_and_not_accepted_only_archives():
    assert allowed_actions("archived") == []
    assert allowed_actions("not_accepted") == ["archive"]


def test_auditors_can_do_nothing_and_handlers_only_work():
    assert not any(may_perform(a, frozenset({"auditor"})) for a in TRANSITIONS)
    assert {a for a in TRANSITIONS if may_perform(a, frozenset({"handler"}))} == {"start", "reply"}
    assert all(may_perform(a, frozenset({"tenant_admin"})) for a in TRANSITIONS)


def test_reopen_comes_only_after_a_reply():
    assert TRANSITIONS["reopen"].sources == {"replied", "closed"}
