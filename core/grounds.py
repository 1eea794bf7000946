"""Sector-neutral grounds for not accepting a case (R6).

Sector plugins add their own (e.g. the petition rules' 不予受理 / 不再受理 grounds); these are
the ones every organisation has. A ground that implies another body or a legal route needs
the target named, so the notice can tell the complainant where to go.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CORE_GROUNDS", "Ground", "refusal_ground"]


@dataclass(frozen=True, slots=True)
class Ground:
    code: str
    zh_cn: str
    en: str
    kind: str = "not_accepted"  # or "no_longer_accepted"
    needs_target: bool = False


CORE_GROUNDS: dict[str, Ground] = {
    g.code: g
    for g in (
        Ground("out_of_scope", "不属于本单位职责范围", "Outside this organisation's remit", needs_target=True),
        Ground(
            "legal_route",
            "应当通过诉讼、仲裁、行政复议等法定途径解决",
            "Belongs to litigation, arbitration or administrative review",
            needs_target=True,
        ),
        Ground("no_substance", "无实质内容或诉求不明确", "No substance or no identifiable demand"),
        Ground("duplicate", "同一事项正在办理或已办结", "The same matter is being or has been handled"),
        Ground("invalid", "投诉人不具备投诉资格", "The complainant has no standing"),
    )
}


def refusal_ground(code: str, extra: dict[str, Ground] | None = None) -> Ground | None:
    """Look a ground up among the core ones and ``extra`` (the tenant's sector grounds)."""
    if extra and code in extra:
        return extra[code]
    return CORE_GROUNDS.get(code)
