"""Demo tenants, one per installed sector, built through the same services real tenants use.

Each demo tenant gets its sector's seed departments, four users and a few sample cases chosen
to show the sector's rules at work: categories with routing rows (so the plugin routes them to
departments), intake fields filled as the sector requires (``required`` and ``required_when``),
and cases the rules accept, refuse or leave to staff. Sectors without curated samples (a
third-party plugin) get cases in their first categories, with the declared fields filled.

Idempotent and convergent: a second run keeps the tenants, adds only what is missing
(departments, users, sample cases — cases are registered with an ``Idempotency-Key`` so they
are never duplicated) and mints a fresh admin API key, since keys are shown only once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import msgspec

from core.api.case_schemas import Accept, Assign, CaseIn, ComplainantIn, Start
from core.clock import Clock
from core.errors import ApiError
from core.intake import register_case
from core.plugin_io import IntakeDraft
from core.plugin_rules import applies
from core.plugin_types import Category, IntakeField, Sector
from core.plugins import get_plugin_manager, get_sector, sector_keys
from core.settings import Settings
from core.tables import Case, CaseDepartment, Department, Tenant, TenantPlugin, User
from core.transitions import apply_transition
from tenants.auth import SCOPES, Principal
from tenants.onboarding import add_department, add_user, create_api_key, create_tenant
from tenants.scope import TenantScope

__all__ = ["DEMO_PASSWORD", "DemoCase", "DemoTenant", "demo_cases", "demo_summary", "intake_extra", "seed_demo"]

DEMO_PASSWORD = "casedesk-demo-2026"
SAMPLE_DATE = "2025-12-01"
"""Date-typed sample values are fixed, so a rerun sends the same bodies (idempotency keys)."""

DEMO_NAMES = {
    "gov_petition": "示范市信访局",
    "hospital": "示范市第一人民医院",
    "property": "示范物业服务有限公司",
    "school": "示范实验学校（含附属幼儿园）",
    "bank": "示范银行城东支行",
}


@dataclass(frozen=True)
class DemoCase:
    category: str
    subject: str
    description: str
    extra: dict[str, Any] = field(default_factory=dict)
    channel: str | None = None
    """``None``: the sector's first channel."""


_PETITION = {"demands": "请求依法处理", "has_prior_opinion": False, "first_visit": True, "other_channel": False}

DEMO_CASES: dict[str, list[DemoCase]] = {
    "gov_petition": [
        # 归口 by subject (seed 004 L59) → the urban management bureau; walked to in_progress.
        DemoCase("urban", "夜间施工噪音扰民", "小区旁工地每晚施工至凌晨，多次反映未果。", {**_PETITION}),
        # Expropriation: natural resources leads with housing; a leader's instruction → 交办 (seed 004 L61).
        DemoCase(
            "land_housing.expropriation",
            "征地补偿标准争议",
            "村集体土地被征收，补偿标准低于公示标准。",
            {**_PETITION, "demands": "按公示标准补偿", "leader_instruction": True},
        ),
        # 属地管理: a county matter goes to its petition office (seed 004 L57).
        DemoCase(
            "labour.wages",
            "农民工工资被拖欠",
            "在甲县某工地务工半年，工资至今未发。",
            {**_PETITION, "demands": "追讨欠薪", "territory": "county_a"},
        ),
        # A concluded re-review is no longer accepted, by rule (NA1, seed 004 L15).
        DemoCase(
            "land_housing.housing",
            "再次反映房屋产权问题",
            "该事项已经复核终结，来访人仍要求重新处理。",
            {**_PETITION, "first_visit": False, "has_prior_opinion": True, "review_status": "review_concluded"},
        ),
    ],
    "hospital": [
        # Complete → accepted by rule (seed 001 L420–L424); table B: 医务科 + outpatient (seed 001 L34).
        DemoCase(
            "medical.outpatient",
            "门诊候诊时间过长",
            "挂号后等待三个小时仍未就诊。",
            {"complainant_role": "patient", "respondent": "门诊内科", "demands": "改进候诊秩序"},
            channel="web",
        ),
        # Several departments: 医务科 leads (seed 001 L44).
        DemoCase(
            "medical.clinical",
            "术后护理与用药问题",
            "术后换药不及时，用药说明不清楚。",
            {
                "complainant_role": "agent",
                "respondent": "外科病区",
                "demands": "说明情况并改进",
                "departments_involved": ["nursing", "pharmacy"],
            },
            channel="letter",
        ),
        # An oral complaint without a signed transcript: staff ask for it first (seed 001 L424, L432).
        DemoCase(
            "conduct.red_envelope",
            "反映医生收受红包",
            "家属反映手术前被暗示送红包。",
            {"complainant_role": "agent", "respondent": "某主治医师", "demands": "调查处理"},
            channel="visit",
        ),
    ],
    "property": [
        # A repair is accepted at once (seed 001 L842, L862) and routed to maintenance (seed 001 L854).
        DemoCase(
            "repair.shared", "电梯停运", "3号楼电梯从早上开始停运。", {"unit_number": "3-1201", "repair_item": "电梯"}
        ),
        # A large repair goes to the engineering department (seed 001 L856).
        DemoCase(
            "repair.own_unit",
            "卫生间渗水",
            "楼上卫生间渗水到我家天花板，需要更换防水层。",
            {"unit_number": "5-0602", "repair_item": "防水层", "repair_size": "large"},
        ),
        # Other complaints: the management office (seed 000 L350).
        DemoCase("service", "保洁不及时", "楼道垃圾两天没有清运。"),
    ],
    "school": [
        # Food safety: the investigation group, escalated at once (seed 001 L158; seed 003 L148, L154).
        DemoCase(
            "food_safety",
            "午餐饭菜变质",
            "孩子反映幼儿园午餐的饭菜有异味。",
            {"child_name": "小明", "class_name": "中二班"},
        ),
        DemoCase("teaching", "作业量过大", "三年级每天作业需要三个小时以上才能完成。", {"class_name": "三年级二班"}),
        DemoCase("campus_order", "放学时校门口拥堵", "放学时段校门口车辆乱停，存在安全隐患。"),
    ],
    "bank": [
        # The department complained about handles it (seed 001 L1010, L1014).
        DemoCase(
            "general.attitude",
            "柜员服务态度差",
            "办理转账业务时柜员态度恶劣。",
            {"respondent_staff": "王五", "respondent_department": "outlet"},
        ),
        DemoCase("complex.product", "理财产品收益与宣传不符", "购买的理财产品实际收益远低于宣传。"),
        # Media involved: the priority is raised at once (seed 001 L1016).
        DemoCase("media", "媒体报道排队问题", "本地电视台报道网点排队时间过长。", {"media": True}),
    ],
}


