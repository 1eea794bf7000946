"""Issue 4 end to end through HTTP: a tenant admin puts each installed sector to work.

For every sector — the four built-ins and the installed example ``bank`` — a tenant made with
another sector enables it (``PUT /api/v1/tenant/plugins/<key>``), creates its seed departments,
renames a category, changes a deadline amount and gets a precise 422 for a bad one; intake is
validated (422 listing the sector's missing fields, ``required_when`` included) and routed by
the plugin to the tenant's department ids. Then: two sectors in one tenant, a disabled sector,
the last enabled sector, and a plugin that raises. The sectors' own acceptance, closure and
escalation rules are in ``test_sector_rules.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from sector_api import body, create_seed_departments, enable, event, put_plugin, register

from core.plugin_api import Names, Route, Sector, hookimpl
from core.plugins import build_plugin_manager, get_sector


@dataclass(frozen=True)
class Walkthrough:
    other: str
    """The sector the tenant is created with."""
    rename: tuple[str, dict[str, str]]
    """A category and its new names (``config.categories.rename``)."""
    amount: tuple[dict[str, Any], str, int]
    """Config overrides changing a deadline, the clock it shows on, the new amount."""
    bad: tuple[dict[str, Any], str, str]
    """Bad overrides, the field path and the message of the 422."""
    incomplete: tuple[dict[str, Any], set[str]]
    """Intake overrides that leave required fields out, and the fields the 422 names."""
    lead: str
    cooperating: list[str]
    reason: str
    """The seed citation the ``route`` event's reason gives."""
    routing_in_config: bool = True


SPECS = {
    "gov_petition": Walkthrough(
        other="school",
        rename=("urban", {"zh-CN": "城市管理与市容"}),
        amount=({"deadlines": {"acceptance_days": 20}}, "acceptance", 20),
        bad=({"deadlines": {"acceptance_days": 0}}, "$.deadlines.acceptance_days", "Expected `int` >= 1, got `0`"),
        # seed 004 L27 registration items; seed 004 L41: a skip-level visit records why.
        incomplete=(
            {"extra": {"demands": None, "first_visit": None, "skip_level": True}},
            {"extra.demands", "extra.first_visit", "extra.skip_level_reason"},
        ),
        lead="urban_management",
        cooperating=[],
        reason="seed 004 L59",
    ),
    "hospital": Walkthrough(
        other="gov_petition",
        rename=("conduct", {"zh-CN": "医德医风"}),
        amount=({"deadlines": {"acceptance_days": 5}}, "acceptance", 5),
        bad=(
            {"routing": {"table": "Z"}},
            "$.routing.table",
            "Invalid enum value 'Z'; expected one of 'B', 'C6'",
        ),
        # seed 001 L420 standing; seed 001 L424 a phone complaint gives name, address and contact.
        incomplete=(
            {
                "channel": "phone",
                "complainant": {"name": "李四", "contact": "139"},
                "extra": {"complainant_role": None},
            },
            {"extra.complainant_role", "complainant.address"},
        ),
        lead="medical_affairs",
        cooperating=["outpatient"],
        reason="seed 001 L34",
        routing_in_config=False,
    ),
    "property": Walkthrough(
        other="gov_petition",
        rename=("repair", {"zh-CN": "报修服务"}),
        amount=({"deadlines": {"notify_minutes": 10}}, "notify_maintenance", 10),
        bad=({"deadlines": {"notify_minutes": 0}}, "$.deadlines.notify_minutes", "Expected `int` >= 1, got `0`"),
        # seed 001 L860: a repair is recorded with the unit number and the item (required_when).
        incomplete=({"extra": {"unit_number": None, "repair_item": None}}, {"extra.unit_number", "extra.repair_item"}),
        lead="maintenance",
        cooperating=["cs_centre"],
        reason="seed 001 L854, L862, L898",
    ),
    "school": Walkthrough(
        other="gov_petition",
        rename=("food_safety", {"en": "Food safety and hygiene"}),
        amount=({"deadlines": {"acknowledge_working_days": 2}}, "acknowledge", 2),
        bad=(
            {"deadlines": {"safety_response_minutes": "soon"}},
            "$.deadlines.safety_response_minutes",
            "Expected `int`, got `str`",
        ),
        # seed 003 L153: kindergarten complaints record the child's name (required_when).
        incomplete=({"extra": {"child_name": None}}, {"extra.child_name"}),
        lead="investigation_group",
        cooperating=["general_affairs"],
        reason="seed 001 L158; seed 003 L154",
    ),
    "bank": Walkthrough(
        other="gov_petition",
        rename=("general", {"zh-CN": "普通投诉"}),
        amount=({"general_working_days": 4}, "reply", 4),
        bad=({"complex_working_days": 6}, "$.complex_working_days", "Expected `int` <= 5, got `6`"),
        # The example declares no required field: a wrongly typed one is named instead (seed 001 L1016).
        incomplete=({"extra": {"media": "yes"}}, {"extra.media"}),
        lead="outlet",
        cooperating=[],
        reason="seed 001 L1010, L1014",
        routing_in_config=False,
    ),
}


