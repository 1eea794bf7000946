"""The README's curl walk-through, run verbatim against a live server."""

from __future__ import annotations

import json
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest
from e2e_helpers import casedesk

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def _walkthrough() -> str:
    block = README.split("<!-- walkthrough:start -->")[1].split("<!-- walkthrough:end -->")[0]
    return block.split("```sh", 1)[1].rsplit("```", 1)[0]


@pytest.mark.skipif(shutil.which("curl") is None, reason="the walk-through is written for curl")
def test_readme_walkthrough_runs_as_written(server_env, live_server):
    slug = f"readme-{uuid.uuid4().hex[:8]}"
    created = casedesk(
        "tenant", "create", "--slug", slug, "--name", "信访局", "--sector", "gov_petition", "--json", env=server_env
    )
    assert created.returncode == 0, created.stderr
    key = json.loads(created.stdout)["api_key"]
    result = subprocess.run(
        ["bash", "-c", _walkthrough()],
        capture_output=True,
        text=True,
        timeout=120,
        env={**server_env, "KEY": key, "BASE": live_server},
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["registered", "accepted", "assigned", "in_progress", "replied", "closed", "已办结"]
