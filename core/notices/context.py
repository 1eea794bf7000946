"""The template context contract: every variable a notice or letter template may use.

This struct is the one place the lead's outbox code and the template authors (built-in and
tenant) meet. The core fills it from the database; templates read it; ``sample_context``
fills it with realistic values so a tenant's draft can be previewed, and the unit tests render
every built-in template with those samples under ``StrictUndefined``, so a template that uses
a variable not declared here fails the suite instead of a complainant's letter.

Conventions:

* Texts are already in the notice's locale (the core picks ``names[locale]`` from plugin data).
* Datetimes are timezone-aware (UTC is fine); templates show them in ``timezone`` through the
  ``date`` / ``datetime`` / ``deadline`` filters. A due time of 00:00 local is shown as 24:00 of
  the day before, which is how statutory deadlines are stated.
* Optional fields are ``None`` (or empty lists) when they do not apply; templates test for them.
* R26 (confidentiality): the core must leave ``complainant_name`` / ``recipient_address`` empty
  for recipients not entitled to them (the accused's department, an anonymous case).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

import msgspec

__all__ = ["LOCALES", "TIME_UNITS", "Letterhead", "NoticeContext"]

LOCALES = ("zh-CN", "en")
_DATA_IMAGE = re.compile(r"^data:image/(png|jpeg|gif|webp|svg\+xml);base64,[A-Za-z0-9+/=\s]+$")
TIME_UNITS = ("minutes", "hours", "working_hours", "calendar_days", "working_days", "same_day")


class NoticeContext(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Variables available to notice and letter templates (plus ``locale``, ``letterhead``)."""

    # -- the issuing organisation and the recipient ------------------------------------------
    tenant_name: str
    """Name of the issuing body (信访局, 医院, 物业公司)."""
    tenant_phone: str | None = None
    tenant_address: str | None = None
    tenant_hours: str | None = None
    """Reception hours as a sentence, e.g. "工作日 8:30–11:30、14:30–17:00"."""
    portal_url: str | None = None
    """Public page where the complainant looks the case up with tracking code + PIN."""
    timezone: str = "Asia/Shanghai"
    recipient_name: str | None = None
    """Addressee (person or body); letters open with it."""
    recipient_address: str | None = None
    """Postal address, printed on letters only."""

    # -- the case -----------------------------------------------------------------------------
    case_number: str
    """Per-tenant number shared by register, work order and notices."""
    subject: str
    """The matter in one line, as registered."""
    received_at: datetime
    tracking_code: str | None = None
    pin_hint: str | None = None
    """How the complainant finds the look-up PIN; never the PIN itself."""
    category_name: str | None = None
    intake_channel: str | None = None
    """How the matter came in, localised ("来信", "网上信访", "phone")."""
    accepted_at: datetime | None = None
    complainant_name: str | None = None
    anonymous: bool = False
    case_url: str | None = None
    """Staff console link; staff-facing notices only."""

    # -- the document ------------------------------------------------------------------------
    letter_number: str | None = None
    """Document number (文号), e.g. "X信不受字〔2026〕第12号"."""
    issued_on: date | None = None
    """Date printed on the notice; the renderer fills in today (tenant time) when empty."""
    issuer: str | None = None
    """Signing body or officer; the renderer falls back to ``tenant_name``."""

    # -- clocks -------------------------------------------------------------------------------
    due_at: datetime | None = None
    """Due time of the clock the notice is about (reply, materials, assignment …)."""
    time_limit_amount: int | None = None
    time_limit_unit: str | None = None
    """One of ``TIME_UNITS``; shown with the ``duration`` filter."""
    response_time_amount: int | None = None
    response_time_unit: str | None = None
    """A service promise (property: "respond within 2 hours"), separate from the statutory limit."""

    # -- decisions (acceptance, refusal, reply) -----------------------------------------------
    ground_code: str | None = None
    """Non-acceptance / no-longer-accepted ground code (NR1…NR5, NA1, NA2)."""
    ground_name: str | None = None
    """The ground as a noun phrase, e.g. "依法应当通过诉讼、仲裁、行政复议等法定途径解决的事项"."""
    legal_basis: str | None = None
    """Provision relied on, e.g. "《信访工作条例》第三十一条"."""
    target_body: str | None = None
    """Body the complainant should turn to, or that now handles the matter (transfer)."""
    target_route: str | None = None
    """Legal route to take there ("提起行政诉讼")."""
    reasons: str | None = None
    """Facts found and reasons for the decision; may span paragraphs."""
    result: str | None = None
    """The handling result / opinion; may span paragraphs."""
    reply_text: str | None = None
    """Free-form reply written by the handler, shown in addition to result/reasons."""
    review_rights: str | None = None
    """Full review-rights sentence; when empty, templates compose one from the two below."""
    review_body: str | None = None
    review_window_days: int | None = None

    # -- routing ------------------------------------------------------------------------------
    lead_department: str | None = None
    cooperating_departments: list[str] = msgspec.field(default_factory=list)
    assignee_name: str | None = None
    instructions: str | None = None
    """Requirements attached to a transfer or assignment (交办要求)."""
    source_body: str | None = None
    """Body that forwarded the case (上级交办, 12345 hotline) and is owed a reply."""
    source_reference: str | None = None
    """The forwarding body's own reference number."""
    contact_person: str | None = None
    contact_phone: str | None = None

    # -- materials, extension, escalation, reopening, follow-up -------------------------------
    materials: list[str] = msgspec.field(default_factory=list)
    materials_due_at: datetime | None = None
    extension_reason: str | None = None
    previous_due_at: datetime | None = None
    clock_name: str | None = None
    """Localised name of the clock that triggered an escalation ("受理期限")."""
    escalation_level: str | None = None
    """Localised rung of the ladder ("二级：分管领导督办")."""
    overdue: bool = False
    reopen_reason: str | None = None
    survey_url: str | None = None
    event_name: str | None = None
    """Localised name of the step a staff update reports ("已受理", "closed"): ``case_update``."""

    extra: dict[str, Any] = msgspec.field(default_factory=dict)
    """Sector- or tenant-specific values, read in templates as ``extra.name``."""

    def to_template_vars(self) -> dict[str, Any]:
        """The mapping templates see (locale and letterhead are added by the renderer)."""
        return {name: getattr(self, name) for name in self.__struct_fields__}


class Letterhead(msgspec.Struct, frozen=True, kw_only=True):
    """The tenant's letterhead on printed letters (红头) and its seal.

    The logo must be an inline ``data:image/...;base64`` URI: the PDF renderer fetches nothing
    from the network or the disk, so a tenant-supplied URL could not leak files or reach
    internal hosts, and a letter renders the same on every worker.
    """

    name: str
    address: str | None = None
    postcode: str | None = None
    phone: str | None = None
    email: str | None = None
    website: str | None = None
    logo_data_uri: str | None = None
    seal_text: str | None = None
    """Text of the round seal (usually the body's name); None prints no seal."""

    def __post_init__(self) -> None:
        if self.logo_data_uri is not None and not _DATA_IMAGE.match(self.logo_data_uri):
            raise ValueError("logo_data_uri must be a base64 data:image/... URI")
