"""Sector-neutral grounds for not accepting a case (R6), and looking a ground up.

Sector plugins add their own (the petition rules' 不予受理 / 不再受理 grounds, seed 004 L13–15);
these are the ones every organisation has. A ground that implies another body or a legal route
needs the target named, so the notice can tell the complainant where to go (seed 004 L31).
"""

from __future__ import annotations

from collections.abc import Iterable

from core.plugin_types import Ground, Names

__all__ = ["CORE_GROUNDS", "refusal_ground"]


def _g(code: str, zh: str, en: str, *, needs_target: bool = False) -> Ground:
    return Ground(code=code, names=Names(zh, en), needs_target=needs_target, source="core")


CORE_GROUNDS: dict[str, Ground] = {
    g.code: g
    for g in (
        _g("out_of_scope", "不属于本单位职责范围", "Outside this organisation's remit", needs_target=True),
        _g(
            "legal_route",
            "应当通过诉讼、仲裁、行政复议等法定途径解决",
            "Belongs to litigation, arbitration or administrative review",
            needs_target=True,
        ),
        _g("no_substance", "无实质内容或诉求不明确", "No substance or no identifiable demand"),
        _g("duplicate", "同一事项正在办理或已办结", "The same matter is being or has been handled"),
        _g("invalid", "投诉人不具备投诉资格", "The complainant has no standing"),
    )
}


def refusal_ground(code: str, sector_grounds: Iterable[Ground] = ()) -> Ground | None:
    """The ground ``code`` among the sector's grounds (they win) and the core ones."""
    for ground in sector_grounds:
        if ground.code == code:
            return ground
    return CORE_GROUNDS.get(code)
