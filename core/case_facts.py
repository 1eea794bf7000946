"""The facts deadlines and escalations decide from: the plugin ``CaseView`` plus history.

``core.case_hooks.case_view`` turns a case row into what plugins see; rules such as "repeat
visit" also need history the row does not carry. ``receptions`` counts this tenant's cases from
the same complainant (identity number) in the same category within the tenant's repeat window
(R8; ``Tenant.settings["repeat_window_days"]``, default 90 days [CFG]), so one snapshot serves
clock rules, ladders and triggers alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

import msgspec

from core import case_hooks
from core.db import as_utc
from core.plugin_io import CaseView
from core.tables import Case, Person, Tenant
from tenants.scope import TenantScope

__all__ = ["DEFAULT_REPEAT_WINDOW_DAYS", "case_flags", "facts_view", "receptions"]

DEFAULT_REPEAT_WINDOW_DAYS = 90
"""Cases from the same person and category this close together count as one matter received
again ([CFG]: the seeds name repeat visits but give no window)."""


def case_flags(case: Mapping[str, Any]) -> list[str]:
    """Markers set on the case by staff or escalations, kept in ``Case.extra["flags"]``."""
    flags = (case.get("extra") or {}).get("flags") or []
    return [str(f) for f in flags] if isinstance(flags, list) else []


async def _repeat_window(scope: TenantScope) -> int:
    row = await Tenant.select(Tenant.settings).where(Tenant.id == scope.tenant_id).output(load_json=True).first()
    settings = (row or {}).get("settings") or {}
    value = settings.get("repeat_window_days") if isinstance(settings, Mapping) else None
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else DEFAULT_REPEAT_WINDOW_DAYS


async def receptions(scope: TenantScope, case: Mapping[str, Any]) -> int:
    """How many cases of this matter (same identity number, same category) arrived within the
    repeat window up to this one, this one included; 1 without an identity number."""
    if not case.get("person_id"):
        return 1
    person = await scope.select(Person, Person.id_number).where(Person.id == case["person_id"]).first()
    if person is None or not person["id_number"]:
        return 1
    people = await scope.select(Person, Person.id).where(Person.id_number == person["id_number"])
    if len(people) <= 1:
        return 1
    received = as_utc(case["received_at"])
    since = received - timedelta(days=await _repeat_window(scope))
    return await scope.count(Case).where(
        Case.person_id.is_in([p["id"] for p in people]),
        Case.category == case["category"],
        Case.received_at >= since,
        Case.received_at <= received,
    )


async def facts_view(scope: TenantScope, case: Mapping[str, Any]) -> CaseView:
    """The plugin snapshot of ``case`` with ``receptions`` counted and flags from the row."""
    view = await case_hooks.case_view(scope, dict(case))
    counted = await receptions(scope, case)
    return msgspec.structs.replace(view, receptions=max(view.receptions, counted), flags=case_flags(case))
