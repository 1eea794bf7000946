"""The public plugin API: the one module a sector plugin imports.

    from core.plugin_api import hookimpl, Sector, Category, Names, ClockRule, ...

It holds the hook markers, the data types hooks take and return, the errors a plugin may
raise, and the table-driven helpers (routing by category, rule applicability, trigger
evaluation, intake-field checks, notice rules) so that no plugin re-implements them. A plugin
never imports tables, controllers or any other part of ``core``; everything it needs is here
and is covered by the hook reference (``docs/hook_reference.md``).

A plugin package registers itself through the ``casedesk`` entry-point group::

    [project.entry-points.casedesk]
    bank = "casedesk_bank"
"""

from __future__ import annotations

import inspect
from typing import Any

import pluggy

from core.plugin_categories import CategoryAddition, CategoryOverrides, NamesPatch, effective_categories
from core.plugin_errors import TransitionVetoed
from core.plugin_io import (
    AcceptanceDecision,
    CaseEventView,
    CaseView,
    ComplainantDraft,
    IntakeDraft,
    NoticeRequest,
    Problem,
    ReportPeriod,
    Route,
    TenantContext,
)
from core.plugin_rules import (
    WRITTEN_CHANNELS,
    applicable,
    applies,
    check_intake_fields,
    clock,
    count_section,
    find_category,
    in_subtree,
    iter_categories,
    lookup_by_category,
    notices_from_rules,
    problem,
    require_checklist,
    trigger,
    trigger_matches,
)
from core.plugin_types import (
    CLOCK_EVENTS,
    SEVERITIES,
    UNITS,
    Action,
    AppliesTo,
    Category,
    Choice,
    ClockRule,
    DepartmentCode,
    DepartmentSeed,
    Duration,
    EscalationLadder,
    EscalationLevel,
    EscalationTrigger,
    Ground,
    IntakeField,
    Names,
    NoConfig,
    NoticeRule,
    Preset,
    RoleSeed,
    RouteEntry,
    Sector,
)

__all__ = [
    "CLOCK_EVENTS",
    "PROJECT",
    "SEVERITIES",
    "UNITS",
    "WRITTEN_CHANNELS",
    "AcceptanceDecision",
    "Action",
    "AppliesTo",
    "CaseEventView",
    "CaseView",
    "Category",
    "CategoryAddition",
    "CategoryOverrides",
    "Choice",
    "ClockRule",
    "ComplainantDraft",
    "DepartmentCode",
    "DepartmentSeed",
    "Duration",
    "EscalationLadder",
    "EscalationLevel",
    "EscalationTrigger",
    "Ground",
    "IntakeDraft",
    "IntakeField",
    "Names",
    "NamesPatch",
    "NoConfig",
    "NoticeRequest",
    "NoticeRule",
    "Preset",
    "Problem",
    "ReportPeriod",
    "RoleSeed",
    "Route",
    "RouteEntry",
    "Sector",
    "TenantContext",
    "TransitionVetoed",
    "applicable",
    "applies",
    "await_me_maybe",
    "check_intake_fields",
    "clock",
    "count_section",
    "effective_categories",
    "find_category",
    "hookimpl",
    "hookspec",
    "in_subtree",
    "iter_categories",
    "lookup_by_category",
    "mark_supervised",
    "notices_from_rules",
    "notify_department_head",
    "notify_role",
    "notify_supervisor_body",
    "problem",
    "raise_priority",
    "reassign_upward",
    "require_checklist",
    "set_flag",
    "trigger",
    "trigger_matches",
]

PROJECT = "casedesk"
hookspec = pluggy.HookspecMarker(PROJECT)
"""Marks a hook specification in :mod:`core.hookspecs` (core only)."""
hookimpl = pluggy.HookimplMarker(PROJECT)
"""Marks a plugin function as the implementation of the hook of the same name."""


# Escalation actions, spelled the way the rule tables read.
def notify_role(role: str) -> Action:
    """Notify whoever holds the position ``role`` (``duty_leader``, ``maintenance_supervisor``…)."""
    return Action(kind="notify_role", role=role)


def set_flag(flag: str) -> Action:
    """Mark the case (``collective``, ``interview_required``…): reports and rules read flags."""
    return Action(kind="set_flag", flag=flag)


notify_department_head = Action(kind="notify_department_head")
notify_supervisor_body = Action(kind="notify_supervisor_body")
raise_priority = Action(kind="raise_priority")
mark_supervised = Action(kind="mark_supervised")
reassign_upward = Action(kind="reassign_upward")


async def await_me_maybe(value: Any) -> Any:
    """Await ``value`` if a hook returned an awaitable (datasette's idiom), else return it."""
    if callable(value):
        value = value()
    if inspect.isawaitable(value):
        value = await value
    return value
