"""Finding cases: filters, then keyset (cursor) pagination on (created_at, id)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from core.cases import STATUSES
from core.errors import FieldError, Unprocessable
from core.pagination import keyset_page
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
    return await keyset_page(query, Case.created_at, Case.id, cursor=cursor, limit=limit)
