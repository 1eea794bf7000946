"""Dependencies injected into controllers: the caller, their tenant scope, the clock, settings."""

from __future__ import annotations

from datetime import datetime

from litestar import Request
from litestar.di import Provide

from core.clock import Clock
from core.settings import Settings
from tenants.auth import Principal
from tenants.scope import TenantScope

__all__ = ["dependencies"]


def provide_principal(request: Request) -> Principal:
    return request.user


def provide_scope(request: Request) -> TenantScope:
    return request.user.scope


def provide_clock(request: Request) -> Clock:
    return request.app.state.clock


def provide_now(request: Request) -> datetime:
    return request.app.state.clock.now()


def provide_settings(request: Request) -> Settings:
    return request.app.state.settings


dependencies = {
    "who": Provide(provide_principal, sync_to_thread=False),
    "tenant_scope": Provide(provide_scope, sync_to_thread=False),
    "clock": Provide(provide_clock, sync_to_thread=False),
    "now": Provide(provide_now, sync_to_thread=False),
    "settings": Provide(provide_settings, sync_to_thread=False),
}
