"""Request and response bodies of the deadline API (clocks, clock actions, dashboards, calendar)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from msgspec import UNSET, Meta, Struct, UnsetType

from core.plugin_types import ClockEvent

__all__ = [
    "CalendarOut",
    "CalendarSettingsIn",
    "ClockEventIn",
    "ClockOut",
    "ClockReasonIn",
    "DueCaseOut",
    "DueClockOut",
    "DuePage",
    "ExtendIn",
    "YearImportOut",
    "YearStatusOut",
]

Reason = Annotated[str, Meta(min_length=1, max_length=2000)]


class ClockOut(Struct):
    """One deadline of a case as a reader sees it at the moment of reading.

    ``state`` is derived: ``running`` becomes ``warning`` once ``warn_at`` passed and
    ``overdue`` once ``due_at`` passed (not met). For day units ``last_day`` is the day whose end
    ``due_at`` is ("2026-10-27 24:00" is due_at 2026-10-28 00:00). ``remaining_seconds`` is
    wall time to the due time (negative when overdue; frozen while paused; null once ended).
    ``provisional``: the due date rests on estimated holidays of a year not yet published.
    """

    id: UUID
    rule_key: str
    names: dict[str, str]
    kind: str
    unit: str
    amount: int
    start_event: str
    stop_event: str | None
    started_at: datetime
    due_at: datetime
    last_day: date | None
    warn_at: datetime | None
    state: str
    provisional: bool
    remaining_seconds: int | None
    remaining: dict[str, str] | None
    paused_at: datetime | None
    extended_by: int
    extension_count: int
    extension_cap: dict[str, Any] | None
    stopped_at: datetime | None
    statutory: bool
    source: str
    version: int


class ClockReasonIn(Struct, forbid_unknown_fields=True):
    """Pause or resume: why (materials requested, materials received…)."""

    reason: Reason


class ExtendIn(Struct, forbid_unknown_fields=True):
    """An approved extension in the unit of the rule's cap (e.g. days)."""

    amount: Annotated[int, Meta(ge=1, le=100_000)]
    reason: Reason
    approver: Annotated[str, Meta(max_length=200)] = ""
    """Who approved, when not the caller (e.g. the agency head who signed); the caller is recorded too."""


class ClockEventIn(Struct, forbid_unknown_fields=True):
    """A case fact clocks start or stop on that no lifecycle action records (签收, work order…)."""

    event: ClockEvent
    note: Annotated[str, Meta(max_length=5000)] = ""


class DueCaseOut(Struct):
    id: UUID
    number: int
    tracking_code: str
    subject: str
    status: str
    severity: str
    lead_department_id: UUID | None


class DueClockOut(Struct):
    case: DueCaseOut
    clock: ClockOut


class DuePage(Struct):
    items: list[DueClockOut]
    next_cursor: str | None


class YearStatusOut(Struct):
    year: int
    status: Literal["official", "imported", "provisional"]
    source: str


class CalendarSettingsIn(Struct, forbid_unknown_fields=True):
    """The editable calendar settings; omitted keys take their defaults (PUT replaces).

    ``working_hours``: ``[["08:30", "12:00"], ["13:30", "17:30"]]``; ``closing_time``:
    ``"17:30"`` or ``null`` (day deadlines end at 24:00); ``closures`` / ``extra_workdays``:
    ISO dates the tenant closes or works on against the public schedule.
    """

    working_hours: list[list[str]] | UnsetType = UNSET
    closing_time: str | UnsetType | None = UNSET
    closures: list[str] | UnsetType = UNSET
    extra_workdays: list[str] | UnsetType = UNSET
    timezone: str | UnsetType = UNSET
    country: str | UnsetType = UNSET

    def given(self) -> dict[str, Any]:
        """The settings the client sent (an explicit ``null`` closing time included)."""
        return {f: getattr(self, f) for f in self.__struct_fields__ if getattr(self, f) is not UNSET}


class CalendarOut(Struct):
    version: int
    settings: dict[str, Any]
    years: list[YearStatusOut]
    imported_years: list[int]


class YearImportOut(Struct):
    year: int
    previous_status: str
    status: str
    version: int
    recomputed_clocks: int
