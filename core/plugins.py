"""The plugin host: discovery, the sector registry, config validation, per-tenant calls.

Built-in sector plugins and third-party ones are found the same way — the ``casedesk``
entry-point group — and use the same public API (:mod:`core.plugin_api`); there is no special
path for built-ins. The manager is built lazily and once (:func:`get_plugin_manager`); tests
build fresh ones with :func:`build_plugin_manager` and extra plugin objects.

Per tenant, :func:`tenant_plugins` returns a :class:`TenantPlugins`: the enabled plugins with
their validated effective configs, cached per (tenant id, config version) so nothing is
re-validated per request. Its methods call a hook on the enabled plugins only, each with its
own config in ``tenant.config`` (see :mod:`core.plugin_calls`), and contain failures: a
plugin that raises becomes a :class:`PluginError` naming it, logged with the tenant id.
"""

from __future__ import annotations

import importlib.metadata
import logging
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import msgspec
import pluggy

from core import hookspecs
from core.plugin_api import PROJECT
from core.plugin_calls import multicall
from core.plugin_categories import CategoryOverrides, effective_categories
from core.plugin_config import validate_config as _validate
from core.plugin_errors import PluginConfigError, PluginError, TransitionVetoed
from core.plugin_tenant import TenantPlugins
from core.plugin_types import Category, NoConfig, Sector

__all__ = [
    "CasedeskPluginManager",
    "PluginConfigError",
    "PluginError",
    "PluginInfo",
    "TenantPlugins",
    "TransitionVetoed",
    "build_plugin_manager",
    "config_schema",
    "get_plugin_manager",
    "get_sector",
    "list_plugins",
    "sector_keys",
    "tenant_categories",
    "tenant_plugins",
    "validate_config",
]

log = logging.getLogger("casedesk.plugins")


@dataclass(frozen=True, slots=True)
class PluginInfo:
    """One loaded plugin as the registry sees it."""

    name: str
    plugin: object
    distribution: str | None
    version: str | None
    hooks: tuple[str, ...]
    sectors: tuple[Sector, ...]
    error: PluginError | None = None

    @property
    def config_schema(self) -> type:
        return self.sectors[0].config_schema if self.sectors else NoConfig


@dataclass(slots=True)
class _Registry:
    plugins: dict[str, PluginInfo] = field(default_factory=dict)
    sectors: dict[str, tuple[str, Sector]] = field(default_factory=dict)


