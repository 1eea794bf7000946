"""A tenant's business calendar: where it is stored, how it changes, who changed it.

The calendar lives in ``Tenant.calendar`` as ``BusinessCalendar.to_dict()`` plus a ``version``
that every change bumps: a clock records the version its due date was computed with, and the
audit trail (``TenantEvent``) names the version each change produced. An empty column means
the defaults (China's day table, 08:30–12:00 / 13:30–17:30) in the tenant's own time zone.

Parsed calendars are cached by their stored JSON: a ``BusinessCalendar`` memoises its year
look-ups, so reusing one object across requests keeps deadline arithmetic cheap, and a changed
calendar simply has a different key (nothing to invalidate across processes).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from piccolo.engine.sqlite import SQLiteEngine

from core.calendar import BusinessCalendar, CalendarError, YearSchedule, parse_year_schedule
from core.calendar_data.config import SETTING_KEYS
from core.clock_actions import recompute_provisional
from core.db import transaction
from core.tables import Tenant
from tenants.audit import record_tenant_event
from tenants.auth import Principal
from tenants.scope import TenantScope

__all__ = [
    "EDITABLE_KEYS",
    "TenantCalendar",
    "import_year",
    "load_calendar",
    "record_tenant_event",
    "replace_settings",
    "settings_of",
    "store_year",
    "year_statuses",
]

EDITABLE_KEYS: tuple[str, ...] = tuple(k for k in SETTING_KEYS if k != "schedules")
"""What ``PUT /tenant/calendar`` may set; year schedules are imported one by one instead."""


@dataclass(frozen=True, slots=True)
class TenantCalendar:
    """A tenant's calendar and the version of its stored settings."""

    calendar: BusinessCalendar
    version: int


@lru_cache(maxsize=256)
def _parse(stored: str, timezone: str) -> BusinessCalendar:
    data = json.loads(stored)
    data.setdefault("timezone", timezone)
    return BusinessCalendar.from_dict(data)


def _split(raw: Any, timezone: str) -> TenantCalendar:
    doc = dict(raw or {}) if isinstance(raw, Mapping) else dict(json.loads(raw or "{}"))
    version = int(doc.pop("version", 0) or 0)
    return TenantCalendar(_parse(json.dumps(doc, sort_keys=True), timezone or "Asia/Shanghai"), version)


async def load_calendar(tenant_id: uuid.UUID, *, for_update: bool = False) -> TenantCalendar:
    """The tenant's calendar. ``for_update`` locks the tenant row (PostgreSQL) so two admins
    changing the calendar at once queue instead of losing one change; SQLite's write
    transactions are already serialised by ``core.db.transaction``."""
    query = Tenant.select(Tenant.calendar, Tenant.timezone).where(Tenant.id == tenant_id).output(load_json=True)
    if for_update and not isinstance(Tenant._meta.db, SQLiteEngine):
        query = query.lock_rows()
    row = await query.first()
    if row is None:
        raise LookupError(f"tenant {tenant_id} not found")
    return _split(row["calendar"], row["timezone"])


async def _save(tenant_id: uuid.UUID, calendar: BusinessCalendar, version: int) -> None:
    await Tenant.update({Tenant.calendar: {**calendar.to_dict(), "version": version}}).where(Tenant.id == tenant_id)


def settings_of(calendar: BusinessCalendar) -> dict[str, Any]:
    """The editable settings as JSON (what GET shows and PUT takes)."""
    full = calendar.to_dict()
    return {k: full[k] for k in EDITABLE_KEYS}


async def replace_settings(
    tenant_id: uuid.UUID, body: Mapping[str, Any], *, actor: Principal | None, now: datetime
) -> TenantCalendar:
    """Replace the editable settings (keys left out take their defaults; imported years stay).

    Raises ``CalendarError`` naming every bad field. Call inside a transaction.
    """
    if "schedules" in body:
        raise CalendarError([{"field": "schedules", "message": "import years with POST /api/v1/tenant/calendar/years"}])
    current = await load_calendar(tenant_id, for_update=True)
    unknown = sorted(str(k) for k in body if k not in EDITABLE_KEYS)
    if unknown:
        raise CalendarError([{"field": k, "message": "unknown field"} for k in unknown])
    data = {"timezone": current.calendar.timezone, **body, "schedules": current.calendar.to_dict()["schedules"]}
    calendar = BusinessCalendar.from_dict(data)
    version = current.version + 1
    await _save(tenant_id, calendar, version)
    await record_tenant_event(
        tenant_id,
        "calendar_updated",
        actor=actor,
        at=now,
        data={"version": version, "before": settings_of(current.calendar), "after": settings_of(calendar)},
    )
    return TenantCalendar(calendar, version)


async def store_year(
    tenant_id: uuid.UUID, raw: Any, *, actor: Principal | None, now: datetime
) -> tuple[TenantCalendar, YearSchedule, str]:
    """Validate and store an imported year schedule; returns the new calendar, the schedule and
    the year's status before the import. Raises ``CalendarImportError`` listing every problem.
    Call inside a transaction (the caller recomputes the clocks in the same one)."""
    schedule = parse_year_schedule(raw)
    current = await load_calendar(tenant_id, for_update=True)
    previous = current.calendar.year_status(schedule.year)
    calendar = current.calendar.with_year(schedule)
    version = current.version + 1
    await _save(tenant_id, calendar, version)
    await record_tenant_event(
        tenant_id,
        "calendar_year_imported",
        actor=actor,
        at=now,
        data={
            "version": version,
            "year": schedule.year,
            "previous_status": previous,
            "source": schedule.source,
            "holidays": len(schedule.holidays),
            "workdays": len(schedule.workdays),
        },
    )
    return TenantCalendar(calendar, version), schedule, previous


async def import_year(tenant_id: uuid.UUID, raw: Any, *, actor: Principal | None, now: datetime) -> dict[str, Any]:
    """Import a year's official schedule and, in the same transaction, recompute every active
    clock of the tenant whose due date was provisional (S21). Used by the API and the CLI."""
    async with transaction():
        tenant_calendar, schedule, previous = await store_year(tenant_id, raw, actor=actor, now=now)
        changed = await recompute_provisional(
            TenantScope(tenant_id), tenant_calendar.calendar, tenant_calendar.version, actor=actor, now=now
        )
    return {
        "year": schedule.year,
        "previous_status": previous,
        "status": tenant_calendar.calendar.year_status(schedule.year),
        "version": tenant_calendar.version,
        "recomputed_clocks": len(changed),
    }


def year_statuses(calendar: BusinessCalendar, first_year: int, count: int = 3) -> list[dict[str, Any]]:
    """``[{year, status, source}]`` for ``count`` years from ``first_year``."""
    out = []
    for year in range(first_year, first_year + count):
        schedule = calendar.schedule_for(year)
        out.append({"year": year, "status": schedule.status, "source": schedule.source})
    return out