@dataclass
class DemoTenant:
    slug: str
    name: str
    sector: str
    api_key: str
    password: str = DEMO_PASSWORD
    users: list[str] = field(default_factory=list)
    cases: int = 0
    skipped: list[str] = field(default_factory=list)
    """Sample cases the sector's rules would not register (third-party plugins), with why."""


def _leaves(categories: list[Category]) -> list[Category]:
    out: list[Category] = []
    for c in categories:
        out.extend(_leaves(c.children) if c.children else [c])
    return out


def _sample_value(f: IntakeField) -> Any:
    if f.type == "choice":
        return f.choices[0].code if f.choices else ""
    return {
        "int": 1,
        "bool": False,
        "date": SAMPLE_DATE,
        "datetime": f"{SAMPLE_DATE}T09:00:00+08:00",
        "list": ["示例"],
    }.get(f.type, "示例")


def demo_cases(sector: Sector) -> list[DemoCase]:
    """The curated samples of the sector, or three cases in its first leaf categories."""
    if sector.key in DEMO_CASES:
        return DEMO_CASES[sector.key]
    leaves = _leaves(sector.categories)
    return [
        DemoCase(leaf.code, f"示例：{leaf.names.zh_CN}", f"关于“{leaf.names.zh_CN}”的示例投诉。") for leaf in leaves[:3]
    ]


def intake_extra(sector: Sector, sample: DemoCase, channel: str, now: datetime) -> dict[str, Any]:
    """The sample's intake fields plus a value for every declared field the sector requires for
    this draft: ``required`` ones and those whose ``required_when`` matches (seed 001 L860
    repairs, seed 003 L153 kindergarten complaints…)."""
    extra = dict(sample.extra)
    draft = IntakeDraft(
        sector=sector.key,
        category=sample.category,
        channel=channel,
        subject=sample.subject,
        description=sample.description,
        received_at=now,
        extra=extra,
    )
    for f in sector.intake_fields:
        if f.name not in extra and (f.required or (f.required_when is not None and applies(f.required_when, draft))):
            extra[f.name] = _sample_value(f)
    return extra


async def seed_demo(settings: Settings, clock: Clock) -> list[DemoTenant]:
    pm = get_plugin_manager()
    return [await _seed_sector(get_sector(key, pm), settings, clock) for key in sector_keys(pm)]


