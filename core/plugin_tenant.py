"""One tenant's view of the plugins: what is enabled, with which config, and typed hook calls.

Built once per (tenant id, config version) by :func:`core.plugins.tenant_plugins` and then
shared by every request of that tenant: configs are validated at build time only, each
enabled plugin gets its own :class:`TenantContext` (its own ``config``), and the filtered
implementation lists are memoised per (hook, sector). Nothing global is mutated, so one
tenant's broken plugin config cannot affect another tenant.

Typed methods (tox-style facade), one per hook:

* sync — :meth:`validate_intake`, :meth:`acceptance`, :meth:`route`, :meth:`clocks`,
  :meth:`escalations`, :meth:`notices`: pure decisions, called inside request handlers and
  the deadline engine;
* async — :meth:`case_event`, :meth:`report_sections`: may await what a plugin returned.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import msgspec
from pluggy import HookImpl

from core.plugin_api import await_me_maybe
from core.plugin_calls import HOOKS, Check, Pending, check_result, discard, multicall
from core.plugin_categories import CategoryOverrides, effective_categories
from core.plugin_config import validate_config
from core.plugin_errors import PluginError, TransitionVetoed
from core.plugin_io import (
    AcceptanceDecision,
    CaseEventView,
    CaseView,
    IntakeDraft,
    NoticeRequest,
    Problem,
    ReportPeriod,
    Route,
    TenantContext,
)
from core.plugin_rules import check_intake_fields, find_category, problem
from core.plugin_types import Category, ClockRule, EscalationLadder, EscalationTrigger, Sector

if TYPE_CHECKING:
    from core.plugins import CasedeskPluginManager

__all__ = ["TenantPlugins"]

log = logging.getLogger("casedesk.plugins")


@dataclass(eq=False, slots=True)
class TenantPlugins:
    """The enabled plugins of one tenant at one config version."""

    tenant: TenantContext
    enabled: dict[str, Any]
    """Plugin name → its effective (validated) config Struct."""
    version: Any
    missing: tuple[str, ...] = ()
    """Enabled in the tenant's rows but not installed (or failed to load): skipped, logged."""
    _pm: Any = None
    _contexts: dict[str, TenantContext] = field(default_factory=dict)
    _serves: dict[str, frozenset[str]] = field(default_factory=dict)
    _sectors: dict[str, Sector] = field(default_factory=dict)
    _impls: dict[tuple[str, str | None], list[HookImpl]] = field(default_factory=dict)
    _categories: dict[str, list[Category]] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        pm: CasedeskPluginManager,
        tenant: TenantContext,
        enabled: Mapping[str, Mapping[str, Any] | None],
        version: Any,
    ) -> TenantPlugins:
        """Validate every enabled plugin's overrides and prepare the per-plugin contexts."""
        reg = pm.registry
        configs: dict[str, Any] = {}
        missing: list[str] = []
        for key, overrides in enabled.items():
            name = reg.sectors[key][0] if key in reg.sectors and key not in reg.plugins else key
            info = reg.plugins.get(name)
            if info is None or info.error is not None:
                log.warning(
                    "tenant %s enables plugin %s, which is not available",
                    tenant.id,
                    key,
                    extra={"tenant_id": str(tenant.id), "plugin": key},
                )
                missing.append(key)
                continue
            categories = info.sectors[0].categories if info.sectors else None
            configs[name] = validate_config(name, info.config_schema, overrides, categories=categories)
        self = cls(tenant=tenant, enabled=configs, version=version, missing=tuple(missing), _pm=pm)
        for name, config in configs.items():
            info = reg.plugins[name]
            self._contexts[name] = msgspec.structs.replace(tenant, config=config)
            self._serves[name] = frozenset(s.key for s in info.sectors)
            for sector in info.sectors:
                if reg.sectors.get(sector.key, ("",))[0] == name:
                    self._sectors[sector.key] = sector
        return self

    # -- lookups ---------------------------------------------------------------------------

    def context(self, plugin: str) -> TenantContext:
        """The tenant context plugin ``plugin`` receives (with its own config)."""
        return self._contexts[plugin]

    def sectors(self) -> list[Sector]:
        """The sectors of the enabled plugins."""
        return list(self._sectors.values())

    def sector(self, key: str) -> Sector | None:
        return self._sectors.get(key)

    def config_for_sector(self, key: str) -> Any:
        """The effective config of the plugin providing sector ``key``."""
        for name, keys in self._serves.items():
            if key in keys:
                return self.enabled[name]
        raise KeyError(f"sector {key!r} is not enabled for tenant {self.tenant.id}")

    def categories(self, sector: str) -> list[Category]:
        """The tenant's category tree for ``sector`` (defaults ⊕ its category overrides)."""
        if sector not in self._categories:
            config = self.config_for_sector(sector)
            overrides = getattr(config, "categories", None)
            self._categories[sector] = effective_categories(
                self._sectors[sector].categories,
                overrides if isinstance(overrides, CategoryOverrides) else None,
            )
        return self._categories[sector]

    # -- generic calls ---------------------------------------------------------------------

    def _impls_for(self, hook: str, sector: str | None) -> list[HookImpl]:
        key = (hook, sector)
        if key not in self._impls:
            self._impls[key] = [
                impl
                for impl in getattr(self._pm.hook, hook).get_hookimpls()
                if impl.plugin_name in self.enabled
                and (sector is None or not self._serves[impl.plugin_name] or sector in self._serves[impl.plugin_name])
            ]
        return self._impls[key]

    def _run(self, hook: str, kwargs: dict[str, Any], check: Check | None = None) -> Any:
        contract = HOOKS[hook]
        sector = getattr(kwargs.get(contract.bound), "sector", None) if contract.bound else None
        impls = self._impls_for(hook, sector)

        def args_for(impl: HookImpl) -> list[Any]:
            return [self._contexts[impl.plugin_name] if n == "tenant" else kwargs[n] for n in impl.argnames]

        try:
            return multicall(hook, impls, args_for, firstresult=contract.shape == "first", check=check)
        except PluginError as exc:
            self._log(exc)
            raise

    def _log(self, exc: PluginError) -> None:
        log.error(
            "plugin %s failed in %s for tenant %s: %s",
            exc.plugin,
            exc.hook,
            self.tenant.id,
            exc.detail,
            exc_info=exc,
            extra={"tenant_id": str(self.tenant.id), "plugin": exc.plugin, "hook": exc.hook},
        )

    def call(self, hook: str, **kwargs: Any) -> Any:
        """Call ``hook`` on the enabled plugins; list hooks come back flattened.

        Pass every argument of the hook except ``tenant`` (the host supplies each plugin's
        own). An awaitable result is an error here; use :meth:`acall` for hooks that allow it.
        """
        kwargs["tenant"] = self.tenant
        out = self._run(hook, kwargs)
        if HOOKS[hook].shape != "list":
            return out
        for value in out:
            if isinstance(value, Pending):
                exc = PluginError(plugin=value.plugin, hook=hook, detail="returned an awaitable; use acall()")
                self._log(exc)
                raise exc
        return [item for items in out for item in items]

    async def acall(self, hook: str, **kwargs: Any) -> Any:
        """Like :meth:`call`, awaiting awaitable results (``await_me_maybe``)."""
        kwargs["tenant"] = self.tenant
        out = self._run(hook, kwargs)
        contract = HOOKS[hook]
        if contract.shape == "first":
            return out
        values = out if isinstance(out, list) else [out]
        resolved = []
        for i, value in enumerate(values):
            if isinstance(value, Pending):
                try:
                    awaited = await await_me_maybe(value.value)
                    value = check_result(value.plugin, hook, awaited) if awaited is not None else []
                except Exception as exc:
                    for rest in values[i + 1 :]:
                        if isinstance(rest, Pending):
                            discard(rest.value)
                    if isinstance(exc, TransitionVetoed):
                        exc.plugin = exc.plugin or value.plugin
                        raise
                    error = (
                        exc
                        if isinstance(exc, PluginError)
                        else PluginError(plugin=value.plugin, hook=hook, detail=f"{type(exc).__name__}: {exc}")
                    )
                    self._log(error)
                    raise error from exc
            resolved.append(value)
        if contract.shape == "list":
            return [item for items in resolved for item in items]
        return resolved

    # -- typed facade ----------------------------------------------------------------------

    def validate_intake(self, draft: IntakeDraft) -> list[Problem]:
        """Problems with a draft: unknown sector or category, declared intake fields
        (required, type, choices), then every plugin's own rules."""
        sector = self._sectors.get(draft.sector)
        if sector is None:
            return [
                problem(
                    "sector",
                    "unknown",
                    f"本单位未启用业务类型 {draft.sector}",
                    f"Sector {draft.sector!r} is not enabled for this organisation",
                )
            ]
        problems: list[Problem] = []
        if find_category(self.categories(draft.sector), draft.category) is None:
            problems.append(
                problem(
                    "category",
                    "unknown",
                    f"未知的类别 {draft.category}",
                    f"Unknown category {draft.category!r}",
                )
            )
        problems += check_intake_fields(sector.intake_fields, draft.extra, draft=draft)
        problems += self.call("casedesk_validate_intake", sector=draft.sector, draft=draft)
        return problems

    def _check_ground(self, plugin: str, decision: Any) -> None:
        sector = next(iter(self._serves.get(plugin, ())), None)
        grounds = {g.code: g for g in self._sectors[sector].grounds} if sector in self._sectors else {}
        ground = grounds.get(decision.ground or "")
        if decision.decision == "refuse" and ground is not None and ground.needs_target and not decision.target:
            raise PluginError(
                plugin=plugin,
                hook="casedesk_acceptance",
                detail=f"ground {ground.code} needs a target body or route",
            )

    def acceptance(self, case: CaseView) -> AcceptanceDecision | None:
        """The first plugin decision on accepting ``case`` (``None``: staff decide)."""
        return self._run("casedesk_acceptance", {"tenant": self.tenant, "case": case}, check=self._check_ground)

    def route(self, case: CaseView) -> Route | None:
        """The first plugin's proposed lead and cooperating departments."""
        return self.call("casedesk_route", case=case)

    def clocks(self, case: CaseView) -> list[ClockRule]:
        """Clock rules for ``case``, one per key (the first plugin to name a key wins)."""
        seen: set[str] = set()
        out = []
        for rule in self.call("casedesk_clocks", case=case):
            if rule.key not in seen:
                seen.add(rule.key)
                out.append(rule)
        return out

    def escalations(self, case: CaseView) -> list[EscalationLadder | EscalationTrigger]:
        return self.call("casedesk_escalations", case=case)

    def notices(self, case: CaseView, event: CaseEventView) -> list[NoticeRequest]:
        return self.call("casedesk_notices", case=case, event=event)

    async def case_event(self, case: CaseView, event: CaseEventView) -> None:
        """Let plugins react to (or veto, by raising ``TransitionVetoed``) an event."""
        await self.acall("casedesk_case_event", case=case, event=event)

    async def report_sections(self, period: ReportPeriod) -> list[dict[str, Any]]:
        return await self.acall("casedesk_report_sections", period=period)
