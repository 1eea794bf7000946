"""What hooks receive (tenant, draft, case, event, period) and what they return.

Hook inputs are snapshots the core builds from its rows: a plugin decides from them alone
and never reaches back into the database, which keeps every hook a pure, testable function.
Hook outputs are small value objects the core validates and turns into rows, clocks, notices
and answers. Plugins import these names from :mod:`core.plugin_api`.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, Literal

from msgspec import Struct

from core.plugin_types import Names, Severity

__all__ = [
    "AcceptanceDecision",
    "CaseEventView",
    "CaseView",
    "ComplainantDraft",
    "IntakeDraft",
    "NoticeRequest",
    "Problem",
    "ReportPeriod",
    "Route",
    "TenantContext",
]

_RECIPIENT = re.compile(r"^(complainant|forwarding_body|(role|department):[\w.\-{}]+)$")


class TenantContext(Struct, frozen=True, kw_only=True):
    """The tenant a hook runs for.

    ``config`` is *this plugin's* effective config (its defaults merged with the tenant's
    overrides, already validated): the host hands each plugin its own copy, so a plugin reads
    ``tenant.config.deadlines.notify_minutes`` without knowing about other plugins.
    """

    id: str
    slug: str
    name: str
    timezone: str = "Asia/Shanghai"
    locale: str = "zh-CN"
    config: Any = None


class ComplainantDraft(Struct, frozen=True, kw_only=True):
    name: str = ""
    contact: str = ""
    id_number: str = ""
    address: str = ""


class IntakeDraft(Struct, frozen=True, kw_only=True):
    """A case about to be registered, as the complainant or the registrar entered it."""

    sector: str
    category: str
    channel: str
    subject: str
    description: str
    received_at: datetime
    complainant: ComplainantDraft | None = None
    anonymous: bool = False
    confidential: bool = False
    group_size: int = 1
    location: str = ""
    severity: Severity = "normal"
    extra: dict[str, Any] = {}


class CaseView(Struct, frozen=True, kw_only=True):
    """A registered case as plugins see it.

    ``lead_department`` and ``cooperating_departments`` are department *codes*.
    ``receptions`` is how many times the matter has been received (visits, calls, letters on
    the same matter, R8); ``flags`` are markers set by staff or escalations (``collective``,
    ``repeat``, ``skip_level``, ``interview_required``, ``supervised``…).
    """

    id: str
    sector: str
    category: str
    received_at: datetime
    number: int = 0
    tracking_code: str = ""
    channel: str = "web"
    subject: str = ""
    description: str = ""
    severity: Severity = "normal"
    status: str = "registered"
    anonymous: bool = False
    confidential: bool = False
    group_size: int = 1
    location: str = ""
    extra: dict[str, Any] = {}
    complainant: ComplainantDraft | None = None
    lead_department: str | None = None
    cooperating_departments: list[str] = []
    created_at: datetime | None = None
    receptions: int = 1
    flags: list[str] = []

    def departments_involved(self) -> int:
        """Lead plus distinct cooperating departments (what "涉及两个以上科室" counts)."""
        codes = {c for c in self.cooperating_departments if c}
        if self.lead_department:
            codes.add(self.lead_department)
        return len(codes)


class CaseEventView(Struct, frozen=True, kw_only=True):
    """A lifecycle event: ``action`` is the core action (``register``, ``accept``,
    ``not_accept``, ``transfer``, ``assign``, ``start``, ``reply``, ``close``, ``reopen``,
    ``archive``) or a recorded fact (``classify_major``, ``visit``…); ``data`` its details."""

    action: str
    at: datetime
    actor: str = "system"
    data: dict[str, Any] = {}
    case_id: str | None = None


class ReportPeriod(Struct, frozen=True, kw_only=True):
    """A reporting period with the cases received in it (already scoped to the tenant)."""

    start: datetime
    end: datetime
    cases: list[CaseView] = []
    events: list[CaseEventView] = []


class Problem(Struct, frozen=True, kw_only=True):
    """One intake problem: ``field`` is the path the client sent (``extra.demands``)."""

    field: str
    code: str
    message: Names


class AcceptanceDecision(Struct, frozen=True, kw_only=True):
    """``accept``; ``refuse`` with a ``ground`` code (and ``target`` when the ground needs one);
    or ``staff``: a person decides — ``ground`` may then suggest one and ``missing`` lists the
    materials to ask for first (001 L432)."""

    decision: Literal["accept", "refuse", "staff"]
    ground: str | None = None
    target: str | None = None
    reason: str = ""
    missing: list[str] = []

    def __post_init__(self) -> None:
        if self.decision == "refuse" and not self.ground:
            raise ValueError("a refusal needs a ground")


class Route(Struct, frozen=True, kw_only=True):
    """Lead department code, cooperating department codes, and why (with the seed line)."""

    lead: str
    cooperating: list[str] = []
    reason: str = ""

    def __post_init__(self) -> None:
        if not self.lead:
            raise ValueError("a route needs a lead department")
        if self.lead in self.cooperating:
            raise ValueError("the lead department cannot also cooperate")


class NoticeRequest(Struct, frozen=True, kw_only=True):
    """A notice to queue. ``recipient``: ``complainant``, ``forwarding_body``,
    ``role:<code>`` or ``department:<code>``; ``channel`` ``None`` means the intake channel;
    ``template`` is ``<sector>/<name>`` under ``templates/notices/``; ``written`` asks for a
    letter (numbered, sealed) rather than a message."""

    event: str
    recipient: str
    template: str
    channel: str | None = None
    written: bool = False

    def __post_init__(self) -> None:
        if not _RECIPIENT.match(self.recipient):
            raise ValueError(f"bad recipient {self.recipient!r}")
