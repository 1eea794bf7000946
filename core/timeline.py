"""Appending to a case's timeline — the only way a case changes is with an event beside it."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from piccolo.query.functions.aggregate import Max

from core.tables import CaseEvent
from tenants.auth import Principal
from tenants.scope import TenantScope

__all__ = ["append_event"]


async def append_event(
    scope: TenantScope,
    *,
    case_id: uuid.UUID,
    action: str,
    actor: Principal | None,
    at: datetime,
    from_status: str = "",
    to_status: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    data: dict[str, Any] | None = None,
) -> int:
    """Write the next event of ``case_id``; returns its sequence number.

    Callers hold the case's row lock (they have just updated its version), so computing
    ``max(seq) + 1`` cannot race; the unique index on (case_id, seq) would catch it if it did.
    """
    row = await scope.select(CaseEvent, Max(CaseEvent.seq, alias="top")).where(CaseEvent.case_id == case_id).first()
    seq = int((row or {}).get("top") or 0) + 1
    await scope.insert(
        CaseEvent,
        case_id=case_id,
        seq=seq,
        action=action,
        actor_kind=actor.actor_kind if actor else "system",
        actor_id=actor.actor_id if actor else None,
        actor_name=actor.name if actor else "system",
        at=at,
        from_status=from_status,
        to_status=to_status,
        before=_jsonable(before or {}),
        after=_jsonable(after or {}),
        data=_jsonable(data or {}),
    )
    return seq


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, uuid.UUID | datetime):
        return value.isoformat() if isinstance(value, datetime) else str(value)
    return value
