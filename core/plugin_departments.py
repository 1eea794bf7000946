"""Department codes inside a plugin's config, and which of them a tenant does not have.

A plugin routes by department *code* (``RouteEntry.lead``, ``default_lead``…) but cannot
know which departments a tenant has created. Config fields typed
:data:`core.plugin_types.DepartmentCode` — every ``RouteEntry`` row among them — are found
here by walking the effective config alongside its type, so the API can warn a tenant admin
who saves routing to a department that does not exist (yet): the config is still saved — an
admin often configures routing before creating the departments — and cases routed to a
missing code are registered without that department (the ``route`` event lists it as
``unknown``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import msgspec
from msgspec import inspect as mi

from core.plugin_types import DEPARTMENT_CODE_MARK

__all__ = ["department_refs", "missing_department_warnings"]


def department_refs(config: Any) -> list[tuple[str, str]]:
    """``(json_path, code)`` for every department code in ``config`` (a plugin's effective
    config Struct), in field order, e.g. ``("$.routing.by_category['repair'].lead",
    "maintenance")``. Paths use the same notation as config validation errors."""
    if not isinstance(config, msgspec.Struct):
        return []
    out: list[tuple[str, str]] = []
    _walk(mi.type_info(type(config)), config, "$", out)
    return out


def missing_department_warnings(
    config: Any, active: Iterable[str], inactive: Iterable[str] = ()
) -> list[dict[str, str]]:
    """``{"field", "message"}`` warnings for each department code in ``config`` that is not
    among the tenant's ``active`` department codes (``inactive`` ones get their own message)."""
    have, off = set(active), set(inactive)
    warnings = []
    for path, code in department_refs(config):
        if code in have:
            continue
        if code in off:
            message = f"department `{code}` is inactive: cases routed to it get no department until it is reactivated"
        else:
            message = (
                f"no department with code `{code}` in this organisation: cases routed to it get no department "
                "until one is created (POST /api/v1/departments) or the routing is changed"
            )
        warnings.append({"field": path, "message": message})
    return warnings


def _is_mark(t: Any) -> bool:
    return isinstance(t, mi.Metadata) and all((t.extra or {}).get(k) == v for k, v in DEPARTMENT_CODE_MARK.items())


def _fits(t: Any, value: Any) -> bool:
    """Whether ``value`` is of (union member) type ``t``, for the shapes configs use."""
    while isinstance(t, mi.Metadata) and not _is_mark(t):
        t = t.type
    if _is_mark(t):
        return isinstance(value, str)
    if isinstance(t, mi.StructType):
        return isinstance(value, t.cls)
    if isinstance(t, mi.DictType):
        return isinstance(value, Mapping)
    if isinstance(t, mi.ListType | mi.VarTupleType | mi.SetType | mi.FrozenSetType):
        return isinstance(value, list | tuple | set | frozenset)
    return False


def _walk(t: Any, value: Any, path: str, out: list[tuple[str, str]]) -> None:
    if value is None:
        return
    if _is_mark(t):
        if isinstance(value, str) and value:
            out.append((path, value))
        return
    if isinstance(t, mi.Metadata):
        _walk(t.type, value, path, out)
    elif isinstance(t, mi.StructType):
        for f in t.fields:
            _walk(f.type, getattr(value, f.name, None), f"{path}.{f.encode_name}", out)
    elif isinstance(t, mi.DictType) and isinstance(value, Mapping):
        for key, item in value.items():
            _walk(t.value_type, item, f"{path}['{key}']", out)
    elif isinstance(t, mi.ListType | mi.VarTupleType | mi.SetType | mi.FrozenSetType):
        items = sorted(value) if isinstance(value, set | frozenset) else value
        for i, item in enumerate(items):
            _walk(t.item_type, item, f"{path}[{i}]", out)
    elif isinstance(t, mi.UnionType):
        for member in t.types:
            if _fits(member, value):
                _walk(member, value, path, out)
                return
