"""The petition plugin's tenant config: every number a bureau may tune, with its source.

Statutory periods are marked [EXT]: they come from the State Council 《信访条例》 (2005,
Art. 18, 21–22, 33–35; limits kept by the 2022 《信访工作条例》 — verify against the official
text), not from the seeds, and are configurable defaults.
"""

from __future__ import annotations

from typing import Annotated

from msgspec import Meta, Struct, field

from core.plugin_api import CategoryOverrides, DepartmentCode, RouteEntry

__all__ = ["DEFAULT_ROUTES", "DEFAULT_TERRITORIES", "GovDeadlines", "GovPetitionConfig", "GovRouting"]

Positive = Annotated[int, Meta(ge=1)]

# 归口: city departments by subject (seed 004 L59); the subject → department pairs are [CFG].
DEFAULT_ROUTES: dict[str, RouteEntry] = {
    "land_housing": RouteEntry(lead="housing"),
    "land_housing.expropriation": RouteEntry(lead="natural_resources", cooperating=["housing"]),
    "labour": RouteEntry(lead="hrss"),
    "urban": RouteEntry(lead="urban_management"),
    "environment": RouteEntry(lead="ecology"),
    "public_order": RouteEntry(lead="public_security", source="seed 004 L119, L127"),
    "health": RouteEntry(lead="health", source="seed 004 L121"),
    "education": RouteEntry(lead="education"),
    "civil_affairs": RouteEntry(lead="civil_affairs"),
    "rural": RouteEntry(lead="agriculture"),
    "accusation": RouteEntry(lead="discipline"),
}

# 属地管理: county or district code → its petition office (seed 004 L19, L57); codes [CFG].
DEFAULT_TERRITORIES: dict[str, str] = {
    "county_a": "county_a_petition_office",
    "county_b": "county_b_petition_office",
}


class GovRouting(Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    by_category: dict[str, RouteEntry] = field(default_factory=lambda: dict(DEFAULT_ROUTES))
    """Subject category → city department (归口, seed 004 L59). Longest category prefix wins."""
    territories: dict[str, DepartmentCode] = field(default_factory=lambda: dict(DEFAULT_TERRITORIES))
    """County/district code → its petition office department (seed 004 L57)."""
    default_lead: DepartmentCode = "reception"
    """Who keeps a matter no row covers: the reception office decides (seed 004 L47)."""


class GovDeadlines(Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    objection_working_days: Positive = 3
    """A receiving unit may object to a transfer/assignment within 3 WD of receipt (seed 004 L67)."""
    leader_reading_working_days: Positive | None = 3
    """The main leader signs 阅批 by the 3rd working day after the visit (seed 002 L83); None: off."""
    statutory: bool = True
    """Run the [EXT] statutory clocks below."""
    acceptance_days: Positive = 15
    """[EXT] 《信访条例》 Art. 21–22: decide acceptance (in writing) within 15 days."""
    handling_days: Positive = 60
    """[EXT] Art. 33: handle within 60 days of acceptance."""
    extension_days: Annotated[int, Meta(ge=0)] = 30
    """[EXT] Art. 33: one extension of at most 30 days, reason told."""
    review_request_days: Positive = 30
    """[EXT] Art. 34–35: 复查/复核 may be requested within 30 days of the opinion."""
    review_opinion_days: Positive = 30
    """[EXT] Art. 34–35: the review opinion within 30 days of the request."""
    lapse_margin_days: Annotated[int, Meta(ge=0, le=30)] = 10
    """[CFG] A late review request is refused (NA2) automatically only when it is later than the
    window plus this margin — the plugin has no holiday calendar, so a request just after a
    window that may have rolled over a holiday goes to staff with NA2 suggested."""


class GovPetitionConfig(Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    collective_threshold: Annotated[int, Meta(ge=2)] = 5
    """[CFG] 集体访 from this many people (seed 004 L37 names the class, not the number; spec R9)."""
    large_scale_threshold: Annotated[int, Meta(ge=2)] = 50
    """[CFG] 大规模集体访 — joint reception with the summoned units (seed 004 L49)."""
    representatives_max: Positive = 5
    """[EXT] 《信访条例》 Art. 18: at most 5 representatives for a collective visit."""
    routing: GovRouting = field(default_factory=GovRouting)
    deadlines: GovDeadlines = field(default_factory=GovDeadlines)
    closure_checklist: list[str] = field(
        default_factory=lambda: ["unit_seal", "leader_signature", "petitioner_opinion"]
    )
    """Closing needs the unit's seal, the responsible leader's signature and the petitioner's
    signed opinion (seed 004 L63, L93)."""
    categories: CategoryOverrides = field(default_factory=CategoryOverrides)

    def __post_init__(self) -> None:
        if self.large_scale_threshold <= self.collective_threshold:
            raise ValueError("large_scale_threshold must be greater than collective_threshold")
