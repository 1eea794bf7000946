"""Tenant rows are reached only through ``tenants.scope.TenantScope``.

This walks the source of every package and fails on a direct query method called on a
tenant-owned table (``Case.select()``, ``User.update(...)``, ``Case.raw(...)`` …) outside
``tenants/``, which owns the scope and the few audited cross-tenant reads.
"""

from __future__ import annotations

import ast
from pathlib import Path

from core.tables import TENANT_OWNED_TABLES

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("core", "plugins", "workers")
QUERY_METHODS = {"select", "objects", "update", "delete", "insert", "count", "exists", "raw", "alter"}
OWNED = {t.__name__ for t in TENANT_OWNED_TABLES}


def _violations(source: str) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in QUERY_METHODS
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id in OWNED
        ):
            found.append((node.lineno, f"{node.func.value.id}.{node.func.attr}()"))
    return found


def test_the_guard_catches_a_direct_query():
    assert _violations("from core.tables import Case\nrows = Case.select().where(Case.id == 1)\n") == [
        (2, "Case.select()")
    ]
    assert _violations("rows = scope.select(Case)\n") == []


def test_no_direct_queries_on_tenant_tables_outside_tenants():
    problems = []
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for line, call in _violations(path.read_text(encoding="utf-8")):
                problems.append(f"{path.relative_to(ROOT)}:{line}: {call}")
    assert not problems, "use TenantScope instead of:\n" + "\n".join(problems)
