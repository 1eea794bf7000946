"""Finding and rendering the template of an outbox notice, with the tenant's overrides.

A notice names a template as a plugin asked for it (``hospital/written_reply``) or a core event
(``replied``), plus the core event to fall back to. The lookup tries the named template first,
then the fallback, each through the chain of ``core.notices.templating`` (tenant override for
the sector, tenant override, built-in for the sector, built-in default; in-app and webhook
borrowing the e-mail text). The outbox checks a template exists when it queues a notice; the
worker renders when it delivers, so a tenant's fix applies to notices still waiting.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from core.notices import NoticeTemplates, RenderedNotice, TemplateNotFoundError
from core.notices.templating import default_templates
from core.tables import NoticeTemplate
from tenants.scope import TenantScope

__all__ = ["load_overrides", "render_for", "resolvable", "split_template"]


def split_template(template: str, default_sector: str) -> tuple[str, str]:
    """``(sector, name)`` of ``<sector>/<name>`` or of a bare name in ``default_sector``."""
    sector, _, name = template.rpartition("/")
    return (sector or default_sector), name


async def load_overrides(scope: TenantScope) -> dict[str, str]:
    """The tenant's template overrides: key → source."""
    rows = await scope.select(NoticeTemplate, NoticeTemplate.key, NoticeTemplate.source)
    return {r["key"]: r["source"] for r in rows}


def _candidates(template: str, fallback: str) -> list[str]:
    _, name = split_template(template, "default")
    return list(dict.fromkeys([name, fallback]))


def resolvable(
    template: str,
    fallback: str,
    *,
    channel: str,
    locale: str,
    sector: str,
    overrides: Mapping[str, str],
    engine: NoticeTemplates | None = None,
) -> str | None:
    """The template name the notice will render with, or None when nothing exists."""
    engine = engine or default_templates()
    for name in _candidates(template, fallback):
        try:
            engine.resolve(name, channel, locale, sector, overrides)
        except TemplateNotFoundError:
            continue
        return name
    return None


def render_for(
    notice: Mapping[str, Any], overrides: Mapping[str, str], *, engine: NoticeTemplates | None = None
) -> RenderedNotice:
    """Render an outbox row (``template``, ``template_event``, ``channel``, ``locale``,
    ``sector``, ``context``); raises ``NoticeTemplateError`` (a permanent failure)."""
    engine = engine or default_templates()
    name = resolvable(
        notice["template"],
        notice["template_event"],
        channel=notice["channel"],
        locale=notice["locale"],
        sector=notice["sector"],
        overrides=overrides,
        engine=engine,
    )
    if name is None:
        raise TemplateNotFoundError(
            f"no template {notice['template']!r} (or {notice['template_event']!r}) for channel "
            f"{notice['channel']!r} and locale {notice['locale']!r}"
        )
    return engine.render(
        name,
        notice["context"] or {},
        channel=notice["channel"],
        locale=notice["locale"],
        sector=notice["sector"],
        overrides=overrides,
    )
