"""The README's settings table and commands stay true to the code."""

from __future__ import annotations

from pathlib import Path

from core.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_settings_table_matches_the_settings_object():
    table = README.split("<!-- settings-table:start -->")[1].split("<!-- settings-table:end -->")[0]
    rows = [line for line in table.strip().splitlines()[2:]]
    expected = [f"| `{name}` | `{default}` | {doc} |" for name, default, doc in Settings.describe()]
    assert rows == expected


def test_ci_runs_the_readme_test_command():
    assert "bash scripts/test.sh" in README
    assert "bash scripts/test.sh" in (ROOT / ".ci" / "run").read_text()
