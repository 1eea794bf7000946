"""Where a petition goes and how: 属地管理 / 归口 routing, 转送 versus 交办 (seed 004 L57–L61).

Pure functions over the case and the tenant's config, shared by the routing and notice hooks.
"""

from __future__ import annotations

from typing import Literal

from msgspec import Struct

from core.plugin_api import CaseView, lookup_by_category
from plugins.gov_petition.config import GovPetitionConfig

__all__ = ["ASSIGN_CONDITIONS", "Dispatch", "dispatch"]

ASSIGN_CONDITIONS: tuple[tuple[str, str], ...] = (
    ("leader_instruction", "seed 004 L61 (1)"),
    ("should_have_been_solved", "seed 004 L61 (2)"),
    ("mass_incident_risk", "seed 004 L61 (3)"),
    ("county_opinion_improper", "seed 004 L61 (4)"),
    ("feedback_required", "seed 004 L61 (5)"),
)
"""Any one of these turns a transfer (转送) into an assignment (交办) with a set date and a
completion report (附件5)."""


class Dispatch(Struct, frozen=True, kw_only=True):
    """How a petition leaves the reception office."""

    mode: Literal["transfer", "assign"]
    lead: str
    cooperating: list[str] = []
    cc: list[str] = []
    """Copied (抄送), not cooperating: the county petition office on a county transfer."""
    reasons: list[str] = []


def dispatch(case: CaseView, config: GovPetitionConfig) -> Dispatch:
    """The target and the mode for ``case``.

    * A matter of a county or district goes down to its competent body, copied to the county
      petition office; with many demands or no known competent body, to that office itself
      (seed 004 L57, 属地管理 L19).
    * Otherwise a city department by subject (归口, seed 004 L59), else the reception office.
    * 交办 when any condition of seed 004 L61 holds, else 转送.
    """
    routing = config.routing
    extra = case.extra
    reasons: list[str] = []
    cooperating: list[str] = []
    cc: list[str] = []
    office = routing.territories.get(str(extra.get("territory") or ""))
    if office is not None:
        body = str(extra.get("county_body") or "")
        if body and not extra.get("many_demands"):
            lead, cc = body, [office]
            reasons.append("属地: county body, copied to the county petition office (seed 004 L57)")
        else:
            lead = office
            reasons.append("属地: county petition office, competent body unclear or many demands (seed 004 L57)")
    else:
        entry = lookup_by_category(routing.by_category, case.category)
        if entry is not None:
            lead, cooperating = entry.lead, [c for c in entry.cooperating if c != entry.lead]
            reasons.append(f"归口: {case.category} → {entry.lead} (seed 004 L59)")
        else:
            lead = routing.default_lead
            reasons.append("no routing row: the reception office decides (seed 004 L47)")
    assign = [source for flag, source in ASSIGN_CONDITIONS if extra.get(flag) is True]
    if assign:
        reasons.append("交办: " + "; ".join(assign))
    return Dispatch(mode="assign" if assign else "transfer", lead=lead, cooperating=cooperating, cc=cc, reasons=reasons)
