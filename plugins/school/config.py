"""The school plugin's tenant config. The seeds give schools and kindergartens no time limits
(spec §6): every deadline here is a configurable default marked [CFG]."""

from __future__ import annotations

from typing import Annotated

from msgspec import Meta, Struct, field

from core.plugin_api import CategoryOverrides, DepartmentCode, RouteEntry

__all__ = ["DEFAULT_ROUTES", "SchoolConfig", "SchoolDeadlines"]

Positive = Annotated[int, Meta(ge=1)]

CFG = "default [CFG]: seeds silent"

DEFAULT_ROUTES: dict[str, RouteEntry] = {
    "teaching": RouteEntry(lead="academic_affairs", source=CFG),
    "education_quality": RouteEntry(lead="academic_affairs", source=CFG),
    "activities": RouteEntry(lead="student_affairs", source=CFG),
    "campus_order": RouteEntry(lead="security", cooperating=["student_affairs"], source=CFG),
    "hygiene": RouteEntry(lead="general_affairs", source=CFG),
    "management": RouteEntry(lead="complaints_office", source="seed 003 L151"),
    "safety": RouteEntry(lead="investigation_group", cooperating=["security"], source="seed 003 L154"),
    "food_safety": RouteEntry(
        lead="investigation_group", cooperating=["general_affairs"], source="seed 001 L158; seed 003 L154"
    ),
}


class SchoolDeadlines(Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    acknowledge_working_days: Positive = 1
    """[CFG] Acknowledge (受理) within 1 WD — seeds silent."""
    reply_working_days: Positive = 15
    """[CFG] Feed back the result within 15 WD — seeds silent."""
    safety_response_minutes: Positive = 60
    """[CFG] Safety and food-safety matters: start investigating at once (seed 001 L158 "立即");
    "at once" read as within this many minutes."""


class SchoolConfig(Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    deadlines: SchoolDeadlines = field(default_factory=SchoolDeadlines)
    routing: dict[str, RouteEntry] = field(default_factory=lambda: dict(DEFAULT_ROUTES))
    default_lead: DepartmentCode = "complaints_office"
    """The designated complaints office keeps what no row covers (seed 003 L51, L151)."""
    child_name_everywhere: bool = False
    """[CFG] Also require the child's name for school categories; kindergarten complaints always
    record it (seed 003 L153)."""
    food_major_poisoned: Positive = 10
    """Major food-safety incident from this many poisoned (seed 001 L154: "超过10人"); the seed's
    grades disagree (L156: 30), hence configurable."""
    food_major_deaths: Positive = 1
    """… or this many deaths (seed 001 L154–L156)."""
    categories: CategoryOverrides = field(default_factory=CategoryOverrides)
