"""Errors of the plugin layer, each naming the plugin so the API can say who failed.

The API layer maps them to problem+json: :class:`PluginConfigError` → 422 with the exact
field paths, :class:`TransitionVetoed` → 409 with the reason, :class:`PluginError` → 502
("a plugin failed", naming it). They carry plain attributes, no HTTP knowledge.
"""

from __future__ import annotations

from typing import Any

from core.plugin_types import Names

__all__ = ["PluginConfigError", "PluginError", "TransitionVetoed"]


class PluginError(Exception):
    """A plugin raised, or returned something that breaks the hook's contract.

    Raised by the host, never by plugins: the original exception is the ``__cause__``.
    """

    def __init__(self, *, plugin: str, hook: str | None, detail: str) -> None:
        super().__init__(f"plugin {plugin!r} failed in {hook or 'loading'}: {detail}")
        self.plugin = plugin
        self.hook = hook
        self.detail = detail


class PluginConfigError(ValueError):
    """A tenant's config overrides for ``plugin`` are invalid.

    ``errors`` is a list of ``{"field": "$.deadlines.notify_minutes", "message": "..."}``
    with JSON-path fields, ready for a 422 answer.
    """

    def __init__(self, plugin: str, errors: list[dict[str, str]]) -> None:
        text = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
        super().__init__(f"invalid config for plugin {plugin!r}: {text}")
        self.plugin = plugin
        self.errors = errors


class TransitionVetoed(Exception):
    """Raised by a ``casedesk_case_event`` implementation to stop a lifecycle transition.

    ``reason`` is shown to the user (both languages); ``missing`` lists the checklist items
    that are absent. The host fills in ``plugin``.
    """

    def __init__(self, reason: Names | str, *, missing: list[str] | None = None, **extra: Any) -> None:
        self.reason = reason if isinstance(reason, Names) else Names(reason, reason)
        self.missing = list(missing or [])
        self.extra = extra
        self.plugin: str | None = None
        super().__init__(self.reason.en)
