"""Save-time checks of a tenant's template source, each problem with its line.

Run when a tenant admin saves an override, so mistakes show up in the editor instead of in a
failed delivery weeks later: syntax errors (jinja's own message), references to templates
that are not built-in, variables outside the context contract (typos), and underscore
attributes that the sandbox would refuse at render time anyway.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import msgspec
from jinja2 import meta, nodes
from jinja2.environment import Environment
from jinja2.exceptions import TemplateSyntaxError

__all__ = ["TemplateProblem", "check_source"]


class TemplateProblem(msgspec.Struct, frozen=True):
    line: int | None
    message: str


def _bound_names(ast: nodes.Template) -> set[str]:
    """Names the template binds itself ({% import … as m %}, {% set %}, macros)."""
    names: set[str] = set()
    for node in ast.find_all((nodes.Import, nodes.FromImport, nodes.Assign, nodes.AssignBlock, nodes.Macro)):
        if isinstance(node, nodes.Import):
            names.add(node.target)
        elif isinstance(node, nodes.FromImport):
            names.update(n if isinstance(n, str) else n[1] for n in node.names)
        elif isinstance(node, nodes.Macro):
            names.add(node.name)
        else:
            target = node.target
            found = [target] if isinstance(target, nodes.Name) else list(target.find_all(nodes.Name))
            names.update(n.name for n in found)
    return names


def _template_references(ast: nodes.Template, exists: Callable[[str], bool]) -> Iterable[TemplateProblem]:
    for node in ast.find_all((nodes.Extends, nodes.Include, nodes.Import, nodes.FromImport)):
        target = node.template
        if isinstance(target, nodes.Const) and isinstance(target.value, str) and not exists(target.value):
            yield TemplateProblem(node.lineno, f"unknown template {target.value!r}")


def check_source(
    env: Environment,
    source: str,
    *,
    known_names: set[str],
    template_exists: Callable[[str], bool],
) -> list[TemplateProblem]:
    """Problems in ``source``; an empty list means it may be saved."""
    try:
        ast = env.parse(source)
    except TemplateSyntaxError as exc:
        return [TemplateProblem(exc.lineno, exc.message or str(exc))]
    problems = list(_template_references(ast, template_exists))
    unknown = meta.find_undeclared_variables(ast) - known_names - _bound_names(ast)
    reported: set[str] = set()
    for name_node in ast.find_all(nodes.Name):
        if name_node.ctx == "load" and name_node.name in unknown and name_node.name not in reported:
            reported.add(name_node.name)
            problems.append(TemplateProblem(name_node.lineno, f"unknown variable {name_node.name!r}"))
    for attr_node in ast.find_all(nodes.Getattr):
        if attr_node.attr.startswith("_"):
            problems.append(TemplateProblem(attr_node.lineno, f"attribute {attr_node.attr!r} is not allowed"))
    return sorted(problems, key=lambda p: (p.line or 0, p.message))
