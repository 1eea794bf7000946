"""Validating a tenant's plugin config: defaults ⊕ overrides, strictly, with exact field paths.

Overrides are partial: ``{"deadlines": {"notify_minutes": 10}}`` changes one number and keeps
every other default. Nested objects merge key by key; lists and scalars replace. The merged
document is converted with ``msgspec.convert(..., strict=True)`` into the plugin's config
Struct (``forbid_unknown_fields=True``), so a string where a number belongs, an unknown key
or a value outside its ``msgspec.Meta`` bounds is an error — reported with the JSON path of
the offending field (``$.deadlines.notify_minutes``, ``$.routing.overrides['medical'].lead``)
so the API can answer 422 naming it.
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Mapping
from typing import Any

import msgspec

from core.plugin_categories import CategoryOverrideError, CategoryOverrides, effective_categories
from core.plugin_errors import PluginConfigError
from core.plugin_types import Category

__all__ = ["deep_merge", "validate_config"]

_AT = re.compile(r"^(?P<message>.*?)(?: - at `(?P<path>\$[^`]*)`)?$", re.DOTALL)
_SEGMENT = re.compile(r"\.([A-Za-z_][\w-]*)|\[(\d+|\.\.\.)\]")
_UNKNOWN = re.compile(r"unknown field `([^`]+)`")


def deep_merge(base: Mapping[str, Any], overrides: Mapping[str, Any]) -> dict[str, Any]:
    """``base`` with ``overrides`` applied: dicts merge recursively, anything else replaces."""
    merged = dict(base)
    for key, value in overrides.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _unwrap(tp: Any, data: Any) -> Any:
    """Strip ``Annotated`` and pick the member of a union that the data is shaped like."""
    while typing.get_origin(tp) is typing.Annotated:
        tp = typing.get_args(tp)[0]
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        members = [_unwrap(m, data) for m in typing.get_args(tp) if m is not type(None)]
        for member in members:
            origin = typing.get_origin(member) or member
            if isinstance(data, Mapping) and (origin is dict or _is_struct(origin)):
                return member
            if isinstance(data, list) and origin is list:
                return member
        return members[0] if members else tp
    return tp


def _is_struct(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, msgspec.Struct)


def _walk(path: str, data: Any, schema: type) -> tuple[str, Any, bool, Any]:
    """Follow msgspec's error ``path`` through ``data``, naming the dict key msgspec shows as
    ``[...]`` (the first entry that fails on its own). Returns (path, value, found, type)."""
    out, tp, found = "$", schema, True
    for name, index in _SEGMENT.findall(path[1:]):
        tp = _unwrap(tp, data)
        if name:
            out += f".{name}"
            if _is_struct(tp):
                info = {f.encode_name: f.type for f in msgspec.structs.fields(tp)}
                tp = info.get(name, Any)
            found = found and isinstance(data, Mapping) and name in data
            data = data.get(name) if isinstance(data, Mapping) else None
        elif index == "...":
            value_tp = typing.get_args(tp)[1] if typing.get_origin(tp) is dict else Any
            key = _failing_key(data, value_tp)
            out += f"['{key}']" if key is not None else "[...]"
            found = found and key is not None
            data = data.get(key) if isinstance(data, Mapping) and key is not None else None
            tp = value_tp
        else:
            i = int(index)
            out += f"[{i}]"
            tp = typing.get_args(tp)[0] if typing.get_args(tp) else Any
            found = found and isinstance(data, list) and i < len(data)
            data = data[i] if found else None
    return out, data, found, tp


def _literal_values(tp: Any) -> tuple[Any, ...]:
    """The allowed values of a ``Literal`` field (through ``Annotated`` and ``Optional``)."""
    while typing.get_origin(tp) is typing.Annotated:
        tp = typing.get_args(tp)[0]
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        return tuple(v for m in typing.get_args(tp) for v in _literal_values(m))
    return typing.get_args(tp) if typing.get_origin(tp) is typing.Literal else ()


def _failing_key(data: Any, value_tp: Any) -> str | None:
    if not isinstance(data, Mapping):
        return None
    for key, value in data.items():
        try:
            msgspec.convert(value, value_tp, strict=True)
        except msgspec.ValidationError:
            return str(key)
    return None


def _describe(error: msgspec.ValidationError, data: Any, schema: type) -> dict[str, str]:
    match = _AT.match(str(error))
    assert match is not None  # the pattern accepts any text
    message, raw_path = match["message"], match["path"] or "$"
    path, value, found, tp = _walk(raw_path, data, schema)
    unknown = _UNKNOWN.search(message)
    if unknown:
        return {"field": f"{path}.{unknown[1]}" if path != "$" else f"$.{unknown[1]}", "message": message}
    if found and message.startswith("Expected") and ", got" not in message:
        message += f", got `{msgspec.json.encode(value).decode()}`"
    elif found and message.startswith("Invalid enum value"):
        choices = _literal_values(tp)
        expected = ", ".join(f"'{c}'" for c in choices) if choices else "the documented values"
        message = f"{message}; expected one of {expected}"
    return {"field": path, "message": message}


def validate_config(
    plugin: str,
    schema: type,
    overrides: Mapping[str, Any] | None,
    *,
    categories: list[Category] | None = None,
) -> Any:
    """The effective config: ``schema``'s defaults merged with ``overrides``, validated.

    When the schema has a ``categories`` field (:class:`CategoryOverrides`) and the sector's
    default ``categories`` are given, the overrides are also checked against the tree.
    Raises :class:`PluginConfigError` with JSON-path fields.
    """
    if overrides is None:
        overrides = {}
    if not isinstance(overrides, Mapping):
        raise PluginConfigError(plugin, [{"field": "$", "message": "Expected `object`"}])
    defaults = msgspec.to_builtins(schema())
    merged = deep_merge(defaults, overrides)
    try:
        config = msgspec.convert(merged, schema, strict=True)
    except msgspec.ValidationError as exc:
        raise PluginConfigError(plugin, [_describe(exc, merged, schema)]) from None
    cat_overrides = getattr(config, "categories", None)
    if categories is not None and isinstance(cat_overrides, CategoryOverrides):
        try:
            effective_categories(categories, cat_overrides)
        except CategoryOverrideError as exc:
            errors = [{"field": "$.categories" + e["field"][1:], "message": e["message"]} for e in exc.errors]
            raise PluginConfigError(plugin, errors) from None
    return config
