"""Calling hook implementations one by one, each with its own tenant context.

pluggy calls every implementation of a hook with the same arguments; casedesk needs each
plugin to receive *its own* effective config in ``tenant.config``. So the host takes the
implementations pluggy has registered and ordered (``HookCaller.get_hookimpls()``, which
honours ``tryfirst``/``trylast`` and registration order) and runs them here with pluggy's own
calling convention: last registered first, ``None`` results dropped, the first non-``None``
result ends a firstresult hook, and new-style wrappers (``wrapper=True``) run around the rest,
receiving the outcome (or the exception) at their ``yield`` and returning the final result.

Every exception a plugin raises is re-raised as :class:`PluginError` naming the plugin and
the hook, except :class:`TransitionVetoed` (a decision, not a failure), which passes through
stamped with the plugin's name. Results are checked against the hook's contract as soon as an
implementation returns, so a malformed result is blamed on the plugin that produced it.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import Any

from pluggy import HookImpl

from core.plugin_errors import PluginError, TransitionVetoed
from core.plugin_io import AcceptanceDecision, NoticeRequest, Problem, Route
from core.plugin_types import ClockRule, EscalationLadder, EscalationTrigger, Sector

__all__ = ["HOOKS", "Check", "HookContract", "Pending", "check_result", "discard", "multicall"]


@dataclass(frozen=True, slots=True)
class HookContract:
    """What a hook returns: ``first`` (one value), ``list`` (items collected from all) or
    ``none`` (return ignored); ``bound`` names the argument carrying the sector."""

    shape: str
    item: tuple[type, ...] = ()
    bound: str | None = None
    may_await: bool = False


HOOKS: dict[str, HookContract] = {
    "casedesk_sectors": HookContract("list", (Sector,)),
    "casedesk_validate_intake": HookContract("list", (Problem,), bound="draft"),
    "casedesk_acceptance": HookContract("first", (AcceptanceDecision,), bound="case"),
    "casedesk_route": HookContract("first", (Route,), bound="case"),
    "casedesk_clocks": HookContract("list", (ClockRule,), bound="case"),
    "casedesk_escalations": HookContract("list", (EscalationLadder, EscalationTrigger), bound="case"),
    "casedesk_notices": HookContract("list", (NoticeRequest,), bound="case"),
    "casedesk_case_event": HookContract("none", bound="case", may_await=True),
    "casedesk_report_sections": HookContract("list", (dict,), may_await=True),
}


@dataclass(frozen=True, slots=True)
class Pending:
    """An awaitable a plugin returned, remembered with its owner so a failure names it."""

    plugin: str
    value: Any


def _fail(impl: HookImpl, hook: str, detail: str) -> PluginError:
    return PluginError(plugin=impl.plugin_name, hook=hook, detail=detail)


def _guard(impl: HookImpl, hook: str, fn: Callable[[], Any]) -> Any:
    try:
        return fn()
    except TransitionVetoed as veto:
        veto.plugin = veto.plugin or impl.plugin_name
        raise
    except PluginError:
        raise
    except Exception as exc:
        raise _fail(impl, hook, f"{type(exc).__name__}: {exc}") from exc


def _is_async(value: Any) -> bool:
    return inspect.isawaitable(value) or (callable(value) and not isinstance(value, type))


Check = Callable[[str, Any], None]
"""An extra check of one plugin's (normalised) result: ``check(plugin_name, value)`` raises
:class:`PluginError` when the value breaks a rule only the caller knows (e.g. a refusal
ground that needs a target)."""


def discard(value: Any) -> None:
    """Close an un-awaited coroutine we will not run (no "never awaited" warning, no leak)."""
    if inspect.iscoroutine(value):
        value.close()


def check_result(plugin: str, hook: str, value: Any, check: Check | None = None) -> Any:
    """Normalise one plugin's result, or blame the plugin for breaking the hook's contract.

    List hooks accept one item or a list of items and yield a list; an awaitable from a hook
    that may await becomes a :class:`Pending` to be awaited (and checked) by the caller.
    """
    contract = HOOKS[hook]
    if _is_async(value):
        if contract.may_await:
            return Pending(plugin, value)
        discard(value)
        raise PluginError(plugin=plugin, hook=hook, detail="returned an awaitable; this hook must answer synchronously")
    if contract.shape == "none":
        return value
    if contract.shape == "first":
        if not isinstance(value, contract.item):
            raise PluginError(
                plugin=plugin,
                hook=hook,
                detail=f"returned {type(value).__name__}, expected {contract.item[0].__name__}",
            )
        items = value
    else:
        items = list(value) if isinstance(value, list | tuple) else [value]
        for item in items:
            if not isinstance(item, contract.item):
                want = " or ".join(t.__name__ for t in contract.item)
                raise PluginError(
                    plugin=plugin,
                    hook=hook,
                    detail=f"returned an item of type {type(item).__name__}, expected {want}",
                )
    if check is not None:
        check(plugin, items)
    return items


def multicall(
    hook: str,
    impls: list[HookImpl],
    args_for: Callable[[HookImpl], list[Any]],
    *,
    firstresult: bool,
    check: Check | None = None,
) -> Any:
    """Run ``impls`` (in pluggy's stored order) the way pluggy would, with per-impl arguments."""
    results: list[Any] = []
    teardowns: list[tuple[HookImpl, Generator[None, Any, Any]]] = []
    error: BaseException | None = None
    try:
        for impl in reversed(impls):
            args = args_for(impl)
            if impl.hookwrapper:  # rejected at registration; kept as a guard
                raise _fail(impl, hook, "old-style hookwrapper=True is not supported; use wrapper=True")
            if impl.wrapper:
                gen = _guard(impl, hook, lambda impl=impl, args=args: impl.function(*args))
                try:
                    _guard(impl, hook, lambda gen=gen: next(gen))
                except StopIteration:
                    raise _fail(impl, hook, "wrapper did not yield") from None
                teardowns.append((impl, gen))
                continue
            value = _guard(impl, hook, lambda impl=impl, args=args: impl.function(*args))
            if value is not None:
                results.append(check_result(impl.plugin_name, hook, value, check))
                if firstresult:
                    break
    except BaseException as exc:
        error = exc
    outcome: Any = (results[0] if results else None) if firstresult else results
    for impl, gen in reversed(teardowns):
        try:
            if error is not None:
                gen.throw(error)
            else:
                gen.send(outcome)
            error = _fail(impl, hook, "wrapper yielded more than once")
        except StopIteration as stop:
            outcome, error = stop.value, None
        except (TransitionVetoed, PluginError) as exc:
            if isinstance(exc, TransitionVetoed):
                exc.plugin = exc.plugin or impl.plugin_name
            error = exc
        except Exception as exc:
            wrapped = _fail(impl, hook, f"{type(exc).__name__}: {exc}")
            wrapped.__cause__ = exc
            error = wrapped
    if error is not None:
        raise error
    return outcome
