"""Keyset (cursor) pagination, shared by every list endpoint.

A cursor is the (timestamp, id) of the last row a client saw. Keyset pages stay fast at any
depth and never skip or repeat a row when new ones arrive between pages, unlike OFFSET
(``benchmarks/bench_pagination.py`` measures the difference).
"""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from datetime import datetime
from typing import Any

from piccolo.columns import Column
from piccolo.query import Select

from core.db import as_utc
from core.errors import FieldError, Unprocessable

__all__ = ["decode_cursor", "encode_cursor", "keyset_page"]


def encode_cursor(at: datetime, row_id: uuid.UUID) -> str:
    raw = json.dumps([as_utc(at).isoformat(), str(row_id)]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, uuid.UUID]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        at, row_id = json.loads(base64.urlsafe_b64decode(padded))
        return datetime.fromisoformat(at), uuid.UUID(row_id)
    except (ValueError, TypeError, binascii.Error, json.JSONDecodeError):
        raise Unprocessable(
            "malformed cursor", errors=[FieldError("cursor", "use next_cursor from a previous page")]
        ) from None


async def keyset_page(
    query: Select, at: Column, key: Column, *, cursor: str | None, limit: int, newest_first: bool = True
) -> tuple[list[dict[str, Any]], str | None]:
    """One page of ``query`` ordered by (``at``, ``key``), and the cursor of the next page.

    The redundant plain ``at <= t`` (or ``>=``) conjunct gives the planner an index range on
    (tenant_id, at, …); the OR alone makes SQLite scan from the end of the index.
    """
    if cursor:
        t, k = decode_cursor(cursor)
        if newest_first:
            query = query.where(at <= t, (at < t) | (key < k))
        else:
            query = query.where(at >= t, (at > t) | (key > k))
    rows = await query.order_by(at, key, ascending=not newest_first).limit(limit + 1)
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    return rows, encode_cursor(rows[-1][at._meta.name], rows[-1][key._meta.name])
