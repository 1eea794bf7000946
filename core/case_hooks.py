"""The bridge between stored cases and the tenant's enabled plugins.

Loads the tenant's plugin rows (one indexed query), gets the cached :class:`TenantPlugins` for
their version (validated once per version, not per request), and turns case rows into the
plain :class:`CaseView` data plugins decide from. Plugins never see tables.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from core.plugin_io import CaseView, ComplainantDraft, IntakeDraft, TenantContext
from core.plugin_tenant import TenantPlugins
from core.plugins import tenant_plugins
from core.tables import CaseDepartment, Department, Person, Tenant, TenantPlugin
from tenants.scope import TenantScope

__all__ = [
    "case_view",
    "draft_view",
    "plugins_for",
]


async def plugins_for(scope: TenantScope) -> TenantPlugins:
    """The tenant's enabled plugins with their effective configs (cached per config version)."""
    tenant = (
        await Tenant.select(Tenant.id, Tenant.slug, Tenant.name, Tenant.timezone, Tenant.locale)
        .where(Tenant.id == scope.tenant_id)
        .first()
    )
    rows = await scope.select(TenantPlugin).where(TenantPlugin.enabled.eq(True))
    context = TenantContext(
        id=str(tenant["id"]),
        slug=tenant["slug"],
        name=tenant["name"],
        timezone=tenant["timezone"],
        locale=tenant["locale"],
    )
    version = (
        tuple(sorted((r["plugin_key"], r["version"]) for r in rows)),
        tenant["name"],
        tenant["timezone"],
        tenant["locale"],
    )
    return tenant_plugins(context, {r["plugin_key"]: r["config"] or {} for r in rows}, version)


def draft_view(data: Any, received_at: datetime) -> IntakeDraft:
    """An intake body (``CaseIn``) as plugins see it."""
    c = data.complainant
    return IntakeDraft(
        sector=data.sector,
        category=data.category,
        channel=data.channel,
        subject=data.subject,
        description=data.description,
        received_at=received_at,
        complainant=ComplainantDraft(name=c.name, contact=c.contact, id_number=c.id_number, address=c.address)
        if c is not None
        else None,
        anonymous=data.anonymous,
        confidential=data.confidential,
        group_size=data.group_size,
        location=data.location,
        severity=data.severity,
        extra=dict(data.extra),
    )


async def case_view(scope: TenantScope, row: dict[str, Any]) -> CaseView:
    """A case row as plugins see it: department *codes*, the complainant, flags."""
    links = await scope.select(CaseDepartment).where(CaseDepartment.case_id == row["id"])
    dept_ids = {link["department_id"] for link in links}
    if row["lead_department_id"]:
        dept_ids.add(row["lead_department_id"])
    codes = (
        {
            d["id"]: d["code"]
            for d in await scope.select(Department, Department.id, Department.code).where(
                Department.id.is_in(list(dept_ids))
            )
        }
        if dept_ids
        else {}
    )
    complainant = None
    if row["person_id"]:
        p = await scope.select(Person).where(Person.id == row["person_id"]).first()
        if p is not None:
            complainant = ComplainantDraft(
                name=p["name"], contact=p["contact"], id_number=p["id_number"], address=p["address"]
            )
    extra = dict(row["extra"] or {})
    return CaseView(
        id=str(row["id"]),
        sector=row["sector"],
        category=row["category"],
        received_at=row["received_at"],
        number=row["number"],
        tracking_code=row["tracking_code"],
        channel=row["channel"],
        subject=row["subject"],
        description=row["description"],
        severity=row["severity"],
        status=row["status"],
        anonymous=row["anonymous"],
        confidential=row["confidential"],
        group_size=row["group_size"],
        location=row["location"],
        extra=extra,
        complainant=complainant,
        lead_department=codes.get(row["lead_department_id"]),
        cooperating_departments=sorted(
            codes[link["department_id"]]
            for link in links
            if link["role"] == "cooperating" and link["department_id"] in codes
        ),
        created_at=row["created_at"],
        receptions=int(extra.get("receptions", 1) or 1),
        flags=list(extra.get("flags", [])),
    )
