"""Demo tenants, one per installed sector, built through the same services real tenants use.

Idempotent: an existing demo tenant is kept (its cases too); each run mints a fresh admin API
key for it, since keys are shown only once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from core.api.case_schemas import Accept, Assign, CaseIn, ComplainantIn
from core.clock import Clock
from core.intake import register_case
from core.plugin_types import Category, IntakeField, Sector
from core.plugins import get_plugin_manager, get_sector, sector_keys
from core.settings import Settings
from core.tables import Case, Department, Tenant, User
from core.transitions import apply_transition
from tenants.auth import SCOPES, Principal
from tenants.onboarding import add_department, add_user, create_api_key, create_tenant
from tenants.scope import TenantScope

__all__ = ["DEMO_PASSWORD", "DemoTenant", "seed_demo"]

DEMO_PASSWORD = "casedesk-demo-2026"

DEMO_NAMES = {
    "gov_petition": "示范市信访局",
    "hospital": "示范市第一人民医院",
    "property": "示范物业服务有限公司",
    "school": "示范实验学校（含附属幼儿园）",
}

SAMPLE_CASES = [
    ("反映问题需要尽快处理", "来访人反映的问题已持续一个月，多次沟通未果，请求有关部门尽快处理并答复。"),
    ("对处理结果不满意", "此前反映的事项处理结果与实际情况不符，请求重新核实。"),
    ("咨询办理流程", "想了解相关事项的办理流程和所需材料。"),
]


@dataclass
class DemoTenant:
    slug: str
    name: str
    sector: str
    api_key: str
    password: str = DEMO_PASSWORD
    users: list[str] = field(default_factory=list)


def _leaves(categories: list[Category]) -> list[Category]:
    out: list[Category] = []
    for c in categories:
        out.extend(_leaves(c.children) if c.children else [c])
    return out


def _sample_value(f: IntakeField, today: date) -> Any:
    if f.type == "choice":
        return f.choices[0].code if f.choices else ""
    return {"int": 1, "bool": False, "date": today.isoformat(), "datetime": f"{today.isoformat()}T09:00:00+08:00"}.get(
        f.type, "示例"
    )


async def seed_demo(settings: Settings, clock: Clock) -> list[DemoTenant]:
    pm = get_plugin_manager()
    return [await _seed_sector(get_sector(key, pm), settings, clock) for key in sector_keys(pm)]


async def _seed_sector(sector: Sector, settings: Settings, clock: Clock) -> DemoTenant:
    slug = f"demo-{sector.key.replace('_', '-')}"
    name = DEMO_NAMES.get(sector.key, f"Demo {sector.names.en}")
    now = clock.now()
    existing = await Tenant.select(Tenant.id).where(Tenant.slug == slug).first()
    if existing is not None:
        scope = TenantScope(existing["id"])
        key, _ = await create_api_key(scope, name="demo-admin", role="tenant_admin", scopes=list(SCOPES), now=now)
        users = [u["username"] for u in await scope.select(User, User.username).order_by(User.username)]
        return DemoTenant(slug, name, sector.key, key, users=users)

    created = await create_tenant(slug=slug, name=name, sectors=[sector.key], now=now)
    scope = TenantScope(created.tenant_id)
    departments = []
    for seed in sector.departments:
        departments.append(
            await add_department(scope, code=seed.code, name_zh=seed.names.zh_CN, name_en=seed.names.en, now=now)
        )
    if not departments:
        departments.append(await add_department(scope, code="office", name_zh="办公室", name_en="Office", now=now))
    people = [
        ("admin", ["tenant_admin"], None),
        ("supervisor", ["supervisor"], None),
        ("handler", ["handler"], departments[0]),
        ("auditor", ["auditor"], None),
    ]
    admin_id = None
    for username, roles, dept in people:
        user_id = await add_user(
            scope,
            username=username,
            password=DEMO_PASSWORD,
            roles=roles,
            department_id=dept,
            now=now,
            display_name=username,
            hash_profile=settings.password_hash_profile,
        )
        admin_id = admin_id or user_id
    admin = Principal(
        tenant_id=created.tenant_id,
        actor_kind="user",
        actor_id=admin_id,
        name="admin",
        roles=frozenset({"tenant_admin"}),
    )
    await _sample_cases(sector, admin, departments, settings, now)
    return DemoTenant(slug, name, sector.key, created.api_key, users=[p[0] for p in people])


async def _sample_cases(sector: Sector, admin: Principal, departments: list, settings: Settings, now: datetime) -> None:
    leaves = _leaves(sector.categories) or [Category(code="general", names=sector.names)]
    today = now.date()
    extra = {f.name: _sample_value(f, today) for f in sector.intake_fields if f.required}
    channel = sector.channels[0] if sector.channels else "web"
    for i, (subject, description) in enumerate(SAMPLE_CASES):
        draft = CaseIn(
            sector=sector.key,
            category=leaves[i % len(leaves)].code,
            channel=channel,  # type: ignore[arg-type]
            subject=subject,
            description=description,
            complainant=ComplainantIn(name=f"示例投诉人{i + 1}", contact=f"1380000000{i}"),
            extra=extra,
        )
        result = await register_case(
            admin,
            draft,
            now=now,
            idempotency_key=f"demo-{i}",
            secret_key=settings.resolved_secret_key(),
            hash_profile=settings.password_hash_profile,
        )
        if i == 0 and result.case["status"] == "registered":
            await apply_transition(admin, result.case["id"], Accept(), now=now)
            await apply_transition(admin, result.case["id"], Assign(lead_department_id=departments[0]), now=now)


async def demo_case_count(slug: str) -> int:
    tenant = await Tenant.select(Tenant.id).where(Tenant.slug == slug).first()
    return 0 if tenant is None else await TenantScope(tenant["id"]).count(Case)


async def demo_departments(slug: str) -> list[str]:
    tenant = await Tenant.select(Tenant.id).where(Tenant.slug == slug).first()
    rows = await TenantScope(tenant["id"]).select(Department, Department.code)
    return [r["code"] for r in rows]
