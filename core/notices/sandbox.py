"""The jinja2 environment every notice template renders in, and the errors it reports.

All templates — built-in and tenant-written — render in an ``ImmutableSandboxedEnvironment``:
tenant overrides are untrusted input (attribute walks to ``__globals__``, mutating the context,
resource bombs), and rendering the built-ins the same way means a tenant's copy of a built-in
behaves exactly like the original. ``StrictUndefined`` turns a misspelt variable into an error
with its line instead of a silently blank gap in a statutory letter.
"""

from __future__ import annotations

from typing import Any

from jinja2 import FileSystemLoader, StrictUndefined, TemplateNotFound
from jinja2.environment import Environment
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from core.notices.formatting import FILTERS

__all__ = [
    "BuiltinLoader",
    "NoticeSandbox",
    "NoticeTemplateError",
    "TemplateNotFoundError",
    "TemplateSecurityError",
    "make_environment",
]

ALLOWED_PREFIXES = ("notices/", "letters/")
_MAX_REPEAT = 100_000
_MAX_POWER_BITS = 100_000


class NoticeTemplateError(Exception):
    """A template could not be rendered; ``template`` and ``line`` say where."""

    def __init__(self, message: str, *, template: str | None = None, line: int | None = None) -> None:
        where = f"{template or '<template>'}" + (f", line {line}" if line else "")
        super().__init__(f"{where}: {message}")
        self.message = message
        self.template = template
        self.line = line


class TemplateSecurityError(NoticeTemplateError):
    """The sandbox refused something the template tried to do."""


class TemplateNotFoundError(NoticeTemplateError, LookupError):
    """No template at any level of the lookup chain."""


class BuiltinLoader(FileSystemLoader):
    """Built-in templates only: names under ``notices/`` or ``letters/``.

    ``FileSystemLoader`` already refuses ``..`` and absolute paths; the prefix rule also keeps
    tenant overrides away from the portal and console templates that share ``templates/``.
    """

    def get_source(self, environment: Environment, template: str) -> tuple[str, str | None, Any]:
        if not template.startswith(ALLOWED_PREFIXES):
            raise TemplateNotFound(template)
        return super().get_source(environment, template)


class NoticeSandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox plus guards against the cheapest resource bombs.

    ``10 ** 100000000`` or ``'x' * 10**9`` would tie up a worker or exhaust its memory; both
    operators are intercepted and refused past a size no notice needs. (Loops are not bounded:
    a preview endpoint should still render untrusted drafts with a time limit.)
    """

    intercepted_binops = frozenset({"**", "*"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, int | float):
            bits = left.bit_length() if isinstance(left, int) else 64
            if abs(right) > 1000 or bits * abs(right) > _MAX_POWER_BITS:
                raise SecurityError("power too large")
        if operator == "*":
            seq, count = (left, right) if isinstance(right, int) else (right, left)
            if isinstance(seq, str | list | tuple) and isinstance(count, int) and len(seq) * count > _MAX_REPEAT:
                raise SecurityError("repetition result too large")
        return super().call_binop(context, operator, left, right)


def make_environment(loader: FileSystemLoader, *, autoescape: bool) -> NoticeSandbox:
    """One of the two environments (text parts unescaped, HTML part escaped)."""
    env = NoticeSandbox(
        loader=loader,
        autoescape=autoescape,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        auto_reload=True,
    )
    env.filters.update(FILTERS)
    return env