def _find(nodes: list[dict[str, Any]], code: str) -> dict[str, Any] | None:
    for node in nodes:
        if node["code"] == code:
            return node
        found = _find(node["children"], code)
        if found is not None:
            return found
    return None


@pytest.mark.parametrize("key", sorted(SPECS))
async def test_a_tenant_admin_puts_the_sector_to_work(make_tenant, client, key):
    spec = SPECS[key]
    sector = get_sector(key)
    t = await make_tenant(sectors=[spec.other])

    # Not enabled yet: its intake is refused on `sector`.
    refused = await register(client, t, body(key))
    assert refused.status_code == 422 and refused.json()["field"] == "sector", refused.text

    # Enable it. Routing names departments the tenant does not have yet: saved, with warnings.
    enabled = await enable(client, t, key)
    assert enabled["enabled"] is True and enabled["version"] == 1
    if spec.routing_in_config:
        assert enabled["warnings"], enabled
        assert any(w["field"].startswith("$.routing") for w in enabled["warnings"])
        seed_codes = {d.code for d in sector.departments}
        assert all(any(f"`{c}`" in w["message"] for c in seed_codes) for w in enabled["warnings"])
    else:
        assert enabled["warnings"] == []

    departments = await create_seed_departments(client, t, key)
    assert set(departments) == {d.code for d in sector.departments}
    shown = (await client.get(f"/api/v1/tenant/plugins/{key}", headers=t.admin)).json()
    assert shown["warnings"] == [] and shown["version"] == 1

    # Rename a category and change a deadline amount, in one versioned save.
    code, names = spec.rename
    overrides, clock_key, amount = spec.amount
    config = {**overrides, "categories": {"rename": {code: names}}}
    saved = await put_plugin(client, t, key, config=config, expected_version=1)
    assert saved.status_code == 200, saved.text
    assert saved.json()["version"] == 2 and saved.json()["overrides"] == config
    stale = await put_plugin(client, t, key, config={}, expected_version=1)
    assert stale.status_code == 409 and stale.json()["field"] == "expected_version"

    # A bad value: 422 naming the field path with the message; nothing stored.
    bad_config, field, message = spec.bad
    bad = await put_plugin(client, t, key, config=bad_config)
    assert bad.status_code == 422, bad.text
    assert bad.headers["content-type"].startswith("application/problem+json")
    assert bad.json()["errors"] == [{"field": field, "message": message}]
    assert bad.json()["field"] == field
    after = (await client.get(f"/api/v1/tenant/plugins/{key}", headers=t.admin)).json()
    assert after["version"] == 2 and after["overrides"] == config

    # Intake is validated: every missing field of the sector at once.
    incomplete, fields = spec.incomplete
    rejected = await register(client, t, body(key, **incomplete))
    assert rejected.status_code == 422, rejected.text
    assert {e["field"] for e in rejected.json()["errors"]} == fields

    # … and routed by the plugin to this tenant's department ids, with the seed cited.
    response = await register(client, t, body(key))
    assert response.status_code == 201, response.text
    case = response.json()
    assert case["lead_department_id"] == departments[spec.lead]
    assert case["cooperating_department_ids"] == sorted(departments[c] for c in spec.cooperating)
    route = await event(client, t, case["id"], "route")
    assert route["actor_kind"] == "system" or route["actor_id"] is None
    assert route["data"]["lead"] == spec.lead and route["data"]["unknown"] == []
    assert spec.reason in route["data"]["reason"]

    # The new amount is the one the case's clock runs on.
    clocks = {c["rule_key"]: c for c in case["clocks"]}
    assert clocks[clock_key]["amount"] == amount, clocks

    # The renamed category, in the tenant's tree (the other language untouched).
    tree = (await client.get(f"/api/v1/categories?sector={key}", headers=t.admin)).json()
    assert [s["sector"] for s in tree] == [key]
    node = _find(tree[0]["categories"], code)
    default = next(c for c in _iter(sector.categories) if c.code == code)
    assert node["names"] == {"zh-CN": default.names.zh_CN, "en": default.names.en, **names}


