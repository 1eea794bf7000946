"""The one door to tenant-owned rows.

Every query on a tenant-owned table goes through a :class:`TenantScope` built from the request's
credential, so isolation does not depend on each query remembering a ``WHERE tenant_id = …``.
``tests/unit/test_isolation_guard.py`` walks the source tree and fails if code outside
``tenants/`` touches a tenant-owned table directly.

The few legitimately cross-tenant reads (resolving an API key by its prefix, a public tracking
look-up by code) live here too, named for what they do, so they are easy to audit.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any, TypeVar

from piccolo.columns import Column
from piccolo.query import Count, Exists, Objects, Select, Update
from piccolo.query.methods.delete import Delete
from piccolo.table import Table

from core.tables import TENANT_OWNED_TABLES, ApiKey, Case

__all__ = ["NotFoundInScope", "TenantScope"]

T = TypeVar("T", bound=Table)


class NotFoundInScope(LookupError):
    """The row does not exist *for this tenant* (it may exist for another: say nothing)."""

    def __init__(self, table: type[Table], key: Any) -> None:
        super().__init__(f"{table.__name__} {key} not found")
        self.table = table
        self.key = key


def _check(table: type[Table]) -> None:
    if table not in TENANT_OWNED_TABLES:
        raise TypeError(f"{table.__name__} is not tenant-owned; TenantScope only serves tenant rows")


class TenantScope:
    """Queries restricted to one tenant. Every method adds the tenant filter itself."""

    __slots__ = ("tenant_id",)

    def __init__(self, tenant_id: uuid.UUID) -> None:
        self.tenant_id = tenant_id

    def _where(self, table: type[Table]) -> Any:
        _check(table)
        return table.tenant_id == self.tenant_id  # type: ignore[attr-defined]

    def select(self, table: type[T], *columns: Column) -> Select:
        # JSON columns come back decoded on every engine (SQLite stores them as text).
        return table.select(*columns).where(self._where(table)).output(load_json=True)

    def objects(self, table: type[T]) -> Objects:
        return table.objects().where(self._where(table))

    def count(self, table: type[T]) -> Count:
        return table.count().where(self._where(table))

    def exists(self, table: type[T]) -> Exists:
        return table.exists().where(self._where(table))

    def update(self, table: type[T], values: dict[Column | str, Any]) -> Update:
        return table.update(values).where(self._where(table))

    def delete(self, table: type[T]) -> Delete:
        return table.delete().where(self._where(table))

    async def insert(self, table: type[T], **values: Any) -> T:
        """Insert one row owned by this tenant; returns the saved row object."""
        _check(table)
        row = table(tenant_id=self.tenant_id, **values)
        await row.save()
        return row

    async def insert_many(self, table: type[T], rows: Sequence[dict[str, Any]]) -> None:
        _check(table)
        if rows:
            await table.insert(*[table(tenant_id=self.tenant_id, **r) for r in rows])

    async def get(self, table: type[T], row_id: uuid.UUID | str, *columns: Column) -> dict[str, Any]:
        """One row by id, as a dict, or :class:`NotFoundInScope`."""
        rid = _as_uuid(row_id, table)
        row = await self.select(table, *columns).where(table._meta.primary_key == rid).first()
        if row is None:
            raise NotFoundInScope(table, row_id)
        return row


def _as_uuid(value: uuid.UUID | str, table: type[Table]) -> uuid.UUID:
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise NotFoundInScope(table, value) from None


# Deliberately cross-tenant reads ---------------------------------------------------------------


async def find_api_key_by_prefix(prefix: str) -> dict[str, Any] | None:
    """Resolve an API key before any tenant is known: the key itself names the tenant."""
    return await ApiKey.select().where(ApiKey.prefix == prefix).output(load_json=True).first()


async def find_cases_by_tracking_code(code: str) -> list[dict[str, Any]]:
    """Public look-up: the tracking code is unique per tenant, so the caller must still prove the
    PIN for the one candidate it returns."""
    return await Case.select().where(Case.tracking_code == code).output(load_json=True).limit(5)


async def touch_api_key(key_id: uuid.UUID, at: Any) -> None:
    await ApiKey.update({ApiKey.last_used_at: at}).where(ApiKey.id == key_id)
