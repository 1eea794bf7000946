"""Finding cases: filters and keyset (cursor) pagination.

Keyset pagination on (created_at, id) stays fast at any depth and never skips or repeats a case
when new ones arrive between pages, unlike OFFSET.
"""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from core.cases import STATUSES
from core.errors import FieldError, Unprocessable
from core.tables import Case, CaseDepartment
from tenants.scope import TenantScope

__all__ = ["CaseFilters", "list_cases"]


@dataclass(frozen=True, slots=True)
class CaseFilters:
    statuses: list[str] = field(default_factory=list)
    category: str | None = None
    channel: str | None = None
    sector: str | None = None
    department_id: uuid.UUID | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None
    text: str | None = None


def encode_cursor(created_at: datetime, case_id: uuid.UUID) -> str:
    raw = json.dumps([created_at.isoformat(), str(case_id)]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, uuid.UUID]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        at, cid = json.loads(base64.urlsafe_b64decode(padded))
        return datetime.fromisoformat(at), uuid.UUID(cid)
    except (ValueError, TypeError, binascii.Error, json.JSONDecodeError):
        raise Unprocessable(
            "malformed cursor", errors=[FieldError("cursor", "use next_cursor from a previous page")]
        ) from None


def _like_term(text: str) -> str:
    """LIKE wildcards in user text would match too much, and SQLite has no default escape
    character; searching for a literal % or _ is not worth an engine-specific ESCAPE clause."""
    return "".join(ch for ch in text.strip().lower() if ch not in "%_\\")


async def list_cases(
    scope: TenantScope, filters: CaseFilters, *, cursor: str | None, limit: int
) -> tuple[list[dict[str, Any]], str | None]:
    bad = [s for s in filters.statuses if s not in STATUSES]
    if bad:
        raise Unprocessable(
            f"unknown status {bad[0]!r}", errors=[FieldError("status", f"one of {', '.join(STATUSES)}")]
        )
    query = scope.select(Case)
    if filters.statuses:
        query = query.where(Case.status.is_in(filters.statuses))
    for column, value in (
        (Case.category, filters.category),
        (Case.channel, filters.channel),
        (Case.sector, filters.sector),
    ):
        if value:
            query = query.where(column == value)
    if filters.created_from:
        query = query.where(Case.created_at >= filters.created_from)
    if filters.created_to:
        query = query.where(Case.created_at < filters.created_to)
    if filters.text and filters.text.strip():
        query = query.where(Case.search_text.like(f"%{_like_term(filters.text)}%"))
    if filters.department_id:
        linked = await scope.select(CaseDepartment, CaseDepartment.case_id).where(
            CaseDepartment.department_id == filters.department_id
        )
        ids = [r["case_id"] for r in linked]
        if not ids:
            return [], None
        query = query.where(Case.id.is_in(ids))
    if cursor:
        at, cid = decode_cursor(cursor)
        # The plain "<=" conjunct gives the planner an index range on (tenant_id, created_at);
        # the OR alone would make it scan from the newest case down.
        query = query.where(Case.created_at <= at, (Case.created_at < at) | (Case.id < cid))
    rows = await query.order_by(Case.created_at, Case.id, ascending=False).limit(limit + 1)
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        next_cursor = encode_cursor(last["created_at"], last["id"])
    return rows, next_cursor
