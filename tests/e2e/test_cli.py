"""The operator's commands, run as real processes."""

from __future__ import annotations

import json
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
