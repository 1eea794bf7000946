"""Request and response bodies of the case API (msgspec: validated at the edge, fast to encode)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

import msgspec
from msgspec import Meta, Struct

from core.api.clock_schemas import ClockOut

__all__ = [
    "CaseCreated",
    "CaseEventOut",
    "CaseIn",
    "CaseOut",
    "CasePage",
    "ComplainantIn",
    "ComplainantOut",
    "PublicCaseView",
    "PublicLookupIn",
    "TransitionIn",
]

Channel = Literal["web", "phone", "letter", "visit", "email", "hotline", "api", "transfer-in"]
Severity = Literal["low", "normal", "high", "critical"]
Short = Annotated[str, Meta(max_length=200)]
Note = Annotated[str, Meta(max_length=5000)]


class ComplainantIn(Struct, forbid_unknown_fields=True):
    name: Short = ""
    contact: Short = ""
    id_number: Annotated[str, Meta(max_length=64)] = ""
    address: Annotated[str, Meta(max_length=500)] = ""


class CaseIn(Struct, forbid_unknown_fields=True):
    """Intake. ``complainant`` may be omitted only when ``anonymous`` is true."""

    sector: Annotated[str, Meta(min_length=1, max_length=64)]
    category: Annotated[str, Meta(min_length=1, max_length=64)]
    channel: Channel
    subject: Annotated[str, Meta(min_length=1, max_length=300)]
    description: Annotated[str, Meta(min_length=1, max_length=20000)]
    complainant: ComplainantIn | None = None
    anonymous: bool = False
    confidential: bool = False
    group_size: Annotated[int, Meta(ge=1, le=100_000)] = 1
    location: Annotated[str, Meta(max_length=300)] = ""
    severity: Severity = "normal"
    received_at: datetime | None = None
    related_case_id: UUID | None = None
    extra: dict[str, Any] = msgspec.field(default_factory=dict)


class ComplainantOut(Struct):
    name: str
    contact: str
    id_number: str
    address: str


class CaseOut(Struct):
    id: UUID
    number: int
    tracking_code: str
    sector: str
    category: str
    channel: str
    subject: str
    description: str
    severity: str
    status: str
    anonymous: bool
    confidential: bool
    group_size: int
    location: str
    extra: dict[str, Any]
    complainant: ComplainantOut | None
    complainant_withheld: bool
    lead_department_id: UUID | None
    cooperating_department_ids: list[UUID]
    first_responsible_id: UUID | None
    related_case_id: UUID | None
    not_accepted_ground: str
    transfer_target: str
    reply_text: str
    version: int
    received_at: datetime
    created_at: datetime
    updated_at: datetime
    allowed_actions: list[str]
    clocks: list[ClockOut] = msgspec.field(default_factory=list)
    """The case's deadlines, with warning/overdue derived at read time (``core.clock_views``)."""


class CaseCreated(CaseOut):
    access_pin: str | None = None
    """Shown once; stored only as a hash. The complainant needs it with the tracking code."""


class CasePage(Struct):
    items: list[CaseOut]
    next_cursor: str | None


class CaseEventOut(Struct):
    seq: int
    action: str
    at: datetime
    actor_kind: str
    actor_id: UUID | None
    actor_name: str
    from_status: str
    to_status: str
    before: dict[str, Any]
    after: dict[str, Any]
    data: dict[str, Any]


# Transitions: one struct per action, discriminated by "action", so each action's required
# fields are checked at the edge and documented separately in OpenAPI.


class _Action(Struct, forbid_unknown_fields=True, tag_field="action", kw_only=True):
    note: Note = ""
    expected_version: int | None = None
    """Optimistic concurrency: when given, the transition fails with 409 if the case changed."""


class Accept(_Action, tag="accept"):
    pass


class NotAccept(_Action, tag="not_accept"):
    ground: Annotated[str, Meta(min_length=1, max_length=64)]
    target: Annotated[str, Meta(max_length=300)] = ""
    """The competent body or legal route, required by grounds that imply one."""


class Transfer(_Action, tag="transfer"):
    target: Annotated[str, Meta(min_length=1, max_length=300)]


class Assign(_Action, tag="assign"):
    lead_department_id: UUID
    cooperating_department_ids: list[UUID] = msgspec.field(default_factory=list)


class Start(_Action, tag="start"):
    pass


class Reply(_Action, tag="reply"):
    reply: Annotated[str, Meta(min_length=1, max_length=20000)]
    checklist: dict[str, bool] = msgspec.field(default_factory=dict)
    """What the sector asks a reply to confirm, e.g. schools: ``result`` and ``measures``
    (seed 003 L22); hospitals, for an answer on the spot: ``satisfied`` and ``record`` (seed 001
    L430). A missing item answers 409 listing it."""


class Close(_Action, tag="close"):
    reply_back: Annotated[str, Meta(max_length=20000)] = ""
    """The receiving body's answer, required when closing a transferred case."""
    checklist: dict[str, bool] = msgspec.field(default_factory=dict)
    """The sector's closure checklist (R22), e.g. petitions: ``unit_seal``, ``leader_signature``,
    ``petitioner_opinion`` (seed 004 L63, L93). A missing item answers 409 listing it."""


class Reopen(_Action, tag="reopen"):
    reason: Literal["review_request", "dissatisfied", "rehandling"]


class Archive(_Action, tag="archive"):
    archive_class: Literal["special", "ordinary"] = "ordinary"
    """专卷 (documents drafted) or 普通 (handled at the window) — seed 004 L133."""


TransitionIn = Accept | NotAccept | Transfer | Assign | Start | Reply | Close | Reopen | Archive


class PublicLookupIn(Struct, forbid_unknown_fields=True):
    tracking_code: Annotated[str, Meta(min_length=4, max_length=20)]
    pin: Annotated[str, Meta(min_length=4, max_length=20)]


class PublicMilestone(Struct):
    status: str
    label: str
    at: datetime


class PublicMessage(Struct):
    """A notice delivered to the complainant's portal inbox (in-app channel)."""

    subject: str
    body: str
    at: datetime


class PublicCaseView(Struct):
    """What a complainant may see: no staff notes, no departments, no other person's data."""

    tracking_code: str
    organisation: str
    timezone: str
    subject: str
    status: str
    status_label: str
    received_at: datetime
    updated_at: datetime
    reply: str | None
    not_accepted_ground: str | None
    transferred_to: str | None
    milestones: list[PublicMilestone]
    messages: list[PublicMessage] = []
