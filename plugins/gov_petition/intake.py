"""Registration checks and the acceptance decision for petitions (seed 004 L13–L15, L27, L41).

The plugin decides only what the registered facts settle — a concluded re-review (NA1), a
review request clearly out of time without a reason (NA2), a matter already in a legal route
(NR2) or with a competent body (NR3). Everything else is for the reception staff: the rules
call for judgement ("依法應當", "無實質性內容") the data cannot carry.
"""

from __future__ import annotations

import datetime as dt

from core.plugin_api import AcceptanceDecision, CaseView, IntakeDraft, Problem, problem
from plugins.gov_petition.config import GovPetitionConfig

__all__ = ["acceptance", "validate"]

LEGAL_ROUTES = {
    "litigation": "诉讼 / litigation",
    "arbitration": "仲裁 / arbitration",
    "administrative_reconsideration": "行政复议 / administrative reconsideration",
}


def validate(config: GovPetitionConfig, draft: IntakeDraft) -> list[Problem]:
    """What the registration form must hold beyond the declared field types."""
    extra = draft.extra
    problems: list[Problem] = []
    if draft.channel == "visit":
        person = draft.complainant
        if draft.anonymous or person is None or not person.name.strip():
            problems.append(
                problem(
                    "complainant.name",
                    "required",
                    "来访登记须填写来访人基本情况",
                    "A visit is registered with the visitor's details (seed 004 L27)",
                )
            )
        elif not (person.contact.strip() or person.address.strip()):
            problems.append(
                problem(
                    "complainant.contact",
                    "required",
                    "请填写通信地址或联系方式",
                    "Give a postal address or contact (seed 004 L27)",
                )
            )
    if extra.get("first_visit") is True and extra.get("has_prior_opinion") is True:
        problems.append(
            problem(
                "extra.first_visit",
                "inconsistent",
                "初访事项不应已有信访事项处理意见",
                "A first visit cannot already have a handling opinion (seed 004 L27)",
            )
        )
    if extra.get("skip_level") is True and not str(extra.get("skip_level_reason") or "").strip():
        problems.append(
            problem(
                "extra.skip_level_reason",
                "required",
                "越级访须记录原因",
                "Record why the visit skipped a level (seed 004 L41)",
            )
        )
    territory = extra.get("territory")
    if territory and territory not in config.routing.territories:
        problems.append(
            problem(
                "extra.territory",
                "unknown",
                f"未知的县区 {territory}",
                f"Unknown county or district {territory!r} (seed 004 L57)",
            )
        )
    if extra.get("review_status") == "opinion_received" and not extra.get("opinion_received_on"):
        problems.append(
            problem(
                "extra.opinion_received_on",
                "required",
                "请填写收到处理意见的日期",
                "Give the date the opinion was received (seed 004 L15)",
            )
        )
    return problems


def _date(value: object) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def acceptance(config: GovPetitionConfig, case: CaseView) -> AcceptanceDecision:
    extra = case.extra
    status = extra.get("review_status")
    if status == "review_concluded":
        return AcceptanceDecision(decision="refuse", ground="NA1", reason="复核终结 (seed 004 L15 (1))")
    opinion = _date(extra.get("opinion_received_on"))
    if status == "opinion_received" and opinion is not None:
        d = config.deadlines
        late = (case.received_at.date() - opinion).days - d.review_request_days
        if late > 0:
            if str(extra.get("late_reason") or "").strip():
                return AcceptanceDecision(
                    decision="staff",
                    ground="NA2",
                    reason="late review request with a stated reason: staff judge it (seed 004 L15 (2))",
                )
            if late > d.lapse_margin_days:
                return AcceptanceDecision(
                    decision="refuse",
                    ground="NA2",
                    reason=f"review requested {late} days after the window (seed 004 L15 (2))",
                )
            return AcceptanceDecision(
                decision="staff",
                ground="NA2",
                reason="review window may have lapsed; check it against the calendar (seed 004 L15 (2))",
            )
    route = extra.get("legal_route")
    if route in LEGAL_ROUTES:
        return AcceptanceDecision(
            decision="refuse", ground="NR2", target=LEGAL_ROUTES[route], reason="法定途径 (seed 004 L13 (2), L31)"
        )
    body = str(extra.get("handled_by") or "").strip()
    if body:
        return AcceptanceDecision(
            decision="refuse", ground="NR3", target=body, reason="有权处理的机关已经受理或正在办理 (seed 004 L13 (3))"
        )
    return AcceptanceDecision(decision="staff", reason="接谈后由接待人员决定 (seed 004 L37–L47)")
