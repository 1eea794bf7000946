"""The bank plugin's tenant config."""

from __future__ import annotations

from typing import Annotated

from msgspec import Meta, Struct, field

from core.plugin_api import CategoryOverrides

__all__ = ["BankConfig"]


class BankConfig(Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    general_working_days: Annotated[int, Meta(ge=1)] = 3
    """General complaints answered within 3 WD of receipt (seed 001 L1016)."""
    complex_working_days: Annotated[int, Meta(ge=3, le=5)] = 5
    """Complex or major (media) complaints: 3–5 WD (seed 001 L1016); the top of the range [CFG]."""
    leaders_role: str = "branch_leader"
    """Who hears of important complaints at once (seed 001 L1014)."""
    categories: CategoryOverrides = field(default_factory=CategoryOverrides)
