"""The case lifecycle: which action moves a case from which status to which, and who may do it.

    registered → accepted | not_accepted (ground + written notice) | transferred (to another
    body, awaiting its reply-back) | replied (answered on the spot)
    accepted → assigned (lead + cooperating departments; 交办) | in_progress | transferred
    assigned → in_progress | assigned (re-assignment)
    in_progress → replied (办结) | transferred
    transferred → closed (on the receiving body's reply-back)
    replied → closed (after 回访 or its timeout) | reopened (review request / dissatisfied)
    closed → reopened | archived;  not_accepted → archived
    reopened → assigned | in_progress

This module is pure data and functions: no I/O, so the table is easy to read, test and document.
Plugins may veto or enrich a transition; they never add states.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "ACTIONS",
    "STATUSES",
    "TRANSITIONS",
    "Transition",
    "allowed_actions",
    "may_perform",
]

STATUSES = (
    "registered",
    "accepted",
    "not_accepted",
    "transferred",
    "assigned",
    "in_progress",
    "replied",
    "closed",
    "reopened",
    "archived",
)

CHANNELS = ("web", "phone", "letter", "visit", "email", "hotline", "api", "transfer-in")

MANAGERS = frozenset({"tenant_admin", "supervisor"})
WORKERS = frozenset({"tenant_admin", "supervisor", "handler"})


@dataclass(frozen=True, slots=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str
    roles: frozenset[str]
    """Roles allowed to perform the action (auditors are read-only: they appear nowhere)."""
    department_bound: bool = False
    """A handler may perform it only on cases their department leads or cooperates on."""


def _t(action: str, sources: set[str], target: str, roles: frozenset[str], bound: bool = False) -> Transition:
    return Transition(action, frozenset(sources), target, roles, bound)


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        _t("accept", {"registered"}, "accepted", MANAGERS),
        _t("not_accept", {"registered"}, "not_accepted", MANAGERS),
        _t("transfer", {"registered", "accepted", "in_progress"}, "transferred", MANAGERS),
        _t("assign", {"accepted", "assigned", "reopened"}, "assigned", MANAGERS),
        _t("start", {"accepted", "assigned", "reopened"}, "in_progress", WORKERS, bound=True),
        _t("reply", {"registered", "in_progress"}, "replied", WORKERS, bound=True),
        _t("close", {"replied", "transferred"}, "closed", MANAGERS),
        _t("reopen", {"replied", "closed"}, "reopened", MANAGERS),
        _t("archive", {"closed", "not_accepted"}, "archived", MANAGERS),
    )
}
ACTIONS = tuple(TRANSITIONS)


def allowed_actions(status: str) -> list[str]:
    """Actions whose source set contains ``status``, in lifecycle order."""
    return [a for a, t in TRANSITIONS.items() if status in t.sources]


def may_perform(action: str, roles: frozenset[str]) -> bool:
    return bool(TRANSITIONS[action].roles & roles)
