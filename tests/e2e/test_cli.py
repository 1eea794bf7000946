"""The operator's commands, run as real processes."""

from __future__ import annotations

import json
import unicodedata
import uuid

import httpx
from e2e_helpers import casedesk


def test_migrate_is_idempotent(server_env):
    result = casedesk("migrate", env=server_env)
    assert result.returncode == 0, result.stderr
    assert "up to date" in result.stdout


def test_tenant_create_prints_json_and_the_key_works(server_env, live_server):
    slug = f"cli-{uuid.uuid4().hex[:8]}"
    result = casedesk(
        "tenant", "create", "--slug", slug, "--name", "某市信访局", "--sector", "gov_petition", "--json", env=server_env
    )
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["slug"] == slug and payload["api_key"].startswith("cdk_")
    uuid.UUID(payload["tenant_id"])
    me = httpx.get(f"{live_server}/api/v1/auth/me", headers={"Authorization": f"Bearer {payload['api_key']}"})
    assert me.status_code == 200 and me.json()["tenant_slug"] == slug


def test_tenant_create_refuses_bad_input(server_env):
    bad_slug = casedesk(
        "tenant", "create", "--slug", "Bad Slug!", "--name", "x", "--sector", "gov_petition", env=server_env
    )
    assert bad_slug.returncode == 2 and "slug" in bad_slug.stderr
    slug = f"dup-{uuid.uuid4().hex[:8]}"
    assert (
        casedesk("tenant", "create", "--slug", slug, "--name", "x", "--sector", "school", env=server_env).returncode
        == 0
    )
    again = casedesk("tenant", "create", "--slug", slug, "--name", "x", "--sector", "school", env=server_env)
    assert again.returncode == 2 and "already exists" in again.stderr


def test_plugins_lists_every_installed_sector_as_a_table_and_as_json(server_env):
    table = casedesk("plugins", env=server_env)
    assert table.returncode == 0, table.stderr
    lines = table.stdout.splitlines()
    assert lines[0].split() == [
        "PLUGIN",
        "DISTRIBUTION",
        "VERSION",
        "SECTORS",
        "(zh-CN",
        "/",
        "en)",
        "HOOKS",
        "(casedesk_*)",
    ]
    rows = {line.split()[0]: line for line in lines[1:] if line.strip() and not line.startswith(tuple("0123456789"))}
    assert set(rows) == {"bank", "gov_petition", "hospital", "property", "school"}
    # The example is a separate distribution; the built-ins ship with casedesk.
    assert rows["bank"].split()[1:3] == ["casedesk-bank", "0.1.0"]
    assert rows["property"].split()[1] == "casedesk"
    assert "物业管理 / Property management" in rows["property"]
    assert "银行网点 / Bank branch" in rows["bank"]
    assert "route" in rows["hospital"] and "validate_intake" in rows["hospital"]

    # Columns line up even with Chinese names (two columns per character).
    def width(text: str) -> int:
        return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)

    assert len({width(line.rsplit("  ", 1)[0]) for line in lines[:6]}) == 1, table.stdout
    assert lines[-1].startswith("5 plugin(s)")

    listed = casedesk("plugins", "--json", env=server_env)
    assert listed.returncode == 0, listed.stderr
    infos = {p["name"]: p for p in json.loads(listed.stdout)}
    assert set(infos) == set(rows)
    bank = infos["bank"]
    assert (bank["distribution"], bank["version"], bank["error"]) == ("casedesk-bank", "0.1.0", None)
    assert bank["sectors"] == [{"key": "bank", "names": {"zh-CN": "银行网点", "en": "Bank branch"}}]
    assert "casedesk_route" in bank["hooks"]
    schema = infos["property"]["config_schema"]
    deadlines = schema["$defs"]["PropertyDeadlines"]["properties"]
    assert deadlines["notify_minutes"] == {"type": "integer", "minimum": 1, "default": 5}
    # Department codes in configs are marked, so a form can offer the tenant's departments.
    assert schema["$defs"]["RouteEntry"]["properties"]["lead"]["x-casedesk"] == "department-code"


def test_demo_on_a_fresh_laptop_database_migrates_first(server_env, tmp_path):
    """The README's first command on a new machine: no database yet, nothing configured."""
    env = {k: v for k, v in server_env.items() if k not in ("CASEDESK_DATABASE_URL", "CASEDESK_REDIS_URL")}
    env["CASEDESK_DATA_DIR"] = str(tmp_path / "var")
    result = casedesk("demo", "--json", env=env)
    assert result.returncode == 0, result.stderr
    tenants = json.loads(result.stdout)  # stdout is pure JSON: migration progress goes to stderr
    assert sorted(t["sector"] for t in tenants) == sorted({"gov_petition", "hospital", "property", "school", "bank"})
    assert all(t["api_key"].startswith("cdk_") and t["cases"] >= 3 for t in tenants)
