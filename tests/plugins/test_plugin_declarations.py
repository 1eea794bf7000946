"""Sweeps over every installed sector: each rule cites its source, each text exists in both
languages, plugins use only the public plugin API, and the hook reference is in sync."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from core import hookspecs
from core.plugin_api import ClockRule, EscalationLadder, EscalationTrigger, iter_categories
from core.plugin_docs import render
from core.plugins import get_plugin_manager, get_sector, sector_keys

ROOT = Path(__file__).resolve().parents[2]
SECTORS = ["bank", "gov_petition", "hospital", "property", "school"]
CITATION = re.compile(r"seed 00[0-4] L\d+|\[CFG\]|\[EXT\]|^tenant$")


def sectors():
    return [get_sector(key) for key in sector_keys()]


def all_rules(key: str) -> list:
    """Every clock and escalation a sector declares under its default config. By convention a
    plugin keeps them as ``clocks(config)`` / ``escalations(config)`` functions, in its ``rules``
    module or in the package itself; the hooks filter them per case."""
    module = get_plugin_manager().get_plugin(key)
    rules = getattr(module, "rules", module)
    config = get_sector(key).config_defaults()
    return [*rules.clocks(config), *rules.escalations(config)]


@pytest.mark.parametrize("key", SECTORS)
def test_every_declared_rule_cites_a_seed_line_or_is_marked_CFG_or_EXT(key):
    sector = get_sector(key)
    sourced = [
        *iter_categories(sector.categories),
        *sector.intake_fields,
        *sector.grounds,
        *sector.departments,
        *sector.roles,
        *all_rules(key),
    ]
    for item in sourced:
        label = (
            getattr(item, "key", None)
            or getattr(item, "code", None)
            or getattr(item, "name", None)
            or getattr(item, "clock_key", None)
        )
        assert CITATION.search(item.source), f"{key}: {type(item).__name__} {label} has no citation"
    assert any(isinstance(r, ClockRule) for r in all_rules(key))
    assert any(isinstance(r, EscalationLadder | EscalationTrigger) for r in all_rules(key))


@pytest.mark.parametrize("key", SECTORS)
def test_every_text_has_both_languages(key):
    sector = get_sector(key)
    named = [
        *iter_categories(sector.categories),
        *sector.intake_fields,
        *sector.grounds,
        *sector.departments,
        *sector.roles,
        *[c for f in sector.intake_fields for c in f.choices],
        *[r for r in all_rules(key) if not isinstance(r, EscalationLadder)],
    ]
    for item in named:
        assert item.names.zh_CN.strip() and item.names.en.strip(), item


def test_category_codes_are_dotted_paths_of_their_parents():
    for sector in sectors():
        for cat in iter_categories(sector.categories):
            for child in cat.children:
                assert child.code.startswith(cat.code + "."), (sector.key, child.code)


PLUGIN_FILES = sorted((ROOT / "plugins").rglob("*.py")) + sorted((ROOT / "examples").rglob("*.py"))


@pytest.mark.parametrize("path", PLUGIN_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_plugins_import_only_the_public_plugin_api_of_core(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "core":
            assert node.module == "core.plugin_api", f"{path.name}: from {node.module} import …"
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("plugins."):
            own = path.relative_to(ROOT).parts[1]
            assert node.module.split(".")[1] == own, f"{path.name} imports another plugin: {node.module}"


def test_no_plugin_reads_the_shared_folder_at_run_time():
    for path in PLUGIN_FILES:
        assert "../shared" not in path.read_text(encoding="utf-8"), path


def test_every_hook_is_documented_with_an_example():
    for name in hookspecs.ORDER:
        doc = getattr(hookspecs, name).__doc__ or ""
        assert "Example::" in doc and "@hookimpl" in doc, name


def test_the_hook_reference_is_in_sync():
    committed = (ROOT / "docs" / "hook_reference.md").read_text(encoding="utf-8")
    assert committed == render(), "run: python -m core.plugin_docs > docs/hook_reference.md"


def test_the_sweep_covers_every_installed_sector():
    assert sorted(sector_keys()) == SECTORS
