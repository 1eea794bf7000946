"""/api/v1/tenant/templates and /api/v1/tenant/channels — a tenant's notice wording and gateways.

Templates: the built-in keys and the tenant's overrides, keyed ``[sector/]name.channel[.locale]``
(``gov_petition/not_accepted.letter.zh-CN``; the key may contain a slash, so it is the rest of
the path). A draft is checked before it is saved (syntax, unknown variables and templates,
forbidden attributes) and refused with 422 naming the first problem's ``line``; saved
overrides are versioned and audited (``TenantEvent``); deleting one reverts to the built-in.
``POST …/{key}/preview`` renders a draft with sample data in a child process under a time
limit (``CASEDESK_TEMPLATE_PREVIEW_SECONDS``) — a draft may loop for hours; 422 when it does.

Channels: SMTP relay, SMS gateway and webhook endpoint, validated by the channel adapters'
own config structs. Secrets are never answered in full (``****`` and the last four
characters); sending such a masked value back keeps the stored secret.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

from litestar import Controller, Request, delete, get, post, put
from msgspec import Meta, Struct

from core.case_hooks import plugins_for
from core.db import transaction
from core.errors import Conflict, FieldError, NotFound, Unprocessable
from core.notice_preview import PreviewFailed, PreviewTimeout, preview_limited
from core.notices import CHANNELS, EVENTS, LOCALES, ChannelConfigError, check_template_source, get_channel
from core.notices.templating import TemplateKey, default_templates
from core.tables import ChannelConfig, NoticeTemplate
from tenants.audit import record_tenant_event
from tenants.auth import Principal, require_roles, require_scope

__all__ = ["ChannelSettingsController", "TemplateController"]

_ADMIN_WRITE = [require_scope("admin:write"), require_roles("tenant_admin")]
Source = Annotated[str, Meta(max_length=100_000)]


class TemplateEntry(Struct):
    key: str
    builtin: str | None
    override: bool
    version: int | None
    updated_at: datetime | None
    updated_by: str | None


class TemplateOut(Struct):
    key: str
    source: str
    override: bool
    builtin_source: str | None
    version: int | None
    updated_at: datetime | None
    updated_by: str | None


class TemplateIn(Struct, forbid_unknown_fields=True):
    source: Source
    expected_version: int | None = None


class PreviewIn(Struct, forbid_unknown_fields=True):
    source: Source | None = None
    """The draft; empty: the saved override, else the built-in."""
    locale: str | None = None


class PreviewOut(Struct):
    key: str
    subject: str | None
    text: str | None
    html: str | None


async def _sectors(who: Principal) -> set[str]:
    return {s.key for s in (await plugins_for(who.scope)).sectors()}


async def _key(raw: Path | str, who: Principal) -> str:
    """The normalised override key, or 422 saying what is wrong with it."""
    key = str(raw).strip("/")
    try:
        parsed = TemplateKey.parse(key)
    except ValueError as exc:
        raise Unprocessable(str(exc), errors=[FieldError("key", "[sector/]name.channel[.locale]")]) from None
    problems = []
    if parsed.channel not in CHANNELS:
        problems.append(FieldError("key", f"channel must be one of {', '.join(CHANNELS)}"))
    if parsed.locale is not None and parsed.locale not in LOCALES:
        problems.append(FieldError("key", f"locale must be one of {', '.join(LOCALES)}"))
    sector = None if parsed.sector in (None, "default") else parsed.sector
    if sector is not None and sector not in await _sectors(who):
        problems.append(FieldError("key", f"'{sector}' is not a sector of this organisation"))
    if sector is None and parsed.event not in EVENTS:
        problems.append(
            FieldError("key", f"'{parsed.event}' is not a core event; a plugin's template needs its sector")
        )
    if problems:
        raise Unprocessable(f"bad template key {key!r}", errors=problems)
    base = f"{parsed.event}.{parsed.channel}" + (f".{parsed.locale}" if parsed.locale else "")
    return f"{sector}/{base}" if sector else base


def _builtin(key: str) -> str | None:
    """The source of the built-in file an override of ``key`` replaces, if there is one."""
    parsed = TemplateKey.parse(key)
    locale = parsed.locale or LOCALES[0]
    return default_templates().builtin_file(
        f"notices/{parsed.sector or 'default'}/{parsed.event}.{parsed.channel}.{locale}.j2"
    )


async def _template_out(who: Principal, name: str) -> TemplateOut:
    row = await who.scope.select(NoticeTemplate).where(NoticeTemplate.key == name).first()
    builtin = _builtin(name)
    if row is None and builtin is None:
        raise NotFound(f"No template {name!r}: neither built in nor overridden.")
    return TemplateOut(
        key=name,
        source=row["source"] if row else builtin or "",
        override=row is not None,
        builtin_source=builtin,
        version=row["version"] if row else None,
        updated_at=row["updated_at"] if row else None,
        updated_by=row["updated_by"] if row else None,
    )


def _problem_response(problems: list[Any]) -> Unprocessable:
    first = problems[0]
    errors = [FieldError("source", f"line {p.line}: {p.message}" if p.line else p.message) for p in problems]
    return Unprocessable(f"The template cannot be saved: {first.message}", errors=errors, line=first.line)


async def _audit(who: Principal, now: datetime, action: str, data: dict[str, Any]) -> None:
    await record_tenant_event(who.tenant_id, action, actor=who, at=now, data=data)


class TemplateController(Controller):
    path = "/api/v1/tenant/templates"
    tags = ["notices"]

    @get("/", guards=[require_scope("admin:read")], summary="Built-in template keys and this tenant's overrides")
    async def index(self, who: Principal) -> list[TemplateEntry]:
        rows = {r["key"]: r for r in await who.scope.select(NoticeTemplate)}
        entries: dict[str, TemplateEntry] = {}
        engine = default_templates()
        for sector in ["default", *sorted(await _sectors(who))]:
            for event in EVENTS:
                for channel in CHANNELS:
                    for locale in LOCALES:
                        name = f"notices/{sector}/{event}.{channel}.{locale}.j2"
                        if engine.builtin_exists(name):
                            key = (
                                f"{event}.{channel}.{locale}"
                                if sector == "default"
                                else f"{sector}/{event}.{channel}.{locale}"
                            )
                            entries[key] = TemplateEntry(key, name, False, None, None, None)
        for key, row in rows.items():
            builtin = entries[key].builtin if key in entries else None
            entries[key] = TemplateEntry(key, builtin, True, row["version"], row["updated_at"], row["updated_by"])
        return [entries[k] for k in sorted(entries)]

    @get("/{key:path}", guards=[require_scope("admin:read")], summary="One template: the override and the built-in")
    async def show(self, key: Path, who: Principal) -> TemplateOut:
        return await _template_out(who, await _key(key, who))

    @put("/{key:path}", guards=_ADMIN_WRITE, summary="Save an override (checked first; 422 names the line)")
    async def save(self, key: Path, data: TemplateIn, who: Principal, now: datetime) -> TemplateOut:
        name = await _key(key, who)
        problems = check_template_source(data.source)
        if problems:
            raise _problem_response(problems)
        async with transaction():
            row = await who.scope.select(NoticeTemplate).where(NoticeTemplate.key == name).first()
            current = row["version"] if row else 0
            if data.expected_version is not None and data.expected_version != current:
                raise Conflict(
                    "The template changed since you read it; reload and try again.",
                    errors=[FieldError("expected_version", f"current version is {current}")],
                )
            values = {"source": data.source, "version": current + 1, "updated_at": now, "updated_by": who.name}
            if row is None:
                await who.scope.insert(NoticeTemplate, key=name, **values)
            else:
                await who.scope.update(
                    NoticeTemplate, {getattr(NoticeTemplate, k): v for k, v in values.items()}
                ).where(NoticeTemplate.id == row["id"])
            await _audit(who, now, "notice_template", {"key": name, "version": current + 1})
        return await _template_out(who, name)

    @delete("/{key:path}", guards=_ADMIN_WRITE, summary="Drop the override: the built-in applies again")
    async def revert(self, key: Path, who: Principal, now: datetime) -> None:
        name = await _key(key, who)
        async with transaction():
            row = await who.scope.select(NoticeTemplate).where(NoticeTemplate.key == name).first()
            if row is None:
                raise NotFound(f"This organisation has no override of {name!r}.")
            await who.scope.delete(NoticeTemplate).where(NoticeTemplate.id == row["id"])
            await _audit(who, now, "notice_template_reverted", {"key": name, "version": row["version"]})

    @post(
        "/{key:path}",
        guards=[require_scope("admin:read"), require_roles("tenant_admin")],
        status_code=200,
        summary="Preview: POST …/templates/{key}/preview renders a draft with sample data",
    )
    async def preview(self, request: Request, key: Path, data: PreviewIn, who: Principal) -> PreviewOut:
        raw = str(key).strip("/")
        if not raw.endswith("/preview"):
            raise NotFound("POST only …/templates/{key}/preview.")
        name = await _key(raw.removesuffix("/preview"), who)
        source = data.source
        if source is None:
            source = (await _template_out(who, name)).source
        problems = check_template_source(source)
        if problems:
            raise _problem_response(problems)
        limit = request.app.state.settings.template_preview_seconds
        try:
            parts = await preview_limited(name, source, locale=data.locale, limit=limit)
        except PreviewTimeout:
            raise Unprocessable(
                f"The template took longer than {limit:g} s to render; look for loops.",
                errors=[FieldError("source", "rendering timed out")],
            ) from None
        except PreviewFailed as exc:
            raise Unprocessable(
                f"The template does not render: {exc.message}",
                errors=[FieldError("source", exc.message)],
                line=exc.line if exc.template and exc.template.startswith("tenant:") else None,
            ) from None
        return PreviewOut(name, parts.get("subject"), parts.get("text"), parts.get("html"))


# -- channels ---------------------------------------------------------------------------------

CONFIGURABLE = ("email", "sms", "webhook")
_SECRETS = {"email": ("password",), "sms": ("token",), "webhook": ("secret",)}
_AT = re.compile(r"at `\$\.?([^`]*)`")


class ChannelOut(Struct):
    channel: str
    configured: bool
    config: dict[str, Any]
    version: int
    updated_at: datetime | None
    updated_by: str | None


class ChannelIn(Struct, forbid_unknown_fields=True):
    config: dict[str, Any]
    expected_version: int | None = None


def mask(value: Any) -> Any:
    """``****`` plus the last four characters of a secret long enough to keep them hidden."""
    if not isinstance(value, str) or not value:
        return value
    return "****" + value[-4:] if len(value) > 12 else "****"


def _masked(channel: str, config: dict[str, Any]) -> dict[str, Any]:
    out = dict(config)
    for name in _SECRETS.get(channel, ()):
        if name in out:
            out[name] = mask(out[name])
    if "previous_secrets" in out:
        out["previous_secrets"] = [mask(s) for s in out["previous_secrets"] or []]
    if "headers" in out:  # custom headers carry API keys as often as not
        out["headers"] = {k: mask(v) for k, v in (out["headers"] or {}).items()}
    return out


def _unmask(channel: str, new: dict[str, Any], stored: dict[str, Any]) -> dict[str, Any]:
    """Masked values sent back (the client re-saving what it read) keep the stored secret."""
    out = dict(new)
    for name in _SECRETS.get(channel, ()):
        if name in out and name in stored and out[name] == mask(stored[name]):
            out[name] = stored[name]
    if isinstance(out.get("previous_secrets"), list):
        old = {mask(s): s for s in stored.get("previous_secrets") or []}
        out["previous_secrets"] = [old.get(s, s) for s in out["previous_secrets"]]
    if isinstance(out.get("headers"), dict):
        old_headers = stored.get("headers") or {}
        out["headers"] = {
            k: old_headers[k] if k in old_headers and v == mask(old_headers[k]) else v
            for k, v in out["headers"].items()
        }
    return out


def _known(channel: str) -> None:
    if channel not in CONFIGURABLE:
        raise NotFound(f"No configurable channel {channel!r}; these are: {', '.join(CONFIGURABLE)}.")


class ChannelSettingsController(Controller):
    path = "/api/v1/tenant/channels"
    tags = ["notices"]

    @get("/", guards=[require_scope("admin:read")], summary="The tenant's delivery channels (secrets masked)")
    async def index(self, who: Principal) -> list[ChannelOut]:
        return [await self._out(who, c) for c in CONFIGURABLE]

    @get("/{channel:str}", guards=[require_scope("admin:read")], summary="One channel's settings (secrets masked)")
    async def show(self, channel: str, who: Principal) -> ChannelOut:
        _known(channel)
        return await self._out(who, channel)

    @put("/{channel:str}", guards=_ADMIN_WRITE, summary="Set a channel's settings (validated; audited without secrets)")
    async def save(self, request: Request, channel: str, data: ChannelIn, who: Principal, now: datetime) -> ChannelOut:
        _known(channel)
        async with transaction():
            row = await who.scope.select(ChannelConfig).where(ChannelConfig.channel == channel).first()
            current = row["version"] if row else 0
            if data.expected_version is not None and data.expected_version != current:
                raise Conflict(
                    "The channel settings changed since you read them; reload and try again.",
                    errors=[FieldError("expected_version", f"current version is {current}")],
                )
            config = _unmask(channel, data.config, (row or {}).get("config") or {})
            self._validate(request, channel, config)
            values = {"config": config, "version": current + 1, "updated_at": now, "updated_by": who.name}
            if row is None:
                await who.scope.insert(ChannelConfig, channel=channel, **values)
            else:
                await who.scope.update(ChannelConfig, {getattr(ChannelConfig, k): v for k, v in values.items()}).where(
                    ChannelConfig.id == row["id"]
                )
            await _audit(who, now, "channel_config", {"channel": channel, "version": current + 1})
        return await self._out(who, channel)

    @staticmethod
    def _validate(request: Request, channel: str, config: dict[str, Any]) -> None:
        if config.get("allow_private_networks") and not request.app.state.settings.webhook_allow_private_networks:
            raise Unprocessable(
                "Webhooks to private networks are not allowed on this platform.",
                errors=[FieldError("config.allow_private_networks", "set by the platform operator, not per tenant")],
            )
        try:
            get_channel(channel, config)
        except ChannelConfigError as exc:
            found = _AT.search(str(exc))
            field = "config." + found.group(1) if found and found.group(1) else "config"
            raise Unprocessable(f"Invalid {channel} settings: {exc}", errors=[FieldError(field, str(exc))]) from None

    @staticmethod
    async def _out(who: Principal, channel: str) -> ChannelOut:
        row = await who.scope.select(ChannelConfig).where(ChannelConfig.channel == channel).first()
        if row is None:
            return ChannelOut(channel, False, {}, 0, None, None)
        return ChannelOut(
            channel, True, _masked(channel, row["config"] or {}), row["version"], row["updated_at"], row["updated_by"]
        )
