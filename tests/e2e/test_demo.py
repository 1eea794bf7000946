"""``casedesk demo`` as an operator runs it: one demo tenant per installed sector, twice."""

from __future__ import annotations

import json
import re

import httpx
from e2e_helpers import casedesk

from core.plugins import sector_keys

TENANT_LINE = re.compile(r"^\s+\S.* \[(?P<slug>demo-[a-z-]+)\] sector=(?P<sector>\w+)$")
KEY_LINE = re.compile(r"^\s+admin API key : (?P<key>cdk_\S+)$")


def _parse_text(stdout: str) -> dict[str, dict[str, str]]:
    """slug → {"sector", "api_key"} from the human-readable output."""
    tenants: dict[str, dict[str, str]] = {}
    slug = None
    for line in stdout.splitlines():
        if m := TENANT_LINE.match(line):
            slug = m["slug"]
            tenants[slug] = {"sector": m["sector"]}
        elif (m := KEY_LINE.match(line)) and slug:
            tenants[slug]["api_key"] = m["key"]
    return tenants


def _cases(live_server: str, key: str) -> list[dict]:
    response = httpx.get(f"{live_server}/api/v1/cases?limit=100", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200, response.text
    return response.json()["items"]


def test_demo_is_idempotent_and_each_run_prints_a_working_key(server_env, live_server):
    first = casedesk("demo", env=server_env)
    assert first.returncode == 0, first.stderr
    printed = _parse_text(first.stdout)
    # One tenant per installed sector, the example plugin included.
    assert sorted(t["sector"] for t in printed.values()) == sector_keys()
    assert "skipped sample" not in first.stdout
    before = {slug: _cases(live_server, t["api_key"]) for slug, t in printed.items()}
    assert all(before.values())

    second = casedesk("demo", "--json", env=server_env)
    assert second.returncode == 0, second.stderr
    again = {t["slug"]: t for t in json.loads(second.stdout)}
    assert set(again) == set(printed)
    for slug, tenant in again.items():
        assert tenant["api_key"] != printed[slug]["api_key"]  # a fresh key each run …
        after = _cases(live_server, tenant["api_key"])  # … that works against the live server
        assert sorted(c["id"] for c in after) == sorted(c["id"] for c in before[slug])  # no duplicates
        assert tenant["cases"] == len(after) and tenant["skipped"] == []
        # The first run's key still works too: nothing was revoked.
        assert len(_cases(live_server, printed[slug]["api_key"])) == len(after)


def test_demo_cases_are_validated_routed_and_decided_by_the_sector_rules(server_env, live_server):
    result = casedesk("demo", "--json", env=server_env)
    assert result.returncode == 0, result.stderr
    tenants = {t["sector"]: t for t in json.loads(result.stdout)}
    for sector, tenant in tenants.items():
        headers = {"Authorization": f"Bearer {tenant['api_key']}"}
        cases = _cases(live_server, tenant["api_key"])
        departments = {
            d["id"]: d["code"] for d in httpx.get(f"{live_server}/api/v1/departments", headers=headers).json()
        }
        # Every sample is routed by the plugin to one of the tenant's departments …
        assert all(c["lead_department_id"] in departments for c in cases), (sector, cases)
        # … and the first one was taken up (accepted, assigned where it was routed, started).
        first = min(cases, key=lambda c: c["number"])
        assert first["status"] == "in_progress", (sector, first["status"])
    statuses = {s: sorted(c["status"] for c in _cases(live_server, t["api_key"])) for s, t in tenants.items()}
    assert "not_accepted" in statuses["gov_petition"]  # NA1 by rule (seed 004 L15)
    assert "accepted" in statuses["property"]  # repairs accepted at once (seed 001 L842)
    assert "accepted" in statuses["hospital"]  # complete complaints (seed 001 L420–L424)
