"""``create_app(settings)`` — the Litestar application and the resources its lifespan owns."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import structlog
from litestar import Litestar, Request, Response
from litestar.config.cors import CORSConfig
from litestar.middleware.base import DefineMiddleware
from litestar.openapi import OpenAPIConfig
from litestar.openapi.spec import Components, SecurityScheme
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.template.config import TemplateConfig

from core.api.api_keys import ApiKeyController
from core.api.auth import AuthController
from core.api.calendar import CalendarController
from core.api.cases import CaseController
from core.api.clocks import ClockController, DashboardController
from core.api.departments import DepartmentController
from core.api.deps import dependencies
from core.api.health import HealthController
from core.api.metrics import MetricsController
from core.api.notice_settings import ChannelSettingsController, TemplateController
from core.api.notices import InboxController, LetterController, NoticeController
from core.api.pages import PageController
from core.api.plugins import PluginController, TenantPluginController
from core.api.positions import PositionController
from core.api.problem_docs import document_problems
from core.api.public import PublicController
from core.api.tenant_events import TenantEventController
from core.api.text_guard import reject_nul
from core.api.users import UserController
from core.clock import Clock, SystemClock
from core.db import bind_engine, close_engine, prepare_engine
from core.errors import NotFound, api_error_response, exception_handlers, plugin_exception_handlers
from core.logging import configure_logging
from core.notice_kick import enqueue_after_response
from core.redis_runtime import RedisRuntime, start_redis
from core.settings import Settings, get_settings
from tenants.auth import AuthMiddleware
from tenants.scope import NotFoundInScope

__all__ = ["create_app"]

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
# Reached without a credential (the authentication middleware skips them; the OpenAPI schema
# documents them with ``security: []``).
PUBLIC_PATHS = (
    "^/health",
    "^/metrics",
    "^/schema",
    "^/api/v1/public",
    "^/api/v1/auth/login",
    "^/$",
    "^/track",
    "^/console",
    "^/static",
)
log = structlog.get_logger("casedesk.app")


def _not_found_in_scope(request: Request, exc: NotFoundInScope) -> Response:
    # Another tenant's id and a non-existent id answer identically: nothing is revealed.
    return api_error_response(request, NotFound(f"No such {exc.table.__name__.lower()}."))


def create_app(
    settings: Settings | None = None, *, clock: Clock | None = None, redis: RedisRuntime | None = None
) -> Litestar:
    """Build the app. Tests pass their own settings, clock and Redis; ``serve`` passes none."""
    settings = settings or get_settings()
    configure_logging(settings.log_level)
    engine = bind_engine(settings)

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        await prepare_engine(engine)
        runtime = redis or await asyncio.to_thread(start_redis, settings)
        app.state.redis_runtime = runtime
        app.state.redis = runtime.client()
        worker_task = None
        if settings.run_worker_in_process:
            from workers.settings import build_worker

            worker = build_worker(settings, runtime.arq_settings(), clock=app.state.clock)
            worker_task = asyncio.create_task(worker.async_run())
            app.state.worker = worker
        try:
            yield
        finally:
            if worker_task is not None:
                await app.state.worker.close()
                worker_task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await worker_task
            await app.state.redis.aclose()
            if redis is None:
                runtime.close()
            await close_engine(engine)

    app = Litestar(
        route_handlers=[
            HealthController,
            AuthController,
            CaseController,
            PublicController,
            DepartmentController,
            UserController,
            ApiKeyController,
            PluginController,
            TenantPluginController,
            PositionController,
            ClockController,
            DashboardController,
            CalendarController,
            TenantEventController,
            NoticeController,
            LetterController,
            InboxController,
            TemplateController,
            ChannelSettingsController,
            MetricsController,
            PageController,
        ],
        dependencies=dependencies,
        middleware=[
            DefineMiddleware(
                AuthMiddleware,
                exclude=list(PUBLIC_PATHS),
            )
        ],
        exception_handlers={**exception_handlers, NotFoundInScope: _not_found_in_scope, **plugin_exception_handlers},
        lifespan=[lifespan],
        before_request=reject_nul,  # U+0000 in any input: 422 on every engine (PostgreSQL cannot store it)
        after_response=enqueue_after_response,  # notices written by the request: deliver now
        openapi_config=OpenAPIConfig(
            title="casedesk",
            version="0.1.0",
            description="Multi-tenant case service for complaints and petitions (投诉 / 信访).",
            path="/schema",
            components=Components(
                security_schemes={
                    "bearer": SecurityScheme(type="http", scheme="bearer", description="Staff token or API key")
                }
            ),
            security=[{"bearer": []}],
        ),
        template_config=TemplateConfig(directory=TEMPLATES, engine=JinjaTemplateEngine),
        # No origin but the app's own unless CASEDESK_CORS_ORIGINS names some.
        cors_config=CORSConfig(
            allow_origins=settings.cors_origin_list, allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"]
        ),
        debug=False,
    )
    document_problems(app, PUBLIC_PATHS)
    app.state.settings = settings
    app.state.clock = clock or SystemClock()
    app.state.secret_key = settings.resolved_secret_key()
    return app
