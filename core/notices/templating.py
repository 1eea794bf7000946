"""Notice templates: lookup, sandboxed rendering, save-time checks and previews.

Layout on disk (``templates/`` at the project root, plus any extra search paths a plugin adds)::

    notices/<sector>/<event>.<channel>.<locale>.j2     sector wording (gov_petition, hospital …)
    notices/default/<event>.<channel>.<locale>.j2      used when the sector has none
    notices/_layouts/email.j2                          the e-mail/in-app skeleton
    letters/layout.html.j2, letters/letter.css         the printed-letter skeleton

Lookup chain for (event, channel, locale, sector): tenant override ``<sector>/<event>.<channel>.
<locale>``, tenant override ``<event>.<channel>.<locale>``, built-in sector, built-in default.
If nothing exists for the channel, ``in_app`` falls back to the ``email`` template and
``webhook`` to ``in_app`` then ``email`` (their subject and text parts are what those channels
show), so a sector does not need four copies of the same sentence.

One file, several parts: the renderer renders a template once per part the channel needs
(email: subject, text, html; in_app/webhook: subject, text; sms: text; letter: subject, html)
with ``notice_part`` set to the part's name; the layouts print only the requested block. Text
parts are rendered without autoescaping and the HTML part with it — the same source compiled
in two environments — so authors never think about escaping and ``&`` stays ``&`` in an SMS.

Every template, built-in or tenant-written, renders in an ``ImmutableSandboxedEnvironment`` with
``StrictUndefined``. Tenant overrides are untrusted input: they can only reach the context
contract, the filters in ``formatting`` and the built-in templates under ``notices/`` and
``letters/`` (for ``{% extends %}``, ``{% include %}``, ``{% import %}``).
"""

from __future__ import annotations

import hashlib
import re
from collections import OrderedDict
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import msgspec
from jinja2 import Template, TemplateNotFound
from jinja2.exceptions import SecurityError, TemplateSyntaxError

from core.notices.checks import TemplateProblem, check_source
from core.notices.context import LOCALES, Letterhead, NoticeContext
from core.notices.samples import sample_context
from core.notices.sandbox import (
    BuiltinLoader,
    NoticeSandbox,
    NoticeTemplateError,
    TemplateNotFoundError,
    TemplateSecurityError,
    make_environment,
)

__all__ = [
    "CHANNELS",
    "CHANNEL_FALLBACK",
    "CHANNEL_PARTS",
    "EVENTS",
    "TEMPLATE_ROOT",
    "NoticeTemplateError",
    "NoticeTemplates",
    "RenderedNotice",
    "TemplateKey",
    "TemplateNotFoundError",
    "TemplateProblem",
    "TemplateSecurityError",
    "check_template_source",
    "default_templates",
    "preview",
    "render_notice",
]

TEMPLATE_ROOT = Path(__file__).resolve().parents[2] / "templates"

EVENTS = (
    "registered", "accepted", "not_accepted", "no_longer_accepted", "transferred",
    "transferred_receiver", "assigned", "materials_requested", "extended", "replied",
    "follow_up", "escalated", "reopened", "reply_to_source", "case_update",
)  # fmt: skip
CHANNELS = ("email", "sms", "in_app", "letter", "webhook")
CHANNEL_PARTS: dict[str, tuple[str, ...]] = {
    "email": ("subject", "text", "html"),
    "in_app": ("subject", "text"),
    "webhook": ("subject", "text"),
    "sms": ("text",),
    "letter": ("subject", "html"),
}
CHANNEL_FALLBACK: dict[str, tuple[str, ...]] = {"in_app": ("email",), "webhook": ("in_app", "email")}

_KEY = re.compile(
    r"^(?:(?P<sector>[a-z][a-z0-9_]*)/)?(?P<event>[a-z_]+)\.(?P<channel>[a-z_]+)(?:\.(?P<locale>[A-Za-z-]+))?$"
)
_RUNTIME_NAMES = {"locale", "letterhead", "builtin_template", "notice_part", "super"}


class RenderedNotice(msgspec.Struct, frozen=True, kw_only=True):
    """The texts a channel sends; parts the channel does not use are None."""

    subject: str | None = None
    text: str | None = None
    html: str | None = None
    template: str = ""
    """Which template produced it (``tenant:…`` for an override), for the audit trail."""


class TemplateKey(msgspec.Struct, frozen=True):
    """A tenant override's key: ``[sector/]event.channel[.locale]``."""

    event: str
    channel: str
    locale: str | None = None
    sector: str | None = None

    @classmethod
    def parse(cls, key: str) -> TemplateKey:
        match = _KEY.match(key)
        if not match:
            raise ValueError(f"template key {key!r} is not [sector/]event.channel[.locale]")
        return cls(match["event"], match["channel"], match["locale"], match["sector"])