def _iter(categories):
    for c in categories:
        yield c
        yield from _iter(c.children)


async def test_routing_to_a_department_the_tenant_lacks_warns_and_routes_nowhere(make_tenant, client):
    """Saved with a warning naming `$.routing…`; the case registers unrouted and the route
    event lists the unknown code (hospital table B override, seed 001 L44 row shape)."""
    t = await make_tenant(sectors=["gov_petition"])
    await create_seed_departments(client, t, "hospital")
    config = {"routing": {"overrides": {"conduct": {"lead": "ethics_office", "cooperating": ["supervision"]}}}}
    saved = await enable(client, t, "hospital", config)
    assert saved["warnings"] == [
        {
            "field": "$.routing.overrides['conduct'].lead",
            "message": "no department with code `ethics_office` in this organisation: cases routed to it get no "
            "department until one is created (POST /api/v1/departments) or the routing is changed",
        }
    ]
    case = (await register(client, t, body("hospital", category="conduct.red_envelope"))).json()
    assert case["lead_department_id"] is None
    route = await event(client, t, case["id"], "route")
    assert route["data"]["unknown"] == ["ethics_office"]

    # An inactive department is named as such; creating the missing one clears the warning.
    dept = (await client.get("/api/v1/departments", headers=t.admin)).json()
    supervision = next(d for d in dept if d["code"] == "supervision")
    await client.patch(f"/api/v1/departments/{supervision['id']}", json={"active": False}, headers=t.admin)
    shown = (await client.get("/api/v1/tenant/plugins/hospital", headers=t.admin)).json()
    assert [w["field"] for w in shown["warnings"]] == [
        "$.routing.overrides['conduct'].lead",
        "$.routing.overrides['conduct'].cooperating[0]",
    ]
    assert "inactive" in shown["warnings"][1]["message"]
    await client.patch(f"/api/v1/departments/{supervision['id']}", json={"active": True}, headers=t.admin)
    await client.post("/api/v1/departments", json={"code": "ethics_office", "name_zh": "医德办"}, headers=t.admin)
    listed = (await client.get("/api/v1/tenant/plugins", headers=t.admin)).json()
    assert next(p for p in listed if p["key"] == "hospital")["warnings"] == []


async def test_a_hospital_group_with_a_kindergarten_registers_cases_in_both_sectors(make_tenant, client):
    t = await make_tenant(sectors=["hospital"])
    await enable(client, t, "school")
    hospital = await create_seed_departments(client, t, "hospital")
    school = await create_seed_departments(client, t, "school")

    tree = (await client.get("/api/v1/categories", headers=t.admin)).json()
    assert sorted(s["sector"] for s in tree) == ["hospital", "school"]

    ward = await register(client, t, body("hospital"))
    nursery = await register(client, t, body("school"))
    assert ward.status_code == 201 and nursery.status_code == 201, (ward.text, nursery.text)
    # Each case is routed by its own sector's plugin to that sector's departments.
    assert ward.json()["lead_department_id"] == hospital["medical_affairs"]  # seed 001 L34
    assert nursery.json()["lead_department_id"] == school["investigation_group"]  # seed 003 L154
    # … and validated by its own rules only: the hospital's standing field is not asked of the school.
    assert (
        await register(client, t, body("school", category="teaching", extra={"child_name": None}))
    ).status_code == 201
    listed = (await client.get("/api/v1/cases?limit=50", headers=t.admin)).json()["items"]
    assert sorted(c["sector"] for c in listed) == ["hospital", "school", "school"]


