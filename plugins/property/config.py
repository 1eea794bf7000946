"""The property plugin's tenant config.

Defaults follow rule "C14" (seed 001 L834–L920); rule "C1" (seed 001 L64–L80) differs on the
arrival time (10 minutes) and on minor repairs ("急修不过夜": done the same day) and is offered
as the ``C1`` preset (spec §3.3, S1).
"""

from __future__ import annotations

from typing import Annotated, Literal

from msgspec import Meta, Struct, field

from core.plugin_api import CategoryOverrides, DepartmentCode, RouteEntry

__all__ = ["DEFAULT_ROUTES", "PRESET_C1", "PropertyConfig", "PropertyDeadlines", "PropertyRouting"]

Positive = Annotated[int, Meta(ge=1)]

DEFAULT_ROUTES: dict[str, RouteEntry] = {
    "repair": RouteEntry(lead="maintenance", cooperating=["cs_centre"], source="seed 001 L854, L862, L898"),
    "dispute": RouteEntry(lead="management_office", cooperating=["cs_centre"], source="seed 001 L916"),
    "service": RouteEntry(lead="management_office", source="seed 000 L350 (the director picks the department)"),
}


class PropertyDeadlines(Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    notify_minutes: Positive = 5
    """Notify the maintenance team within 5 minutes of accepting a repair (seed 001 L862, L864)."""
    arrival_minutes: Positive = 15
    """On site within 15 minutes of the work order or urgent call (seed 001 L876; C1: 10, seed 001 L76)."""
    minor_repair_mode: Literal["hours", "same_day"] = "hours"
    """``hours``: target and limit below (seed 001 L878); ``same_day``: "急修不过夜" (C1, seed 001 L76)."""
    minor_target_hours: Positive = 2
    """Minor and urgent repairs: aim for 2 hours (seed 001 L878)."""
    minor_limit_hours: Positive = 24
    """… never more than 24 hours (seed 001 L878)."""
    general_repair_hours: Positive = 72
    """General repairs within 72 hours (seed 001 L878)."""
    large_repair_eta_hours: Positive = 48
    """Large or external repairs: explain and give an ETA within 48 hours (seed 001 L878)."""
    plan_after_days: Positive = 3
    """A repair taking longer needs an approved plan and a daily progress log (seed 001 L908)."""
    other_reply_working_days: Positive = 3
    """Other complaints: reply at the agreed time, at most 3 WD (seed 001 L76)."""
    verify_same_day: bool = True
    """Investigate and verify a complaint the same day (seed 000 L350)."""
    work_order_back_hours: Positive = 24
    """Return the work order within 24 hours of finishing (seed 001 L900)."""
    follow_up_hours: Positive = 72
    """Follow-up visit or call within 72 hours of the work order's return (seed 001 L900)."""
    quality_review_days: Positive = 3
    """Quality disputes: review and proposal within 3 days (seed 001 L920)."""


class PropertyRouting(Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    by_category: dict[str, RouteEntry] = field(default_factory=lambda: dict(DEFAULT_ROUTES))
    large_repair_lead: DepartmentCode = "engineering"
    """Large or difficult repairs go to the engineering department (seed 001 L856)."""


class PropertyConfig(Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    deadlines: PropertyDeadlines = field(default_factory=PropertyDeadlines)
    routing: PropertyRouting = field(default_factory=PropertyRouting)
    arrival_escalation_role: str = "maintenance_supervisor"
    """Who hears first when nobody is on site in time (seed 001 L854; spec S1 level 1 [CFG])."""
    large_compensation_threshold: Annotated[int, Meta(ge=0)] = 1000
    """[CFG] From this amount (CNY) a claim goes to customer service and the GM (seed 001 L918–L920)."""
    close_requires_satisfaction: bool = True
    """Close only when the owner is satisfied or the follow-up timed out (seed 000 L369; cap [CFG])."""
    categories: CategoryOverrides = field(default_factory=CategoryOverrides)


PRESET_C1 = {"deadlines": {"arrival_minutes": 10, "minor_repair_mode": "same_day"}}
"""Rule C1 (seed 001 L76): on site in ten minutes, urgent repairs not left overnight."""
