"""A tiny sector plugin for the deadline tests: one rule per scenario, nothing else.

Registered on the process-wide plugin manager by :func:`install` (a module-scoped fixture in the
tests, removed afterwards), so clocks reach the engine through the real plugin path: a tenant enables the
sector, the hooks answer, the core starts the clocks.
"""

from __future__ import annotations

from collections.abc import Iterator

from core.plugin_api import (
    AppliesTo,
    Category,
    ClockRule,
    Duration,
    EscalationLadder,
    EscalationLevel,
    Names,
    Sector,
    TenantContext,
    hookimpl,
    mark_supervised,
    notify_role,
    raise_priority,
)
from core.plugin_io import CaseView

KEY = "deadline_lab"
SECTOR = Sector(
    key=KEY,
    names=Names("时限实验", "Deadline lab"),
    categories=[
        Category(code="repair", names=Names("报修", "Repair")),
        Category(code="general", names=Names("一般", "General")),
    ],
)


def _rule(key: str, **kw: object) -> ClockRule:
    return ClockRule(key=key, names=Names(f"规则{key}", f"Rule {key}"), source="deadline lab", **kw)  # type: ignore[arg-type]


RULES = [
    # S1: the repairer must arrive within 15 minutes of the work order (001 L876).
    _rule("arrival", amount=15, unit="minutes", start_event="work_order_issued", stop_event="arrived"),
    # S21: 15 working days from receipt [CFG].
    _rule("reply_wd", amount=15, unit="working_days", start_event="received", stop_event="replied"),
    # S19: a 7-day acceptance clock, continuing or restarting after a pause (001 L430-432).
    _rule("acceptance7", amount=7, unit="calendar_days", start_event="received", stop_event="accepted"),
    _rule("acceptance7r", amount=7, unit="calendar_days", start_event="received", stop_event="accepted",
          on_resume="restart"),
    # S6: reply in 30 days, complex cases up to 60 (001 L442); warn 5 days ahead.
    _rule("handling", amount=30, unit="calendar_days", start_event="accepted", stop_event="replied",
          extension_cap=Duration(30, "calendar_days"), warn_before=Duration(5, "calendar_days")),
    # S20: statutory 60 days + one extension of at most 30 [EXT].
    _rule("statutory_handling", amount=60, unit="calendar_days", start_event="accepted", stop_event="replied",
          roll_forward=True, statutory=True, extension_cap=Duration(30, "calendar_days")),
    # applies_to: only critical cases get this clock.
    _rule("critical_only", amount=1, unit="hours", start_event="received", stop_event="accepted",
          applies_to=AppliesTo(severities=["critical"])),
    # A window without a stop event: lapses (004 L67).
    _rule("objection_window", amount=3, unit="working_days", start_event="signed_for"),
    # The complainant's review window outlives the closure (004 L15) [EXT: 30 days].
    _rule("review_window", amount=30, unit="calendar_days", start_event="opinion_received",
          stop_event="review_requested", roll_forward=True),
]

LADDERS = [
    EscalationLadder(
        clock_key="arrival",
        source="deadline lab (001 L848-856)",
        levels=[
            EscalationLevel(relative="before_due", offset_amount=5, offset_unit="minutes",
                            actions=[notify_role("dispatcher")]),
            EscalationLevel(relative="at_due", actions=[notify_role("maintenance_supervisor")]),
            EscalationLevel(relative="after_due", offset_amount=30, offset_unit="minutes",
                            actions=[raise_priority, mark_supervised]),
        ],
    )
]


class DeadlineLab:
    """The plugin object (hooks as methods, like any pluggy plugin class instance)."""

    @hookimpl
    def casedesk_sectors(self) -> Sector:
        return SECTOR

    @hookimpl
    def casedesk_clocks(self, tenant: TenantContext, case: CaseView) -> list[ClockRule]:
        return list(RULES)

    @hookimpl
    def casedesk_escalations(self, tenant: TenantContext, case: CaseView) -> list[EscalationLadder]:
        return list(LADDERS)


def install() -> Iterator[str]:
    """Install the lab sector for the tests of one module (use from a module-scoped fixture)."""
    from core.plugins import get_plugin_manager

    pm = get_plugin_manager()
    plugin = DeadlineLab()
    pm.register(plugin, name=KEY)
    try:
        yield KEY
    finally:
        pm.unregister(plugin)