async def test_a_disabled_sectors_intake_is_422_on_sector(make_tenant, client):
    t = await make_tenant(sectors=["gov_petition", "school"])
    assert (await register(client, t, body("school"))).status_code == 201
    disabled = await put_plugin(client, t, "school", enabled=False)
    assert disabled.status_code == 200 and disabled.json()["enabled"] is False
    refused = await register(client, t, body("school"))
    assert refused.status_code == 422
    assert refused.json()["errors"] == [
        {"field": "sector", "message": "本单位未启用业务类型 school"},
    ]
    english = await client.post("/api/v1/cases", json=body("school"), headers={**t.admin, "Accept-Language": "en"})
    assert english.json()["errors"][0]["message"] == "Sector 'school' is not enabled for this organisation"
    tree = (await client.get("/api/v1/categories", headers=t.admin)).json()
    assert [s["sector"] for s in tree] == ["gov_petition"]
    # The other sector carries on.
    assert (await register(client, t, body("gov_petition"))).status_code == 201


async def test_disabling_the_last_enabled_sector_is_409(make_tenant, client):
    t = await make_tenant(sectors=["property"])
    response = await put_plugin(client, t, "property", enabled=False)
    assert response.status_code == 409, response.text
    assert response.json()["errors"] == [{"field": "enabled", "message": "the last enabled sector cannot be disabled"}]
    shown = (await client.get("/api/v1/tenant/plugins/property", headers=t.admin)).json()
    assert shown["enabled"] is True and shown["version"] == 1
    # With a second sector enabled, the first may go.
    await enable(client, t, "school")
    assert (await put_plugin(client, t, "property", enabled=False)).status_code == 200


async def test_an_unknown_plugin_is_404(make_tenant, client):
    t = await make_tenant()
    response = await put_plugin(client, t, "casino", enabled=True)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")


class Flaky:
    """A sector whose routing hook raises — a plugin bug, as one tenant meets it."""

    SECTOR = Sector(
        key="flaky",
        names=Names("故障示例", "Flaky example"),
        categories=[get_sector("gov_petition").categories[0]],
    )

    @hookimpl
    def casedesk_sectors(self) -> Sector:
        return self.SECTOR

    @hookimpl
    def casedesk_route(self, case) -> Route:
        raise RuntimeError("routing table exploded")


@pytest.fixture
def flaky_manager(monkeypatch):
    """The process-wide plugin manager, swapped for one that also holds :class:`Flaky`."""
    import core.plugins

    pm = build_plugin_manager(("flaky", Flaky()))
    monkeypatch.setattr(core.plugins, "_pm", pm)
    return pm


async def test_a_plugin_that_raises_is_a_502_naming_it_and_other_tenants_carry_on(
    make_tenant, client, flaky_manager, caplog
):
    broken = await make_tenant(sectors=["gov_petition"])
    healthy = await make_tenant(sectors=["gov_petition"])
    await enable(client, broken, "flaky")
    listed = (await client.get("/api/v1/plugins", headers=broken.admin)).json()
    assert "flaky" in [p["name"] for p in listed]

    response = await register(client, broken, {**body("gov_petition"), "sector": "flaky", "category": "land_housing"})
    assert response.status_code == 502, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["plugin"] == "flaky" and problem["hook"] == "casedesk_route"
    assert "flaky" in problem["detail"] and "exploded" not in response.text  # no internals leak
    logged = [r for r in caplog.records if r.name == "casedesk.plugins" and getattr(r, "plugin", None) == "flaky"]
    assert logged and all(r.tenant_id == str(broken.id) for r in logged)
    # Nothing was written: the intake transaction rolled back.
    assert (await client.get("/api/v1/cases", headers=broken.admin)).json()["items"] == []

    # The same tenant's other sector, and every other tenant, carry on.
    assert (await register(client, broken, body("gov_petition"))).status_code == 201
    assert (await register(client, healthy, body("gov_petition"))).status_code == 201
