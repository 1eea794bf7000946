"""docs/plugins.md runs: its example plugin is loaded from the page itself and put to work
through the API exactly as the page's walk-through shows, and every answer the page quotes
is the answer the API gives."""

from __future__ import annotations

import ast
import json
import sys
import types
from pathlib import Path
from typing import Any

import pytest
from sector_api import create_seed_departments, event, put_plugin, register

from core.plugins import build_plugin_manager

DOC = Path(__file__).resolve().parents[2] / "docs" / "plugins.md"
MARKER = "<!-- example-plugin: casedesk_water -->"


def doc_text() -> str:
    return DOC.read_text(encoding="utf-8")


def example_source() -> str:
    """The Python block right after the marker."""
    after = doc_text().split(MARKER, 1)[1]
    assert after.lstrip().startswith("```python"), "the marker must precede the example's code block"
    return after.split("```python\n", 1)[1].split("\n```", 1)[0]


def load_example() -> types.ModuleType:
    module = types.ModuleType("casedesk_water")
    exec(compile(example_source(), f"{DOC}#casedesk_water", "exec"), module.__dict__)
    return module


def quoted(value: Any) -> bool:
    """Whether the page quotes ``value`` as compact JSON (one line, as the API sends it)."""
    return json.dumps(value, ensure_ascii=False) in doc_text()


@pytest.fixture
def water(monkeypatch):
    """The process-wide plugin manager with the page's plugin added, as if pip-installed."""
    import core.plugins

    module = load_example()
    monkeypatch.setitem(sys.modules, module.__name__, module)  # as an installed package would be
    monkeypatch.setattr(core.plugins, "_pm", build_plugin_manager(("water", module)))
    return module


def test_the_example_imports_only_the_public_plugin_api():
    for node in ast.walk(ast.parse(example_source())):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("core"):
            assert node.module == "core.plugin_api"


def test_the_example_is_a_valid_plugin(water):
    from core.plugins import get_sector, list_plugins

    sector = get_sector("water")
    assert sector.names.en == "Water supply"
    info = next(p for p in list_plugins() if p["name"] == "water")
    assert info["error"] is None
    assert set(info["hooks"]) == {"casedesk_sectors", "casedesk_route", "casedesk_clocks", "casedesk_case_event"}


async def test_the_walk_through_gives_the_answers_the_page_quotes(water, make_tenant, client):
    t = await make_tenant(sectors=["gov_petition"])

    # 1. Installed plugins.
    installed = (await client.get("/api/v1/plugins", headers=t.admin)).json()
    assert "water" in [p["name"] for p in installed]

    # 2. Enable: saved, with a warning per department code the tenant lacks.
    enabled = await put_plugin(client, t, "water", enabled=True)
    assert enabled.status_code == 200, enabled.text
    body = enabled.json()
    assert (body["enabled"], body["version"]) == (True, 1)
    assert quoted(body["warnings"][0]), body["warnings"][0]
    assert [w["field"] for w in body["warnings"]] == [
        "$.routing['outage'].lead",
        "$.routing['outage'].cooperating[0]",
        "$.routing['billing'].lead",
    ]

    # 3. Departments.
    departments = await create_seed_departments(client, t, "water")
    assert (await client.get("/api/v1/tenant/plugins/water", headers=t.admin)).json()["warnings"] == []

    # 4. Tune: partial overrides, versioned; a bad value is a 422 naming the field.
    config = {"reply_working_days": 3, "categories": {"rename": {"outage": {"zh-CN": "停水停压"}}}}
    assert quoted({"config": config, "expected_version": 1})
    saved = await put_plugin(client, t, "water", config=config, expected_version=1)
    assert saved.status_code == 200 and saved.json()["version"] == 2
    bad = await put_plugin(client, t, "water", config={"reply_working_days": 0})
    assert bad.status_code == 422
    assert quoted(bad.json()["errors"]), bad.json()
    assert quoted(bad.json()["field"])

    # 5. The tenant's categories.
    tree = (await client.get("/api/v1/categories?sector=water", headers=t.admin)).json()
    assert quoted(tree[0]["categories"][0]), tree

    # 6. Intake: validated, then routed.
    case = {
        "sector": "water",
        "category": "billing",
        "channel": "phone",
        "subject": "水费异常",
        "description": "本月水费是平时的十倍。",
        "complainant": {"name": "张三", "contact": "13800000000"},
    }
    assert quoted(case)
    rejected = await register(client, t, case)
    assert rejected.status_code == 422 and quoted(rejected.json()["errors"]), rejected.text
    created = await register(client, t, {**case, "extra": {"account_number": "0101-2233"}})
    assert created.status_code == 201
    row = created.json()
    assert row["lead_department_id"] == departments["accounts"]
    assert [(c["rule_key"], c["amount"]) for c in row["clocks"]] == [("reply", 3)]
    route = await event(client, t, row["id"], "route")
    assert quoted(route["data"]), route["data"]

    # 7. Closing needs the plugin's checklist: 409 naming what is missing.
    for action, fields in [
        ("accept", {}),
        ("assign", {"lead_department_id": departments["accounts"]}),
        ("start", {}),
        ("reply", {"reply": "经核实为水表故障，已更换并退还多收水费。"}),
    ]:
        response = await client.post(
            f"/api/v1/cases/{row['id']}/transitions", json={"action": action, **fields}, headers=t.admin
        )
        assert response.status_code == 200, response.text
    url = f"/api/v1/cases/{row['id']}/transitions"
    vetoed = await client.post(url, json={"action": "close"}, headers=t.admin)
    assert vetoed.status_code == 409
    problem = vetoed.json()
    assert quoted({"vetoed_by": problem["vetoed_by"], "missing": problem["missing"]}), problem
    confirmed = {"action": "close", "checklist": {"customer_confirmed": True}}
    assert quoted(confirmed)
    assert (await client.post(url, json=confirmed, headers=t.admin)).json()["status"] == "closed"
