"""/api/v1/notices, a case's letters, and /api/v1/inbox — the outbox as people see it.

Supervisors, tenant admins and auditors follow deliveries (``GET /notices?state=failed`` is the
work list of notices that need a person) and send a failed one again once its cause is fixed.
Complainant data stays need-to-know (R26): for a confidential case only tenant admins and
supervisors see a complainant notice's address and the texts; the letters of such a case too.
Staff read their own in-app messages in ``/inbox``.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from litestar import Controller, Response, get, post
from litestar.params import Parameter
from msgspec import Struct

from core.db import as_utc, transaction
from core.errors import Conflict, Forbidden, NotFound
from core.notice_kick import remember
from core.pagination import keyset_page
from core.tables import Case, InAppMessage, Notice, NoticeLetter
from tenants.audit import record_tenant_event
from tenants.auth import Principal, require_roles, require_scope
from tenants.scope import NotFoundInScope

__all__ = ["InboxController", "LetterController", "NoticeController"]

State = Literal["pending", "sending", "sent", "failed", "cancelled"]
_FULL_VIEW_ROLES = ("tenant_admin", "supervisor")
_LIST_COLUMNS = [c for c in Notice._meta.columns if c._meta.name not in ("context", "body_text", "body_html")]


class NoticeOut(Struct, kw_only=True):
    id: UUID
    case_id: UUID | None
    event: str
    template: str
    channel: str
    recipient_kind: str
    recipient: str
    recipient_name: str
    locale: str
    written: bool
    state: str
    attempts: int
    max_attempts: int
    next_attempt_at: datetime | None
    last_error: str
    sent_at: datetime | None
    provider_id: str
    subject: str
    letter_url: str | None
    created_at: datetime
    updated_at: datetime


class NoticeDetail(NoticeOut, kw_only=True):
    body_text: str | None = None
    context: dict[str, Any] | None = None
    rendered_with: str = ""


class NoticePage(Struct):
    items: list[NoticeOut]
    next_cursor: str | None


class InboxMessage(Struct):
    id: UUID
    notice_id: UUID
    case_id: UUID | None
    event: str
    subject: str
    body: str
    created_at: datetime
    read_at: datetime | None


def _opt(value: datetime | None) -> datetime | None:
    return as_utc(value) if value is not None else None


def _out(row: dict[str, Any], *, hidden: bool, detail: bool = False) -> NoticeOut:
    personal = hidden and row["recipient_kind"] in ("complainant", "forwarding_body")
    letter = (
        f"/api/v1/cases/{row['case_id']}/letters/{row['id']}.pdf"
        if row["channel"] == "letter" and row["state"] == "sent" and row["case_id"]
        else None
    )
    fields: dict[str, Any] = {
        "id": row["id"],
        "case_id": row["case_id"],
        "event": row["event"],
        "template": row["template"],
        "channel": row["channel"],
        "recipient_kind": row["recipient_kind"],
        "recipient": "" if personal else row["recipient"],
        "recipient_name": "" if personal else row["recipient_name"],
        "locale": row["locale"],
        "written": row["written"],
        "state": row["state"],
        "attempts": row["attempts"],
        "max_attempts": row["max_attempts"],
        "next_attempt_at": _opt(row["next_attempt_at"]) if row["state"] == "pending" else None,
        "last_error": row["last_error"],
        "sent_at": _opt(row["sent_at"]),
        "provider_id": row["provider_id"],
        "subject": "" if hidden else row["subject"],
        "letter_url": letter,
        "created_at": as_utc(row["created_at"]),
        "updated_at": as_utc(row["updated_at"]),
    }
    if not detail:
        return NoticeOut(**fields)
    return NoticeDetail(
        **fields,
        body_text=None if hidden else row["body_text"],
        context=None if hidden else row["context"],
        rendered_with=row["rendered_with"],
    )


async def _confidential_cases(who: Principal, rows: list[dict[str, Any]]) -> set[uuid.UUID]:
    if who.has_role(*_FULL_VIEW_ROLES):
        return set()
    ids = list({r["case_id"] for r in rows if r["case_id"]})
    if not ids:
        return set()
    found = await who.scope.select(Case, Case.id).where(Case.id.is_in(ids), Case.confidential.eq(True))
    return {r["id"] for r in found}


class NoticeController(Controller):
    path = "/api/v1/notices"
    tags = ["notices"]
    guards = [require_scope("cases:read"), require_roles("tenant_admin", "supervisor", "auditor")]

    @get("/", summary="The outbox: notices by state and case (newest first, cursor pagination)")
    async def index(
        self,
        who: Principal,
        notice_state: Annotated[State | None, Parameter(query="state")] = None,
        case_id: UUID | None = None,
        cursor: str | None = None,
        limit: Annotated[int, Parameter(ge=1, le=200)] = 50,
    ) -> NoticePage:
        query = who.scope.select(Notice, *_LIST_COLUMNS)
        if notice_state:
            query = query.where(Notice.state == notice_state)
        if case_id:
            query = query.where(Notice.case_id == case_id)
        rows, next_cursor = await keyset_page(query, Notice.created_at, Notice.id, cursor=cursor, limit=limit)
        hidden = await _confidential_cases(who, rows)
        return NoticePage([_out(r, hidden=r["case_id"] in hidden) for r in rows], next_cursor)

    @get("/{notice_id:uuid}", summary="One notice, with the text it was sent with")
    async def show(self, notice_id: UUID, who: Principal) -> NoticeDetail:
        row = await who.scope.get(Notice, notice_id)
        hidden = await _confidential_cases(who, [row])
        return _out(row, hidden=row["case_id"] in hidden, detail=True)  # type: ignore[return-value]

    @post(
        "/{notice_id:uuid}/retry",
        guards=[require_scope("cases:write"), require_roles("tenant_admin", "supervisor")],
        status_code=200,
        summary="Send a failed notice again (its attempts start over)",
        description="Only a `failed` notice can be retried; any other state answers 409.",
    )
    async def retry(self, notice_id: UUID, who: Principal, now: datetime) -> NoticeDetail:
        scope = who.scope
        async with transaction():
            row = await scope.get(Notice, notice_id)
            if row["state"] != "failed":
                raise Conflict(f"Only a failed notice can be retried; this one is {row['state']}.", state=row["state"])
            await scope.update(
                Notice,
                {
                    Notice.state: "pending",
                    Notice.attempts: 0,
                    Notice.next_attempt_at: now,
                    Notice.claimed_at: None,
                    Notice.updated_at: now,
                },
            ).where(Notice.id == notice_id, Notice.state == "failed")
            await record_tenant_event(
                who.tenant_id,
                "notice_retry",
                actor=who,
                at=now,
                data={"notice_id": str(notice_id), "last_error": row["last_error"], "attempts": row["attempts"]},
            )
        remember([notice_id])  # enqueued by the app's after-response hook, after this commit
        return _out(await scope.get(Notice, notice_id), hidden=False, detail=True)  # type: ignore[return-value]


class LetterController(Controller):
    path = "/api/v1/cases/{case_id:uuid}/letters"
    tags = ["notices"]

    @get(
        "/{file_name:str}",
        guards=[require_scope("cases:read"), require_roles("tenant_admin", "supervisor", "auditor", "handler")],
        summary="The PDF of a letter notice of the case (`<notice id>.pdf`)",
        media_type="application/pdf",
    )
    async def letter(self, case_id: UUID, file_name: str, who: Principal) -> Response[bytes]:
        case = await who.scope.get(Case, case_id, Case.id, Case.confidential)  # first: 404 across tenants
        stem, dot, ext = file_name.rpartition(".")
        try:
            notice_id = uuid.UUID(stem) if dot and ext == "pdf" else None
        except ValueError:
            notice_id = None
        if notice_id is None:
            raise NotFound("No such letter.")
        row = (
            await who.scope.select(NoticeLetter, NoticeLetter.pdf)
            .where(NoticeLetter.notice_id == notice_id, NoticeLetter.case_id == case["id"])
            .first()
        )
        if row is None:
            raise NotFound("No such letter.")
        if case["confidential"] and not who.has_role(*_FULL_VIEW_ROLES):
            raise Forbidden("letters of a confidential case are for tenant admins and supervisors")
        return Response(
            bytes(row["pdf"]),
            media_type="application/pdf",
            headers={"Content-Disposition": f'inline; filename="{notice_id}.pdf"'},
        )


class InboxController(Controller):
    path = "/api/v1/inbox"
    tags = ["notices"]
    guards = [require_scope("cases:read")]

    @get("/", summary="The caller's in-app messages, newest first")
    async def index(
        self, who: Principal, unread: bool = False, limit: Annotated[int, Parameter(ge=1, le=200)] = 50
    ) -> list[InboxMessage]:
        if who.actor_kind != "user":
            return []  # an API key has no inbox
        query = who.scope.select(InAppMessage).where(InAppMessage.user_id == who.actor_id)
        if unread:
            query = query.where(InAppMessage.read_at.is_null())
        rows = await query.order_by(InAppMessage.created_at, ascending=False).limit(limit)
        return [_message(r) for r in rows]

    @post("/{message_id:uuid}/read", status_code=200, summary="Mark one of the caller's messages read")
    async def read(self, message_id: UUID, who: Principal, now: datetime) -> InboxMessage:
        owner = who.actor_id if who.actor_kind == "user" else None
        row = await who.scope.get(InAppMessage, message_id)
        if owner is None or row["user_id"] != owner:
            raise NotFoundInScope(InAppMessage, message_id)  # someone else's: indistinguishable
        if row["read_at"] is None:
            await who.scope.update(InAppMessage, {InAppMessage.read_at: now}).where(InAppMessage.id == message_id)
            row = {**row, "read_at": now}
        return _message(row)


def _message(r: dict[str, Any]) -> InboxMessage:
    return InboxMessage(
        r["id"], r["notice_id"], r["case_id"], r["event"], r["subject"], r["body"], as_utc(r["created_at"]),
        _opt(r["read_at"]),
    )  # fmt: skip