class CasedeskPluginManager(pluggy.PluginManager):
    """A pluggy manager that also knows which sectors its plugins provide.

    The sector registry is computed on first use and dropped whenever a plugin is
    (un)registered, so tests can register plugins on a fresh manager freely.
    """

    def __init__(self) -> None:
        super().__init__(PROJECT)
        self.add_hookspecs(hookspecs)
        self._registry: _Registry | None = None
        self._lock = threading.Lock()
        self.load_errors: dict[str, PluginError] = {}
        """Entry points that failed to import, by name."""
        self.tenant_cache: OrderedDict[tuple[str, Any], TenantPlugins] = OrderedDict()
        """Per-tenant plugin sets, keyed by (tenant id, config version); see :func:`tenant_plugins`."""

    def register(self, plugin: object, name: str | None = None) -> str | None:
        registered = super().register(plugin, name)
        for caller in self.get_hookcallers(plugin) or []:
            for impl in caller.get_hookimpls():
                if impl.plugin is plugin and impl.hookwrapper:
                    self.unregister(plugin)
                    raise pluggy.PluginValidationError(
                        plugin,
                        f"{caller.name}: old-style hookwrapper=True is not supported; use wrapper=True",
                    )
        self._invalidate()
        return registered

    def unregister(self, plugin: object | None = None, name: str | None = None) -> Any:
        self._invalidate()
        return super().unregister(plugin, name)

    def load_entrypoints(self) -> None:
        """Load every ``casedesk`` entry point, one at a time: a plugin that fails to import
        is recorded (and logged) as broken instead of taking the other plugins down."""
        for ep in importlib.metadata.entry_points(group=PROJECT):
            try:
                self.load_setuptools_entrypoints(PROJECT, name=ep.name)
            except Exception as exc:
                log.error("plugin %s could not be loaded: %s", ep.name, exc, exc_info=exc)
                self.load_errors[ep.name] = PluginError(
                    plugin=ep.name, hook=None, detail=f"{type(exc).__name__}: {exc}"
                )
        self._invalidate()

    def _invalidate(self) -> None:
        self._registry = None
        self.tenant_cache.clear()

    @property
    def registry(self) -> _Registry:
        with self._lock:
            if self._registry is None:
                self._registry = self._build_registry()
            return self._registry

    def _build_registry(self) -> _Registry:
        dists = {id(p): d for p, d in self.list_plugin_distinfo()}
        reg = _Registry()
        for name, error in self.load_errors.items():
            reg.plugins[name] = PluginInfo(
                name=name, plugin=None, distribution=None, version=None, hooks=(), sectors=(), error=error
            )
        for name, plugin in self.list_name_plugin():
            if plugin is None:  # blocked
                continue
            hooks = tuple(sorted(c.name for c in self.get_hookcallers(plugin) or []))
            dist = dists.get(id(plugin))
            sectors: tuple[Sector, ...] = ()
            error = None
            impls = [i for i in self.hook.casedesk_sectors.get_hookimpls() if i.plugin is plugin]
            try:
                found = multicall("casedesk_sectors", impls, lambda _i: [], firstresult=False)
                sectors = tuple(s for items in found for s in items)
                _check_sectors(name, sectors)
            except PluginError as exc:
                log.error("plugin %s failed to load: %s", name, exc.detail)
                error, sectors = exc, ()
            info = PluginInfo(
                name=name,
                plugin=plugin,
                distribution=dist.metadata["Name"] if dist else None,
                version=dist.version if dist else None,
                hooks=hooks,
                sectors=sectors,
                error=error,
            )
            reg.plugins[name] = info
            for sector in sectors:
                if sector.key in reg.sectors:
                    other = reg.sectors[sector.key][0]
                    log.error("sector %s of plugin %s is already provided by %s; ignored", sector.key, name, other)
                    continue
                reg.sectors[sector.key] = (name, sector)
        return reg


def _check_sectors(name: str, sectors: tuple[Sector, ...]) -> None:
    schemas = {s.config_schema for s in sectors}
    if len(schemas) > 1:
        raise PluginError(plugin=name, hook="casedesk_sectors", detail="all sectors of a plugin share one config")
    for sector in sectors:
        schema = sector.config_schema
        if not (isinstance(schema, type) and issubclass(schema, msgspec.Struct)):
            raise PluginError(plugin=name, hook="casedesk_sectors", detail="config_schema must be a msgspec Struct")
        try:
            schema()
        except TypeError as exc:
            raise PluginError(
                plugin=name, hook="casedesk_sectors", detail=f"every config field needs a default ({exc})"
            ) from exc


def build_plugin_manager(*extra: object, entrypoints: bool = True) -> CasedeskPluginManager:
    """A new manager: entry-point plugins (built-in and third-party alike) plus ``extra``.

    ``extra`` items are plugin objects (modules, classes, instances) or ``(name, plugin)``
    pairs; a name defaults to pluggy's canonical name. Hook names are checked: a misspelt
    ``casedesk_*`` function fails loudly here instead of never being called.
    """
    pm = CasedeskPluginManager()
    if entrypoints:
        pm.load_entrypoints()
    for item in extra:
        name, plugin = item if isinstance(item, tuple) else (None, item)
        pm.register(plugin, name=name)
    pm.check_pending()
    return pm


_pm: CasedeskPluginManager | None = None
_pm_lock = threading.Lock()


def get_plugin_manager() -> CasedeskPluginManager:
    """The process-wide manager, built on first use (idempotent, thread-safe)."""
    global _pm
    if _pm is None:
        with _pm_lock:
            if _pm is None:
                _pm = build_plugin_manager()
    return _pm


