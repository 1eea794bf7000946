"""A tenant's category tree: the plugin's defaults with the tenant's additions, renames,
disabled nodes and reordering applied.

Overrides are stored as part of the plugin config (field ``categories``) so they are validated,
versioned and audited together with the rest of it. The function is pure: same defaults and
overrides, same tree — which is what lets the host cache it per config version.

Override format (JSON)::

    {"add":     [{"code": "medical.night_clinic", "names": {"zh-CN": "夜间门诊", "en": "Night clinic"}}],
     "rename":  {"conduct": {"zh-CN": "医德医风"}},
     "disable": ["privacy"],
     "order":   {"": ["conduct", "medical"], "medical": ["medical.clinical"]}}

An added code with a dot is a child of the code before its last dot (which must exist); an
``order`` key is a parent code (``""`` for the top level) and lists children to put first.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

import msgspec
from msgspec import Meta, Struct, field

from core.plugin_types import Category, Names, Sector, Severity

__all__ = [
    "CategoryAddition",
    "CategoryOverrideError",
    "CategoryOverrides",
    "NamesPatch",
    "effective_categories",
]


class CategoryAddition(Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    code: Annotated[str, Meta(min_length=1, max_length=64, pattern=r"^[a-z0-9_]+(\.[a-z0-9_]+)*$")]
    names: Names
    default_severity: Severity = "normal"


class NamesPatch(Struct, frozen=True, forbid_unknown_fields=True):
    """A partial rename: give either language or both."""

    zh_CN: str | None = field(name="zh-CN", default=None)
    en: str | None = None


class CategoryOverrides(Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    add: list[CategoryAddition] = []
    rename: dict[str, NamesPatch] = {}
    disable: list[str] = []
    order: dict[str, list[str]] = {}


class CategoryOverrideError(ValueError):
    """Overrides that do not fit the tree; ``errors`` use paths relative to the overrides."""

    def __init__(self, errors: list[dict[str, str]]) -> None:
        super().__init__("; ".join(f"{e['field']}: {e['message']}" for e in errors))
        self.errors = errors


class _Node:
    __slots__ = ("cat", "children")

    def __init__(self, cat: Category) -> None:
        self.cat = cat
        self.children: list[str] = []


def _index(cats: list[Category], parent: str, nodes: dict[str, _Node], kids: dict[str, list[str]]) -> None:
    kids.setdefault(parent, [])
    for cat in cats:
        nodes[cat.code] = _Node(cat)
        kids[parent].append(cat.code)
        _index(cat.children, cat.code, nodes, kids)


def effective_categories(
    sector: Sector | list[Category], overrides: CategoryOverrides | Mapping[str, Any] | None
) -> list[Category]:
    """Apply ``overrides`` to the category tree of ``sector`` (a :class:`Sector` or its list of
    categories); raise :class:`CategoryOverrideError` listing every code that does not exist or
    clashes. ``overrides`` may be the stored JSON object; it is then validated strictly."""
    defaults = sector.categories if isinstance(sector, Sector) else sector
    if isinstance(overrides, Mapping):
        try:
            overrides = msgspec.convert(overrides, CategoryOverrides, strict=True)
        except msgspec.ValidationError as exc:
            message, _, path = str(exc).partition(" - at `")
            raise CategoryOverrideError([{"field": path.rstrip("`") or "$", "message": message}]) from None
    if overrides is None:
        return defaults
    nodes: dict[str, _Node] = {}
    kids: dict[str, list[str]] = {}
    _index(defaults, "", nodes, kids)
    errors: list[dict[str, str]] = []

    for i, add in enumerate(overrides.add):
        parent = add.code.rsplit(".", 1)[0] if "." in add.code else ""
        if add.code in nodes:
            errors.append({"field": f"$.add[{i}].code", "message": f"category `{add.code}` already exists"})
        elif parent and parent not in nodes:
            errors.append({"field": f"$.add[{i}].code", "message": f"parent category `{parent}` does not exist"})
        else:
            nodes[add.code] = _Node(
                Category(code=add.code, names=add.names, default_severity=add.default_severity, source="tenant")
            )
            kids.setdefault(parent, []).append(add.code)
            kids.setdefault(add.code, [])

    names = dict.fromkeys(nodes)
    for code, patch in overrides.rename.items():
        if code not in nodes:
            errors.append({"field": f"$.rename['{code}']", "message": f"category `{code}` does not exist"})
            continue
        old = nodes[code].cat.names
        names[code] = Names(patch.zh_CN or old.zh_CN, patch.en or old.en)

    for i, code in enumerate(overrides.disable):
        if code not in nodes:
            errors.append({"field": f"$.disable[{i}]", "message": f"category `{code}` does not exist"})
    disabled = set(overrides.disable)

    for parent, wanted in overrides.order.items():
        if parent and parent not in nodes:
            errors.append({"field": f"$.order['{parent}']", "message": f"category `{parent}` does not exist"})
            continue
        current = kids.get(parent, [])
        for i, code in enumerate(wanted):
            if code not in current:
                errors.append(
                    {
                        "field": f"$.order['{parent}'][{i}]",
                        "message": f"`{code}` is not a child of `{parent or '(top level)'}`",
                    }
                )
        first = [c for c in dict.fromkeys(wanted) if c in current]
        kids[parent] = first + [c for c in current if c not in first]

    if errors:
        raise CategoryOverrideError(errors)

    def build(parent: str) -> list[Category]:
        out = []
        for code in kids.get(parent, []):
            if code in disabled:
                continue
            cat = nodes[code].cat
            out.append(
                Category(
                    code=code,
                    names=names[code] or cat.names,
                    children=build(code),
                    default_severity=cat.default_severity,
                    source=cat.source,
                )
            )
        return out

    return build("")
