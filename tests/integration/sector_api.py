"""What a tenant admin does through the API to put a sector to work, and one ready intake body
per installed sector (imported by the sector-flow tests)."""

from __future__ import annotations

import copy
from typing import Any

import httpx

from core.plugins import get_sector

__all__ = [
    "BODIES",
    "body",
    "create_seed_departments",
    "enable",
    "event",
    "events",
    "put_plugin",
    "register",
]

_COMPLAINANT = {"name": "张三", "contact": "13800000000", "address": "示范市示范路1号"}

BODIES: dict[str, dict[str, Any]] = {
    # 归口 to the urban management bureau (seed 004 L59); registration items of seed 004 L27.
    "gov_petition": {
        "sector": "gov_petition",
        "category": "urban",
        "channel": "web",
        "subject": "小区门口占道经营",
        "description": "每天晚上小区门口有摊贩占道经营，噪音很大。",
        "complainant": _COMPLAINANT,
        "extra": {
            "demands": "请求取缔占道经营",
            "has_prior_opinion": False,
            "first_visit": True,
            "other_channel": False,
        },
    },
    # Table B: outpatient disputes → 医务科 with the outpatient department (seed 001 L34).
    "hospital": {
        "sector": "hospital",
        "category": "medical.outpatient",
        "channel": "web",
        "subject": "门诊候诊时间过长",
        "description": "挂号后等待三个小时仍未就诊，医生态度冷淡。",
        "complainant": _COMPLAINANT,
        "extra": {"complainant_role": "patient", "respondent": "门诊内科", "demands": "改进候诊秩序并致歉"},
    },
    # A shared-facility repair → the maintenance team with the CS centre (seed 001 L854, L862, L898).
    "property": {
        "sector": "property",
        "category": "repair.shared",
        "channel": "phone",
        "subject": "电梯停运",
        "description": "3号楼电梯从早上开始停运。",
        "complainant": _COMPLAINANT,
        "extra": {"unit_number": "3-1201", "repair_item": "电梯"},
    },
    # Food safety → the investigation group with general affairs (seed 001 L158; seed 003 L154).
    "school": {
        "sector": "school",
        "category": "food_safety",
        "channel": "web",
        "subject": "午餐饭菜变质",
        "description": "孩子反映幼儿园午餐的饭菜有异味。",
        "complainant": _COMPLAINANT,
        "extra": {"child_name": "小明", "class_name": "中二班"},
    },
    # The department complained about handles it (seed 001 L1010, L1014).
    "bank": {
        "sector": "bank",
        "category": "general.attitude",
        "channel": "visit",
        "subject": "柜员服务态度差",
        "description": "办理转账业务时柜员态度恶劣。",
        "complainant": _COMPLAINANT,
        "extra": {"respondent_staff": "王五", "respondent_department": "outlet"},
    },
}


def body(sector: str, **overrides: Any) -> dict[str, Any]:
    """The sector's ready intake body; ``extra`` in ``overrides`` is merged, not replaced
    (a key set to ``None`` is removed)."""
    out = copy.deepcopy(BODIES[sector])
    extra = overrides.pop("extra", None)
    out.update(overrides)
    if extra is not None:
        out["extra"] = {k: v for k, v in {**out["extra"], **extra}.items() if v is not None}
    return out


async def put_plugin(client: httpx.AsyncClient, t: Any, key: str, **fields: Any) -> httpx.Response:
    return await client.put(f"/api/v1/tenant/plugins/{key}", json=fields, headers=t.admin)


async def enable(client: httpx.AsyncClient, t: Any, key: str, config: dict[str, Any] | None = None) -> dict[str, Any]:
    fields: dict[str, Any] = {"enabled": True}
    if config is not None:
        fields["config"] = config
    response = await put_plugin(client, t, key, **fields)
    assert response.status_code == 200, response.text
    return response.json()


async def create_seed_departments(
    client: httpx.AsyncClient, t: Any, key: str, seeds: list[Any] | None = None
) -> dict[str, str]:
    """``POST /api/v1/departments`` for each of the sector's seed departments; code → id."""
    ids = {}
    for seed in seeds if seeds is not None else get_sector(key).departments:
        response = await client.post(
            "/api/v1/departments",
            json={"code": seed.code, "name_zh": seed.names.zh_CN, "name_en": seed.names.en},
            headers=t.admin,
        )
        assert response.status_code == 201, response.text
        ids[seed.code] = response.json()["id"]
    return ids


async def register(client: httpx.AsyncClient, t: Any, payload: dict[str, Any], headers: Any = None) -> httpx.Response:
    return await client.post("/api/v1/cases", json=payload, headers=headers or t.admin)


async def events(client: httpx.AsyncClient, t: Any, case_id: str) -> list[dict[str, Any]]:
    response = await client.get(f"/api/v1/cases/{case_id}/events", headers=t.admin)
    assert response.status_code == 200, response.text
    return response.json()


async def event(client: httpx.AsyncClient, t: Any, case_id: str, action: str) -> dict[str, Any]:
    """The one event ``action`` of the case."""
    found = [e for e in await events(client, t, case_id) if e["action"] == action]
    assert len(found) == 1, (action, found)
    return found[0]
