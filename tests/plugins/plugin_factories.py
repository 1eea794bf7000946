"""Factories for plugin-test inputs (imported by the tests and by conftest.py)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from core.plugin_api import CaseEventView, CaseView, EscalationLadder, EscalationTrigger, IntakeDraft

WHEN = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def make_case(sector: str, category: str, **kw: Any) -> CaseView:
    kw.setdefault("received_at", WHEN)
    kw.setdefault("id", "case-1")
    return CaseView(sector=sector, category=category, **kw)


def make_draft(sector: str, category: str, **kw: Any) -> IntakeDraft:
    kw.setdefault("received_at", WHEN)
    kw.setdefault("channel", "web")
    kw.setdefault("subject", "subject")
    kw.setdefault("description", "description")
    return IntakeDraft(sector=sector, category=category, **kw)


def make_event(action: str, **data: Any) -> CaseEventView:
    return CaseEventView(action=action, at=WHEN, data=data)


def triggers_of(rules: list[Any]) -> dict[str, Any]:
    """Escalation triggers by key (ladders left out)."""
    return {r.key: r for r in rules if isinstance(r, EscalationTrigger)}


def ladders_of(rules: list[Any]) -> dict[str, Any]:
    """Escalation ladders by clock key."""
    return {r.clock_key: r for r in rules if isinstance(r, EscalationLadder)}
