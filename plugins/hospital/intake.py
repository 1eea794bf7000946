"""Hospital registration checks and acceptance conditions (seed 001 L420–L432)."""

from __future__ import annotations

from core.plugin_api import AcceptanceDecision, CaseView, IntakeDraft, Problem, problem
from plugins.hospital.config import HospitalConfig

__all__ = ["acceptance", "validate"]

PHONE = ("phone", "hotline")


def validate(draft: IntakeDraft) -> list[Problem]:
    """A phone complaint gives a real name, address and contact (seed 001 L424); anonymous
    complaints are allowed and handled under the petition rules (same line)."""
    if draft.channel not in PHONE or draft.anonymous:
        return []
    person = draft.complainant
    problems = []
    for attr, zh, en in (
        ("name", "真实姓名", "real name"),
        ("address", "联系地址", "address"),
        ("contact", "通讯方式", "contact"),
    ):
        if person is None or not getattr(person, attr).strip():
            problems.append(
                problem(
                    f"complainant.{attr}",
                    "required",
                    f"电话投诉应报出{zh}",
                    f"A phone complaint gives the {en} (seed 001 L424)",
                )
            )
    return problems


def acceptance(config: HospitalConfig, case: CaseView) -> AcceptanceDecision | None:
    """Standing, a clear respondent with facts and demands, and a signed transcript of an oral
    complaint (seed 001 L420–L424); missing items are asked for first (seed 001 L432)."""
    if case.anonymous:
        return AcceptanceDecision(decision="staff", reason="匿名投诉按《信访工作条例》等规定办理 (seed 001 L424)")
    if case.extra.get("complainant_role") == "other":
        return AcceptanceDecision(
            decision="refuse", ground="H1", reason="非权益直接受侵害的患者、代理人或职工 (seed 001 L420)"
        )
    missing = [name for name in ("respondent", "demands") if not str(case.extra.get(name) or "").strip()]
    if not case.description.strip():
        missing.append("description")
    if case.channel == "visit" and case.extra.get("transcript_signed") is not True:
        missing.append("transcript_signed")
    if missing:
        return AcceptanceDecision(
            decision="staff", missing=missing, reason="材料不全,通知投诉者补齐后受理 (seed 001 L422–L432)"
        )
    if config.auto_accept:
        return AcceptanceDecision(decision="accept", reason="符合受理条件 (seed 001 L420–L424)")
    return None