async def _seed_sector(sector: Sector, settings: Settings, clock: Clock) -> DemoTenant:
    slug = f"demo-{sector.key.replace('_', '-')}"
    name = DEMO_NAMES.get(sector.key, f"Demo {sector.names.en}")
    now = clock.now()
    existing = await Tenant.select(Tenant.id).where(Tenant.slug == slug).first()
    if existing is None:
        created = await create_tenant(slug=slug, name=name, sectors=[sector.key], now=now)
        scope, api_key = TenantScope(created.tenant_id), created.api_key
    else:
        scope = TenantScope(existing["id"])
        api_key, _ = await create_api_key(scope, name="demo-admin", role="tenant_admin", scopes=list(SCOPES), now=now)
        if not await scope.exists(TenantPlugin).where(TenantPlugin.plugin_key == sector.key):
            await scope.insert(TenantPlugin, plugin_key=sector.key, enabled=True, config={}, version=1, updated_at=now)

    departments = await _ensure_departments(scope, sector, now)
    admin = await _ensure_users(scope, departments, settings, now)
    demo = DemoTenant(slug, name, sector.key, api_key, users=["admin", "supervisor", "handler", "auditor"])
    await _sample_cases(sector, admin, departments, demo, settings, now)
    demo.cases = await scope.count(Case)
    return demo


async def _ensure_departments(scope: TenantScope, sector: Sector, now: datetime) -> dict[str, Any]:
    """The sector's seed departments (or an office), creating those missing; code → id."""
    seeds = [(d.code, d.names.zh_CN, d.names.en) for d in sector.departments] or [("office", "办公室", "Office")]
    have = {r["code"]: r["id"] for r in await scope.select(Department, Department.code, Department.id)}
    for code, zh, en in seeds:
        if code not in have:
            have[code] = await add_department(scope, code=code, name_zh=zh, name_en=en, now=now)
    return {code: have[code] for code, _, _ in seeds}


async def _ensure_users(
    scope: TenantScope, departments: dict[str, Any], settings: Settings, now: datetime
) -> Principal:
    """admin, supervisor, handler (first department) and auditor; the admin as a principal."""
    first = next(iter(departments.values()))
    people = [
        ("admin", ["tenant_admin"], None),
        ("supervisor", ["supervisor"], None),
        ("handler", ["handler"], first),
        ("auditor", ["auditor"], None),
    ]
    have = {r["username"]: r["id"] for r in await scope.select(User, User.username, User.id)}
    for username, roles, dept in people:
        if username not in have:
            have[username] = await add_user(
                scope,
                username=username,
                password=DEMO_PASSWORD,
                roles=roles,
                department_id=dept,
                now=now,
                display_name=username,
                hash_profile=settings.password_hash_profile,
            )
    return Principal(
        tenant_id=scope.tenant_id,
        actor_kind="user",
        actor_id=have["admin"],
        name="admin",
        roles=frozenset({"tenant_admin"}),
    )


async def _sample_cases(
    sector: Sector, admin: Principal, departments: dict[str, Any], demo: DemoTenant, settings: Settings, now: datetime
) -> None:
    default_channel = sector.channels[0] if sector.channels else "web"
    for i, sample in enumerate(demo_cases(sector)):
        channel = sample.channel or default_channel
        draft = CaseIn(
            sector=sector.key,
            category=sample.category,
            channel=channel,  # type: ignore[arg-type]
            subject=sample.subject,
            description=sample.description,
            complainant=ComplainantIn(
                name=f"示例投诉人{i + 1}", contact=f"1380000000{i}", address=f"示范市示范路{i + 1}号"
            ),
            extra=intake_extra(sector, sample, channel, now),
        )
        try:
            result = await register_case(
                admin,
                draft,
                now=now,
                idempotency_key=f"demo-{sector.key}-{i}",
                secret_key=settings.resolved_secret_key(),
                hash_profile=settings.password_hash_profile,
            )
        except ApiError as exc:  # e.g. a plugin rule the generic samples do not meet
            reasons = "; ".join(f"{e['field']}: {e['message']}" for e in exc.errors) or exc.detail
            demo.skipped.append(f"{sample.category}: {reasons}")
            continue
        if i == 0 and not result.replayed:
            await _take_up(admin, result.case, departments, now)


async def _take_up(admin: Principal, case: dict[str, Any], departments: dict[str, Any], now: datetime) -> None:
    """Walk the first sample to in_progress: accepted, assigned where the plugin routed it."""
    if case["status"] == "registered":
        case = await apply_transition(admin, case["id"], Accept(), now=now)
    if case["status"] != "accepted":
        return
    lead = case["lead_department_id"] or next(iter(departments.values()))
    links = await admin.scope.select(CaseDepartment).where(
        CaseDepartment.case_id == case["id"], CaseDepartment.role == "cooperating"
    )
    assign = Assign(lead_department_id=lead, cooperating_department_ids=[r["department_id"] for r in links])
    case = await apply_transition(admin, case["id"], assign, now=now)
    await apply_transition(admin, case["id"], Start(), now=now)


def demo_summary(tenants: list[DemoTenant]) -> list[dict[str, Any]]:
    """JSON-ready description of the demo tenants (``casedesk demo --json``)."""
    return [msgspec.to_builtins(t.__dict__) for t in tenants]
