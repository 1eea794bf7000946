"""The plugin host: discovery, listing, per-tenant enablement, per-plugin config, containment."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pluggy
import pytest
from msgspec import Struct
from plugin_factories import make_case, make_event

from core import hookspecs
from core.plugin_api import (
    AcceptanceDecision,
    Category,
    Ground,
    Names,
    Route,
    Sector,
    TenantContext,
    TransitionVetoed,
    hookimpl,
)
from core.plugin_calls import HOOKS
from core.plugins import (
    PluginConfigError,
    PluginError,
    build_plugin_manager,
    get_plugin_manager,
    get_sector,
    list_plugins,
    sector_keys,
    tenant_plugins,
)

BUILT_IN = {"gov_petition", "hospital", "property", "school"}


def test_built_in_and_third_party_plugins_are_found_through_the_entry_point_group(pm):
    assert BUILT_IN | {"bank"} <= set(sector_keys(pm))
    dists = {info["name"]: info["distribution"] for info in list_plugins(pm)}
    assert {dists[k] for k in BUILT_IN} == {"casedesk"}
    assert dists["bank"] == "casedesk-bank"


def test_list_plugins_gives_version_hooks_schema_and_sector_names(pm):
    info = {i["name"]: i for i in list_plugins(pm)}["property"]
    assert info["version"]
    assert "casedesk_clocks" in info["hooks"] and "casedesk_sectors" in info["hooks"]
    assert info["sectors"] == [{"key": "property", "names": {"zh-CN": "物业管理", "en": "Property management"}}]
    schema = info["config_schema"]
    assert schema["$defs"]["PropertyDeadlines"]["properties"]["notify_minutes"] == {
        "type": "integer",
        "minimum": 1,
        "default": 5,
    }
    assert info["error"] is None


def test_get_plugin_manager_is_lazy_and_idempotent():
    assert get_plugin_manager() is get_plugin_manager()


def test_hook_contracts_cover_every_hookspec():
    specs = {name for name in dir(hookspecs) if name.startswith("casedesk_")}
    assert set(HOOKS) == specs == set(hookspecs.ORDER)


def test_every_sector_declares_departments_and_both_languages(pm):
    for key in sector_keys(pm):
        sector = get_sector(key, pm)
        assert sector.departments, key
        assert sector.names.zh_CN and sector.names.en
        sector.config_defaults()  # every config field has a default


# -- test plugins ---------------------------------------------------------------------------


class SpyConfig(Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    label: str = "default"


class Spy:
    """A sector plugin that records what it was called with."""

    def __init__(self, key: str) -> None:
        self.key = key
        self.calls: list[tuple[str, Any]] = []

    @hookimpl
    def casedesk_sectors(self) -> Sector:
        return Sector(
            key=self.key,
            names=Names(self.key, self.key),
            config_schema=SpyConfig,
            categories=[Category(code="x", names=Names("x", "x"))],
        )

    @hookimpl
    def casedesk_route(self, tenant: TenantContext, case: Any) -> Route:
        self.calls.append(("route", tenant.config.label))
        return Route(lead=f"{self.key}-{tenant.config.label}")

    @hookimpl
    def casedesk_clocks(self, tenant: TenantContext) -> list:
        self.calls.append(("clocks", tenant.config.label))
        return []


class Boom:
    @hookimpl
    def casedesk_sectors(self) -> Sector:
        return Sector(key="boom", names=Names("炸", "Boom"), categories=[Category(code="x", names=Names("x", "x"))])

    @hookimpl
    def casedesk_route(self, case: Any) -> Route:
        raise RuntimeError("kaput")

    @hookimpl
    def casedesk_clocks(self) -> list:
        return ["not a clock rule"]

    @hookimpl
    def casedesk_notices(self) -> Any:
        async def later() -> list:
            return []

        return later()


def _tenant(tid: str = "t-9") -> TenantContext:
    return TenantContext(id=tid, slug=tid, name=tid)


def test_each_plugin_gets_its_own_config_and_only_enabled_plugins_are_called():
    a, b, c = Spy("a"), Spy("b"), Spy("c")
    pm = build_plugin_manager(("a", a), ("b", b), ("c", c), entrypoints=False)
    tp = tenant_plugins(_tenant(), {"a": {"label": "A1"}, "b": {"label": "B1"}}, 1, pm)
    assert tp.route(make_case("a", "x")) == Route(lead="a-A1")
    tp.clocks(make_case("b", "x"))
    assert a.calls == [("route", "A1")]
    assert b.calls == [("clocks", "B1")]  # sector-bound: b is not asked about a's case
    assert c.calls == []  # not enabled
    assert tp.context("b").config == SpyConfig(label="B1")


def test_firstresult_stops_at_the_first_answer():
    class Late:
        @hookimpl(trylast=True)
        def casedesk_acceptance(self) -> AcceptanceDecision:
            raise AssertionError("must not be reached")

    class First:
        @hookimpl(tryfirst=True)
        def casedesk_acceptance(self) -> AcceptanceDecision:
            return AcceptanceDecision(decision="accept")

    pm = build_plugin_manager(("late", Late()), ("first", First()), entrypoints=False)
    tp = tenant_plugins(_tenant(), {"late": {}, "first": {}}, 1, pm)
    assert tp.acceptance(make_case("any", "x")).decision == "accept"


def test_a_plugin_that_raises_is_contained_and_named(caplog):
    pm = build_plugin_manager(("boom", Boom()), ("a", Spy("a")), entrypoints=False)
    tp = tenant_plugins(_tenant("t-boom"), {"boom": {}, "a": {}}, 1, pm)
    with caplog.at_level(logging.ERROR, logger="casedesk.plugins"), pytest.raises(PluginError) as err:
        tp.route(make_case("boom", "x"))
    assert (err.value.plugin, err.value.hook) == ("boom", "casedesk_route")
    assert "kaput" in err.value.detail and isinstance(err.value.__cause__, RuntimeError)
    assert any("t-boom" in r.getMessage() and getattr(r, "tenant_id", None) == "t-boom" for r in caplog.records)
    # the same manager still serves another tenant that does not enable the broken plugin
    other = tenant_plugins(_tenant("t-ok"), {"a": {}}, 1, pm)
    assert other.route(make_case("a", "x")) == Route(lead="a-default")


def test_an_off_contract_result_is_blamed_on_its_plugin():
    pm = build_plugin_manager(("boom", Boom()), entrypoints=False)
    tp = tenant_plugins(_tenant(), {"boom": {}}, 1, pm)
    with pytest.raises(PluginError, match="expected ClockRule") as err:
        tp.clocks(make_case("boom", "x"))
    assert err.value.plugin == "boom"
    with pytest.raises(PluginError, match="awaitable"):
        tp.notices(make_case("boom", "x"), make_event("reply"))


def test_a_refusal_without_the_target_its_ground_needs_is_a_plugin_error():
    class Refuser:
        @hookimpl
        def casedesk_sectors(self) -> Sector:
            return Sector(
                key="r",
                names=Names("r", "r"),
                categories=[Category(code="x", names=Names("x", "x"))],
                grounds=[Ground(code="G", names=Names("去别处", "Go elsewhere"), needs_target=True)],
            )

        @hookimpl
        def casedesk_acceptance(self) -> AcceptanceDecision:
            return AcceptanceDecision(decision="refuse", ground="G")

    pm = build_plugin_manager(("r", Refuser()), entrypoints=False)
    tp = tenant_plugins(_tenant(), {"r": {}}, 1, pm)
    with pytest.raises(PluginError, match="needs a target") as err:
        tp.acceptance(make_case("r", "x"))
    assert err.value.plugin == "r"


def test_a_plugin_that_fails_to_load_its_sector_is_listed_with_the_error():
    class Broken:
        @hookimpl
        def casedesk_sectors(self) -> Sector:
            raise ValueError("no sector today")

    pm = build_plugin_manager(("broken", Broken()), ("a", Spy("a")), entrypoints=False)
    info = {i["name"]: i for i in list_plugins(pm)}
    assert "no sector today" in info["broken"]["error"]
    assert sector_keys(pm) == ["a"]
    tp = tenant_plugins(_tenant(), {"broken": {}, "a": {}}, 1, pm)
    assert tp.missing == ("broken",)


def test_old_style_hookwrappers_are_rejected():
    class Old:
        @hookimpl(hookwrapper=True)
        def casedesk_route(self) -> Any:
            yield

    with pytest.raises(pluggy.PluginValidationError, match="wrapper=True"):
        build_plugin_manager(("old", Old()), entrypoints=False)


def test_misspelt_hooks_fail_at_load():
    class Typo:
        @hookimpl
        def casedesk_rout(self) -> None:
            return None

    with pytest.raises(pluggy.PluginValidationError):
        build_plugin_manager(("typo", Typo()), entrypoints=False)


def test_a_wrapper_sees_the_outcome_and_may_veto_a_transition():
    seen = []

    class Gate:
        @hookimpl(wrapper=True)
        def casedesk_case_event(self, event: Any) -> Any:
            result = yield
            seen.append(result)
            if event.data.get("forbidden"):
                raise TransitionVetoed(Names("不行", "No"), missing=["permission"])
            return result

    class Reactor:
        @hookimpl
        def casedesk_case_event(self) -> str:
            return "reacted"

    pm = build_plugin_manager(("gate", Gate()), ("reactor", Reactor()), entrypoints=False)
    tp = tenant_plugins(_tenant(), {"gate": {}, "reactor": {}}, 1, pm)
    asyncio.run(tp.case_event(make_case("any", "x"), make_event("close")))
    assert seen == [["reacted"]]
    with pytest.raises(TransitionVetoed) as veto:
        asyncio.run(tp.case_event(make_case("any", "x"), make_event("close", forbidden=True)))
    assert veto.value.plugin == "gate" and veto.value.missing == ["permission"]


def test_async_hooks_await_what_a_plugin_returns_and_blame_a_failing_awaitable():
    class Reporter:
        @hookimpl
        def casedesk_report_sections(self) -> Any:
            async def compute() -> list:
                return [{"key": "k", "rows": []}]

            return compute()

    class Sour:
        @hookimpl
        def casedesk_report_sections(self) -> Any:
            async def compute() -> list:
                raise OSError("db down")

            return compute

    from core.plugin_io import ReportPeriod

    period = ReportPeriod(start=make_case("x", "x").received_at, end=make_case("x", "x").received_at)
    pm = build_plugin_manager(("reporter", Reporter()), ("sour", Sour()), entrypoints=False)
    ok = tenant_plugins(_tenant(), {"reporter": {}}, 1, pm)
    assert asyncio.run(ok.report_sections(period)) == [{"key": "k", "rows": []}]
    bad = tenant_plugins(_tenant("t-sour"), {"reporter": {}, "sour": {}}, 1, pm)
    with pytest.raises(PluginError, match="db down") as err:
        asyncio.run(bad.report_sections(period))
    assert err.value.plugin == "sour"


def test_tenant_plugin_sets_are_cached_per_config_version(pm, tenant):
    first = tenant_plugins(tenant, {"property": {}}, "v1", pm)
    assert tenant_plugins(tenant, {"property": {"deadlines": {"notify_minutes": 9}}}, "v1", pm) is first
    second = tenant_plugins(tenant, {"property": {"deadlines": {"notify_minutes": 9}}}, "v2", pm)
    assert second is not first
    assert second.enabled["property"].deadlines.notify_minutes == 9


def test_a_bad_stored_config_fails_when_the_tenant_set_is_built(pm, tenant):
    with pytest.raises(PluginConfigError) as err:
        tenant_plugins(tenant, {"property": {"deadlines": {"arrival_minutes": 0}}}, "bad", pm)
    assert err.value.errors[0]["field"] == "$.deadlines.arrival_minutes"


def test_intake_checks_unknown_sector_category_and_declared_fields(enable, draft):
    tp = enable("hospital")
    problems = tp.validate_intake(draft("school", "teaching"))
    assert [(p.field, p.code) for p in problems] == [("sector", "unknown")]
    problems = tp.validate_intake(draft("hospital", "nope", extra={"complainant_role": "alien"}))
    assert {(p.field, p.code) for p in problems} == {("category", "unknown"), ("extra.complainant_role", "invalid")}


def test_a_veto_from_an_awaited_reaction_passes_through_named():
    class Checker:
        @hookimpl
        def casedesk_case_event(self) -> Any:
            async def check() -> None:
                raise TransitionVetoed("库存不足", missing=["stock"])

            return check()

    pm = build_plugin_manager(("checker", Checker()), entrypoints=False)
    tp = tenant_plugins(_tenant(), {"checker": {}}, 1, pm)
    with pytest.raises(TransitionVetoed) as veto:
        asyncio.run(tp.case_event(make_case("any", "x"), make_event("close")))
    assert (veto.value.plugin, veto.value.missing) == ("checker", ["stock"])


def test_cross_cutting_plugins_see_every_sector_and_sector_plugins_only_their_own():
    seen = []

    class Audit:
        @hookimpl
        def casedesk_notices(self, case: Any) -> list:
            seen.append(("audit", case.sector))
            return []

    a = Spy("a")
    pm = build_plugin_manager(("audit", Audit()), ("a", a), entrypoints=False)
    tp = tenant_plugins(_tenant(), {"audit": {}, "a": {}}, 1, pm)
    tp.notices(make_case("a", "x"), make_event("reply"))
    tp.notices(make_case("zzz", "x"), make_event("reply"))
    assert seen == [("audit", "a"), ("audit", "zzz")]
