"""The facts of a case as plugins and rule evaluation see them (``CaseView``), built from rows.

Hooks decide from a snapshot and never query the database (``core.plugin_io``), so everything a
rule may compare — department codes, flags, how often the matter was received — is gathered
here, in a fixed handful of queries, and the same snapshot serves clock rules, ladders and
triggers. ``receptions`` counts this tenant's cases from the same complainant (identity number)
in the same category within the tenant's repeat window (R8; default 90 days [CFG]).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from core.plugin_io import CaseView, ComplainantDraft
from core.tables import Case, CaseDepartment, Department, Person, Tenant
from tenants.scope import TenantScope

__all__ = ["DEFAULT_REPEAT_WINDOW_DAYS", "case_flags", "case_view"]

DEFAULT_REPEAT_WINDOW_DAYS = 90
"""Cases from the same person and category this close together count as one matter received
again ([CFG]: the seeds name repeat visits but no window; tenants set ``repeat_window_days``)."""


def case_flags(case: Mapping[str, Any]) -> list[str]:
    """Markers set on the case by staff or escalations, kept in ``Case.extra["flags"]``."""
    flags = (case.get("extra") or {}).get("flags") or []
    return [str(f) for f in flags] if isinstance(flags, list) else []


def _aware(value: datetime) -> datetime:
    """SQLite may hand back naive UTC timestamps; make them aware."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


async def _department_codes(scope: TenantScope, case: Mapping[str, Any]) -> tuple[str | None, list[str]]:
    links = await scope.select(CaseDepartment).where(CaseDepartment.case_id == case["id"])
    ids = {link["department_id"] for link in links}
    if case.get("lead_department_id"):
        ids.add(case["lead_department_id"])
    if not ids:
        return None, []
    rows = await scope.select(Department, Department.id, Department.code).where(Department.id.is_in(list(ids)))
    codes = {r["id"]: r["code"] for r in rows}
    lead = codes.get(case.get("lead_department_id"))
    cooperating = sorted(
        codes[link["department_id"]]
        for link in links
        if link["role"] != "lead"
        and link["department_id"] in codes
        and link["department_id"] != case.get("lead_department_id")
    )
    return lead, cooperating


async def _repeat_window(tenant_id: uuid.UUID) -> int:
    row = await Tenant.select(Tenant.settings).where(Tenant.id == tenant_id).output(load_json=True).first()
    settings = (row or {}).get("settings") or {}
    value = settings.get("repeat_window_days") if isinstance(settings, Mapping) else None
    return value if isinstance(value, int) and value > 0 else DEFAULT_REPEAT_WINDOW_DAYS


async def _receptions(scope: TenantScope, case: Mapping[str, Any], id_number: str) -> int:
    """How many cases of this matter (same identity number and category) arrived within the
    repeat window up to this one, this one included."""
    if not id_number:
        return 1
    people = await scope.select(Person, Person.id).where(Person.id_number == id_number)
    if len(people) <= 1:
        return 1
    received = _aware(case["received_at"])
    since = received - timedelta(days=await _repeat_window(scope.tenant_id))
    return await scope.count(Case).where(
        Case.person_id.is_in([p["id"] for p in people]),
        Case.category == case["category"],
        Case.received_at >= since,
        Case.received_at <= received,
    )


async def case_view(scope: TenantScope, case: Mapping[str, Any]) -> CaseView:
    """The plugin-facing snapshot of ``case`` (a ``Case`` row as a dict)."""
    lead, cooperating = await _department_codes(scope, case)
    complainant = None
    receptions = 1
    if case.get("person_id"):
        person = await scope.select(Person).where(Person.id == case["person_id"]).first()
        if person is not None:
            complainant = ComplainantDraft(
                name=person["name"], contact=person["contact"], id_number=person["id_number"], address=person["address"]
            )
            receptions = await _receptions(scope, case, person["id_number"])
    extra = dict(case.get("extra") or {})
    return CaseView(
        id=str(case["id"]),
        sector=case["sector"],
        category=case["category"],
        received_at=_aware(case["received_at"]),
        number=case.get("number") or 0,
        tracking_code=case.get("tracking_code") or "",
        channel=case.get("channel") or "web",
        subject=case.get("subject") or "",
        description=case.get("description") or "",
        severity=case.get("severity") or "normal",
        status=case.get("status") or "registered",
        anonymous=bool(case.get("anonymous")),
        confidential=bool(case.get("confidential")),
        group_size=case.get("group_size") or 1,
        location=case.get("location") or "",
        extra=extra,
        complainant=complainant,
        lead_department=lead,
        cooperating_departments=cooperating,
        created_at=_aware(case["created_at"]) if case.get("created_at") else None,
        receptions=receptions,
        flags=case_flags(case),
    )
