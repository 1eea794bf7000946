"""/api/v1/plugins, /api/v1/tenant/plugins/{key} and /api/v1/categories.

A tenant admin enables sector plugins and tunes them; overrides are validated against the
plugin's schema when saved (422 naming the exact field path), stored with a version number and
audited. Hooks always receive the effective config: defaults ⊕ overrides.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec
from litestar import Controller, get, put
from msgspec import UNSET, Struct, UnsetType

from core.case_hooks import plugins_for
from core.db import transaction
from core.errors import Conflict, FieldError, NotFound, Unprocessable
from core.plugin_departments import missing_department_warnings
from core.plugin_errors import PluginConfigError
from core.plugin_types import Category
from core.plugins import get_plugin_manager, list_plugins, sector_keys, validate_config
from core.tables import Department, TenantPlugin
from tenants.audit import record_tenant_event
from tenants.auth import Principal, require_roles, require_scope

__all__ = ["PluginController", "TenantPluginController"]


class TenantPluginIn(Struct, forbid_unknown_fields=True):
    enabled: bool | UnsetType = UNSET
    config: dict[str, Any] | UnsetType = UNSET
    """The tenant's overrides (replaces the stored ones); ``{}`` returns to the defaults."""
    expected_version: int | None = None


class TenantPluginOut(Struct):
    key: str
    enabled: bool
    version: int
    overrides: dict[str, Any]
    effective: dict[str, Any]
    schema: dict[str, Any]
    updated_at: datetime | None
    warnings: list[dict[str, str]] = []
    """``{"field", "message"}`` for each department code in the effective config that the
    organisation has no active department for (``$.routing.by_category['repair'].lead``…).
    The config is saved anyway: routing may be set up before the departments exist."""


class CategoryNode(Struct):
    code: str
    names: dict[str, str]
    default_severity: str
    children: list[CategoryNode]


class SectorCategories(Struct):
    sector: str
    names: dict[str, str]
    categories: list[CategoryNode]


def _node(c: Category) -> CategoryNode:
    return CategoryNode(c.code, msgspec.to_builtins(c.names), c.default_severity, [_node(x) for x in c.children])


def _installed(key: str) -> None:
    if key not in sector_keys(get_plugin_manager()):
        raise NotFound(f"No plugin '{key}' is installed.")


def _schema(key: str) -> dict[str, Any]:
    info = next((p for p in list_plugins(get_plugin_manager()) if p["name"] == key), None)
    return info["config_schema"] if info else {}


async def _department_codes(who: Principal) -> tuple[set[str], set[str]]:
    """The tenant's (active, inactive) department codes."""
    rows = await who.scope.select(Department, Department.code, Department.active)
    return {r["code"] for r in rows if r["active"]}, {r["code"] for r in rows if not r["active"]}


async def _out(who: Principal, key: str, departments: tuple[set[str], set[str]] | None = None) -> TenantPluginOut:
    row = await who.scope.select(TenantPlugin).where(TenantPlugin.plugin_key == key).first()
    overrides = (row or {}).get("config") or {}
    effective = validate_config(key, overrides, get_plugin_manager())
    active, inactive = departments if departments is not None else await _department_codes(who)
    return TenantPluginOut(
        key=key,
        enabled=bool(row and row["enabled"]),
        version=row["version"] if row else 0,
        overrides=overrides,
        effective=msgspec.to_builtins(effective),
        schema=_schema(key),
        updated_at=row["updated_at"] if row else None,
        warnings=missing_department_warnings(effective, active, inactive),
    )


class PluginController(Controller):
    path = "/api/v1"
    tags = ["plugins"]

    @get("/plugins", guards=[require_scope("cases:read")], summary="Installed sector plugins")
    async def installed(self) -> list[dict[str, Any]]:
        return list_plugins(get_plugin_manager())

    @get("/categories", guards=[require_scope("cases:read")], summary="The tenant's effective category trees")
    async def categories(self, who: Principal, sector: str | None = None) -> list[SectorCategories]:
        plugins = await plugins_for(who.scope)
        out = []
        for s in plugins.sectors():
            if sector is None or s.key == sector:
                out.append(
                    SectorCategories(s.key, msgspec.to_builtins(s.names), [_node(c) for c in plugins.categories(s.key)])
                )
        return out


class TenantPluginController(Controller):
    path = "/api/v1/tenant/plugins"
    tags = ["plugins"]

    @get("/", guards=[require_scope("admin:read")], summary="Every installed plugin as this tenant has it")
    async def index(self, who: Principal) -> list[TenantPluginOut]:
        departments = await _department_codes(who)
        return [await _out(who, key, departments) for key in sector_keys(get_plugin_manager())]

    @get("/{key:str}", guards=[require_scope("admin:read")], summary="One plugin's state and config for this tenant")
    async def show(self, key: str, who: Principal) -> TenantPluginOut:
        _installed(key)
        return await _out(who, key)

    @put(
        "/{key:str}",
        guards=[require_scope("admin:write"), require_roles("tenant_admin")],
        summary="Enable/disable a plugin and set its config overrides",
    )
    async def update(self, key: str, data: TenantPluginIn, who: Principal, now: datetime) -> TenantPluginOut:
        _installed(key)
        scope = who.scope
        async with transaction():
            row = await scope.select(TenantPlugin).where(TenantPlugin.plugin_key == key).first()
            current_version = row["version"] if row else 0
            if data.expected_version is not None and data.expected_version != current_version:
                raise Conflict(
                    "The plugin settings changed since you read them; reload and try again.",
                    errors=[FieldError("expected_version", f"current version is {current_version}")],
                )
            overrides = data.config if data.config is not UNSET else ((row or {}).get("config") or {})
            was_enabled = bool(row and row["enabled"])
            # PUT on a plugin the tenant has never had enables it unless told otherwise.
            enabled = data.enabled if data.enabled is not UNSET else (was_enabled if row else True)
            try:
                validate_config(key, overrides, get_plugin_manager())
            except PluginConfigError as exc:
                errors = [FieldError(e["field"], e["message"]) for e in exc.errors]
                raise Unprocessable(f"Invalid configuration for plugin '{key}'.", errors=errors) from None
            if was_enabled and not enabled:
                await self._check_not_last(who, key)
            values = {"enabled": enabled, "config": overrides, "version": current_version + 1, "updated_at": now}
            if row is None:
                await scope.insert(TenantPlugin, plugin_key=key, **values)
            else:
                await scope.update(TenantPlugin, {getattr(TenantPlugin, k): v for k, v in values.items()}).where(
                    TenantPlugin.id == row["id"], TenantPlugin.version == current_version
                )
            await record_tenant_event(
                who.tenant_id,
                "plugin_config",
                actor=who,
                at=now,
                data={
                    "plugin": key,
                    "version": current_version + 1,
                    "before": {"enabled": was_enabled, "config": (row or {}).get("config") or {}},
                    "after": {"enabled": enabled, "config": overrides},
                },
            )
        return await _out(who, key)

    async def _check_not_last(self, who: Principal, key: str) -> None:
        """A tenant keeps at least one enabled sector: intake needs one."""
        others = await who.scope.count(TenantPlugin).where(
            TenantPlugin.enabled.eq(True), TenantPlugin.plugin_key != key
        )
        if others == 0:
            raise Conflict(
                "This is the organisation's only enabled sector; enable another first.",
                errors=[FieldError("enabled", "the last enabled sector cannot be disabled")],
            )