def _pm_or_default(pm: CasedeskPluginManager | None) -> CasedeskPluginManager:
    return pm if pm is not None else get_plugin_manager()


def sector_keys(pm: CasedeskPluginManager | None = None) -> list[str]:
    return sorted(_pm_or_default(pm).registry.sectors)


def get_sector(key: str, pm: CasedeskPluginManager | None = None) -> Sector:
    """The sector ``key``; ``KeyError`` when no loaded plugin provides it."""
    return _pm_or_default(pm).registry.sectors[key][1]


def _info(key: str, pm: CasedeskPluginManager) -> PluginInfo:
    reg = pm.registry
    if key in reg.plugins:
        return reg.plugins[key]
    if key in reg.sectors:
        return reg.plugins[reg.sectors[key][0]]
    raise KeyError(key)


def config_schema(key: str, pm: CasedeskPluginManager | None = None) -> dict[str, Any]:
    """JSON Schema of plugin ``key``'s config (``msgspec.json.schema``)."""
    return msgspec.json.schema(_info(key, _pm_or_default(pm)).config_schema)


def list_plugins(pm: CasedeskPluginManager | None = None) -> list[dict[str, Any]]:
    """Every loaded plugin as JSON-ready data: name (the entry-point name, = sector key),
    distribution and version, hooks implemented, config JSON Schema, sectors with names,
    and the load error if its ``casedesk_sectors`` failed."""
    out = []
    for info in sorted(_pm_or_default(pm).registry.plugins.values(), key=lambda i: i.name):
        out.append(
            {
                "name": info.name,
                "distribution": info.distribution,
                "version": info.version,
                "hooks": list(info.hooks),
                "sectors": [{"key": s.key, "names": msgspec.to_builtins(s.names)} for s in info.sectors],
                "config_schema": msgspec.json.schema(info.config_schema),
                "error": info.error.detail if info.error else None,
            }
        )
    return out


def validate_config(key: str, overrides: Mapping[str, Any] | None, pm: CasedeskPluginManager | None = None) -> Any:
    """Plugin ``key``'s effective config: defaults ⊕ ``overrides`` (deep merge), validated
    strictly; category overrides are checked against the sector's tree. Raises
    :class:`PluginConfigError` with JSON-path fields (e.g. ``$.deadlines.arrival_minutes``);
    ``KeyError`` for an unknown plugin."""
    info = _info(key, _pm_or_default(pm))
    categories = info.sectors[0].categories if info.sectors else None
    return _validate(info.name, info.config_schema, overrides, categories=categories)


def tenant_categories(key: str, config: Any, pm: CasedeskPluginManager | None = None) -> list[Category]:
    """Sector ``key``'s category tree under a tenant's effective ``config``."""
    sector = get_sector(key, pm)
    return effective_categories(sector.categories, getattr(config, "categories", None) or CategoryOverrides())


_CACHE_SIZE = 1024
_cache_lock = threading.Lock()


def tenant_plugins(
    tenant: Any,
    enabled: Mapping[str, Mapping[str, Any] | None],
    version: Any,
    pm: CasedeskPluginManager | None = None,
) -> TenantPlugins:
    """The tenant's enabled plugins, validated once per (tenant id, ``version``).

    :param tenant: a :class:`TenantContext` (its ``config`` is ignored).
    :param enabled: plugin name → stored config overrides, for the *enabled* plugins only.
    :param version: anything that changes whenever the tenant's plugin rows or its name,
        timezone or locale change (e.g. the highest ``TenantPlugin.version`` plus the
        tenant's ``updated_at``). Same version → the cached object, no re-validation.
    :raises PluginConfigError: a stored config no longer validates (e.g. after an upgrade).
    """
    manager = _pm_or_default(pm)
    cache = manager.tenant_cache
    key = (str(tenant.id), version)
    with _cache_lock:
        hit = cache.get(key)
        if hit is not None:
            cache.move_to_end(key)
            return hit
    built = TenantPlugins.build(manager, tenant, enabled, version)
    with _cache_lock:
        cache[key] = built
        while len(cache) > _CACHE_SIZE:
            cache.popitem(last=False)
    return built
