"""/api/v1/tenant/calendar — the tenant's business calendar and its imported year schedules.

Every staff member may read it (deadlines shown to them depend on it); only tenant admins
change it. A change writes a ``TenantEvent`` and bumps the calendar version; importing a
year also recomputes the clocks whose due dates were provisional.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from litestar import Controller, get, post, put

from core.api.clock_schemas import CalendarOut, CalendarSettingsIn, YearImportOut, YearStatusOut
from core.calendar import CalendarError
from core.db import transaction
from core.errors import FieldError, Unprocessable
from core.tenant_calendar import (
    TenantCalendar,
    import_year,
    load_calendar,
    replace_settings,
    settings_of,
    year_statuses,
)
from tenants.auth import Principal, require_roles, require_scope

__all__ = ["CalendarController"]


def _out(tenant_calendar: TenantCalendar, now: datetime) -> CalendarOut:
    calendar = tenant_calendar.calendar
    this_year = now.astimezone(calendar.tz).year
    return CalendarOut(
        version=tenant_calendar.version,
        settings=settings_of(calendar),
        years=[YearStatusOut(**y) for y in year_statuses(calendar, this_year)],
        imported_years=sorted(s.year for s in calendar.schedules),
    )


def _unprocessable(exc: CalendarError, what: str) -> Unprocessable:
    errors = [FieldError(p["field"] or "body", p["message"]) for p in exc.problems]
    return Unprocessable(f"The {what} cannot be used: {exc}", errors=errors)


class CalendarController(Controller):
    path = "/api/v1/tenant/calendar"
    tags = ["calendar"]

    @get("/", guards=[require_scope("cases:read")], summary="The business calendar and year statuses")
    async def show(self, who: Principal, now: datetime) -> CalendarOut:
        return _out(await load_calendar(who.tenant_id), now)

    @put(
        "/",
        guards=[require_scope("admin:write"), require_roles("tenant_admin")],
        summary="Replace working hours, closing time, closures and extra workdays",
        description="Omitted settings take their defaults; imported years are kept. Bad values answer 422 "
        "naming each field.",
    )
    async def replace(self, data: CalendarSettingsIn, who: Principal, now: datetime) -> CalendarOut:
        try:
            async with transaction():
                updated = await replace_settings(who.tenant_id, data.given(), actor=who, now=now)
        except CalendarError as exc:
            raise _unprocessable(exc, "calendar settings") from None
        return _out(updated, now)

    @post(
        "/years",
        guards=[require_scope("admin:write"), require_roles("tenant_admin")],
        status_code=200,
        summary="Import a year's official holiday schedule",
        description='Body: `{"year": 2027, "holidays": ["2027-01-01", …], "workdays": ["2027-02-06", …], '
        '"source": "…"}`. Every problem is listed (422). Active clocks whose due dates were provisional are '
        "recomputed and each change is logged on its case (`clock_recomputed`).",
    )
    async def import_schedule(self, data: dict[str, Any], who: Principal, now: datetime) -> YearImportOut:
        try:
            result = await import_year(who.tenant_id, data, actor=who, now=now)
        except CalendarError as exc:
            raise _unprocessable(exc, "year schedule") from None
        return YearImportOut(**result)
