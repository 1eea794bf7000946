"""Fixtures for the plugin tests: a plugin manager loaded from the entry points (built-ins and
the installed example ``casedesk-bank`` alike), and small factories for tenants, cases, events."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from plugin_factories import make_case, make_draft, make_event

from core.plugin_api import CaseEventView, CaseView, IntakeDraft, TenantContext
from core.plugins import CasedeskPluginManager, TenantPlugins, build_plugin_manager, tenant_plugins


@pytest.fixture(scope="session")
def pm() -> CasedeskPluginManager:
    return build_plugin_manager()


@pytest.fixture
def tenant() -> TenantContext:
    return TenantContext(id="t-1", slug="demo", name="Demo")


_versions = iter(range(1, 1_000_000))


@pytest.fixture
def enable(pm: CasedeskPluginManager, tenant: TenantContext) -> Callable[..., TenantPlugins]:
    """``enable("property", {"deadlines": {...}})`` or ``enable({"hospital": {}, "bank": {}})``
    → the tenant's plugin set, at a fresh config version."""

    def make(key: str | dict[str, Any], overrides: dict[str, Any] | None = None) -> TenantPlugins:
        enabled = key if isinstance(key, dict) else {key: overrides or {}}
        return tenant_plugins(tenant, enabled, version=next(_versions), pm=pm)

    return make


@pytest.fixture
def case() -> Callable[..., CaseView]:
    return make_case


@pytest.fixture
def draft() -> Callable[..., IntakeDraft]:
    return make_draft


@pytest.fixture
def event() -> Callable[..., CaseEventView]:
    return make_event