def _clean_text(value: str) -> str:
    lines = [line.rstrip() for line in value.replace("\r\n", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


class NoticeTemplates:
    """The template engine. One instance per process is enough (it caches compiled templates)."""

    def __init__(self, search_paths: Sequence[Path] | None = None, *, override_cache_size: int = 256) -> None:
        paths = [Path(p) for p in (search_paths or ())] + [TEMPLATE_ROOT]
        self._loader = BuiltinLoader([str(p) for p in paths])
        self._roots = [p.resolve() for p in paths]
        self._text_env = make_environment(self._loader, autoescape=False)
        self._html_env = make_environment(self._loader, autoescape=True)
        self._override_cache: OrderedDict[tuple[bool, str, str], Template] = OrderedDict()
        self._override_cache_size = override_cache_size

    # -- lookup ---------------------------------------------------------------------------------
    def builtin_exists(self, name: str) -> bool:
        try:
            self._loader.get_source(self._text_env, name)
        except TemplateNotFound:
            return False
        return True

    def _chain(self, event: str, channel: str, locale: str, sector: str) -> Iterator[tuple[str, str]]:
        for ch in (channel, *CHANNEL_FALLBACK.get(channel, ())):
            base = f"{event}.{ch}.{locale}"
            if sector != "default":
                yield "override", f"{sector}/{base}"
            yield "override", base
            if sector != "default":
                yield "builtin", f"notices/{sector}/{base}.j2"
            yield "builtin", f"notices/default/{base}.j2"

    def resolve(
        self,
        event: str,
        channel: str,
        locale: str,
        sector: str = "default",
        overrides: Mapping[str, str] | None = None,
    ) -> tuple[str, str | None]:
        """``(name, source)`` of the template to use; ``source`` is None for a built-in."""
        for kind, name in self._chain(event, channel, locale, sector):
            if kind == "override":
                if overrides and name in overrides:
                    return f"tenant:{name}", overrides[name]
            elif self.builtin_exists(name):
                return name, None
        raise TemplateNotFoundError(
            f"no template for event {event!r}, channel {channel!r}, locale {locale!r}, sector {sector!r}"
        )

    def channels_for(
        self, event: str, locale: str, sector: str = "default", overrides: Mapping[str, str] | None = None
    ) -> list[str]:
        """The channels ``event`` can be rendered for (after overrides and fallbacks)."""
        found = []
        for channel in CHANNELS:
            try:
                self.resolve(event, channel, locale, sector, overrides)
            except TemplateNotFoundError:
                continue
            found.append(channel)
        return found

    def builtin_source(self, event: str, channel: str, locale: str, sector: str = "default") -> tuple[str, str]:
        """The built-in template a tenant would override: ``(name, source)``, to start an editor from."""
        name, _ = self.resolve(event, channel, locale, sector, overrides=None)
        source, _, _ = self._loader.get_source(self._text_env, name)
        return name, source

    def builtin_file(self, name: str) -> str | None:
        """The source of the built-in template ``name`` (``notices/…/….j2``), or None."""
        try:
            source, _, _ = self._loader.get_source(self._text_env, name)
        except TemplateNotFound:
            return None
        return source

    def _layout_for(self, channel: str) -> str:
        return "letters/layout.html.j2" if channel == "letter" else "notices/_layouts/email.j2"

    # -- compiling ------------------------------------------------------------------------------
    def _compile(self, env: NoticeSandbox, name: str, source: str | None) -> Template:
        if source is None:
            return env.get_template(name)
        cache_key = (env is self._html_env, name, hashlib.sha256(source.encode()).hexdigest())
        template = self._override_cache.get(cache_key)
        if template is None:
            code = env.compile(source, name=name, filename=name)
            template = env.template_class.from_code(env, code, env.make_globals(None))
            self._override_cache[cache_key] = template
            if len(self._override_cache) > self._override_cache_size:
                self._override_cache.popitem(last=False)
        else:
            self._override_cache.move_to_end(cache_key)
        return template

    def _where(self, exc: BaseException, fallback: str) -> tuple[str, int | None]:
        """The innermost template frame of a traceback: (template name, line)."""
        name, line = fallback, None
        tb = exc.__traceback__
        while tb is not None:
            filename = tb.tb_frame.f_code.co_filename
            if filename.startswith("tenant:") or filename.endswith((".j2", ".css")):
                name, line = self._relative(filename), tb.tb_lineno
            tb = tb.tb_next
        return name, line

    def _relative(self, filename: str) -> str:
        if filename.startswith("tenant:"):
            return filename
        path = Path(filename)
        for root in self._roots:
            if path.is_relative_to(root):
                return path.relative_to(root).as_posix()
        return path.name

    # -- rendering ------------------------------------------------------------------------------
    def render(
        self,
        event: str,
        context: NoticeContext | Mapping[str, Any],
        *,
        channel: str,
        locale: str,
        sector: str = "default",
        overrides: Mapping[str, str] | None = None,
        letterhead: Letterhead | Mapping[str, Any] | None = None,
    ) -> RenderedNotice:
        """Render the notice for ``event`` on ``channel``; raises :class:`NoticeTemplateError`."""
        if channel not in CHANNEL_PARTS:
            raise TemplateNotFoundError(f"unknown channel {channel!r}")
        name, source = self.resolve(event, channel, locale, sector, overrides)
        builtin = None
        if source is not None:
            try:
                builtin = self.resolve(event, channel, locale, sector, None)[0]
            except TemplateNotFoundError:
                builtin = self._layout_for(channel)
        variables = _variables(context, locale, letterhead, builtin)
        parts: dict[str, str] = {}
        for part in CHANNEL_PARTS[channel]:
            env = self._html_env if part == "html" else self._text_env
            try:
                template = self._compile(env, name, source)
                output = template.render(variables, notice_part=part)
            except TemplateSyntaxError as exc:
                raise NoticeTemplateError(exc.message or str(exc), template=name, line=exc.lineno) from exc
            except SecurityError as exc:
                where, line = self._where(exc, name)
                raise TemplateSecurityError(f"refused by the sandbox: {exc}", template=where, line=line) from exc
            except TemplateNotFound as exc:
                raise NoticeTemplateError(f"template {exc.name!r} not found", template=name) from exc
            except Exception as exc:  # UndefinedError, errors raised by filters, OverflowError …
                where, line = self._where(exc, name)
                raise NoticeTemplateError(f"{type(exc).__name__}: {exc}", template=where, line=line) from exc
            if part == "subject":
                parts[part] = re.sub(r"\s+", " ", output).strip()
            elif part == "text":
                parts[part] = _clean_text(output)
            else:
                parts[part] = output.strip()
        return RenderedNotice(template=name, **parts)

    def check(self, source: str) -> list[TemplateProblem]:
        """Save-time check of a tenant's template source (see ``core.notices.checks``)."""
        known = set(NoticeContext.__struct_fields__) | _RUNTIME_NAMES | set(self._text_env.globals)
        return check_source(self._text_env, source, known_names=known, template_exists=self.builtin_exists)

    def preview(self, key: str, source: str, locale: str | None = None, *, sector: str = "default") -> RenderedNotice:
        """Render a tenant's draft for ``key`` (``[sector/]event.channel[.locale]``) with sample data."""
        parsed = TemplateKey.parse(key)
        loc = locale or parsed.locale or LOCALES[0]
        sec = parsed.sector or sector
        base = f"{parsed.event}.{parsed.channel}.{loc}"
        override_key = base if sec == "default" else f"{sec}/{base}"
        return self.render(
            parsed.event,
            sample_context(parsed.event, loc, sec),
            channel=parsed.channel,
            locale=loc,
            sector=sec,
            overrides={override_key: source},
        )


def _variables(
    context: NoticeContext | Mapping[str, Any],
    locale: str,
    letterhead: Letterhead | Mapping[str, Any] | None,
    builtin: str | None,
) -> dict[str, Any]:
    if not isinstance(context, NoticeContext):
        try:
            context = msgspec.convert(dict(context), NoticeContext)
        except msgspec.ValidationError as exc:
            raise NoticeTemplateError(f"bad notice context: {exc}") from exc
    variables = context.to_template_vars()
    if variables["issued_on"] is None:
        variables["issued_on"] = datetime.now(ZoneInfo(context.timezone)).date()
    if not variables["issuer"]:
        variables["issuer"] = context.tenant_name
    if letterhead is None:
        letterhead = Letterhead(name=context.tenant_name, address=context.tenant_address, phone=context.tenant_phone)
    elif not isinstance(letterhead, Letterhead):
        letterhead = msgspec.convert(dict(letterhead), Letterhead)
    variables["letterhead"] = msgspec.structs.asdict(letterhead)
    variables["locale"] = locale
    variables["builtin_template"] = builtin
    return variables


_default: NoticeTemplates | None = None


def default_templates() -> NoticeTemplates:
    """The process-wide engine over the project's ``templates/``."""
    global _default
    if _default is None:
        _default = NoticeTemplates()
    return _default


def render_notice(
    key: str,
    context: NoticeContext | Mapping[str, Any],
    overrides: Mapping[str, str] | None = None,
    locale: str = "zh-CN",
    sector: str = "default",
    channel: str = "email",
    *,
    letterhead: Letterhead | Mapping[str, Any] | None = None,
) -> RenderedNotice:
    """Render event ``key`` for one channel and locale through the lookup chain (module doc)."""
    return default_templates().render(
        key, context, channel=channel, locale=locale, sector=sector, overrides=overrides, letterhead=letterhead
    )


def check_template_source(source: str) -> list[TemplateProblem]:
    """Problems to show before a tenant's template is saved (empty: fine)."""
    return default_templates().check(source)


def preview(key: str, source: str, locale: str | None = None, *, sector: str = "default") -> RenderedNotice:
    """Render a tenant's draft template with :func:`sample_context` data."""
    return default_templates().preview(key, source, locale, sector=sector)
