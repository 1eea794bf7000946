"""Client errors as RFC 9457 problem+json, and the exception handlers that produce them.

Every answer to a client mistake has ``status``, ``title``, ``detail``, ``field`` (the first
offending field, when there is one) and ``errors`` (every problem, each with ``field`` and
``message``), so a form can mark each field and a script can branch on ``type``.
"""

from __future__ import annotations

from typing import Any

import structlog
from litestar import Request, Response
from litestar.exceptions import (
    HTTPException,
    NotAuthorizedException,
    NotFoundException,
    PermissionDeniedException,
    ValidationException,
)
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

__all__ = [
    "ApiError",
    "Conflict",
    "FieldError",
    "Forbidden",
    "NotFound",
    "Unprocessable",
    "exception_handlers",
]

PROBLEM_MEDIA_TYPE = "application/problem+json"
_TYPE_BASE = "https://casedesk.dev/problems/"
log = structlog.get_logger("casedesk.errors")


class FieldError(dict[str, str]):
    """``{"field": ..., "message": ...}`` — a dict so it serialises as is."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(field=field, message=message)


class ApiError(Exception):
    """A domain error a client caused. Raised anywhere in core; rendered as problem+json."""

    status = 400
    title = "Bad request"
    type_slug = "bad-request"

    def __init__(self, detail: str, *, errors: list[FieldError] | None = None, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors or []
        self.extra = extra

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": _TYPE_BASE + self.type_slug,
            "status": self.status,
            "title": self.title,
            "detail": self.detail,
        }
        if self.errors:
            body["field"] = self.errors[0]["field"]
            body["errors"] = list(self.errors)
        body.update(self.extra)
        return body


class Unprocessable(ApiError):
    status = 422
    title = "Validation failed"
    type_slug = "validation"


class NotFound(ApiError):
    status = 404
    title = "Not found"
    type_slug = "not-found"


class Conflict(ApiError):
    status = 409
    title = "Conflict"
    type_slug = "conflict"


class Forbidden(ApiError):
    status = 403
    title = "Forbidden"
    type_slug = "forbidden"


class TooManyRequests(ApiError):
    status = 429
    title = "Too many requests"
    type_slug = "rate-limited"


def problem(status: int, title: str, detail: str, slug: str, **extra: Any) -> Response[dict[str, Any]]:
    body = {"type": _TYPE_BASE + slug, "status": status, "title": title, "detail": detail, **extra}
    return Response(body, status_code=status, media_type=PROBLEM_MEDIA_TYPE)


def api_error_response(_: Request, exc: ApiError) -> Response[dict[str, Any]]:
    headers = {"Retry-After": str(exc.extra["retry_after"])} if "retry_after" in exc.extra else None
    return Response(exc.body(), status_code=exc.status, media_type=PROBLEM_MEDIA_TYPE, headers=headers)


def _field_of(item: dict[str, Any]) -> str:
    """The offending field of one litestar/msgspec validation item, as a dotted path."""
    key = str(item.get("key") or "")
    message = str(item.get("message", ""))
    # msgspec: "Expected `str`, got `int` - at `$.complainant.name`",
    # "Object missing required field `ground`", "Object contains unknown field `tenant_id`"
    # (the last two optionally followed by "- at `$.complainant`").
    path = message.rsplit("at `$.", 1)[1].rstrip("`") if "at `$." in message else ""
    if not path and key not in ("", "data", "body"):
        path = key  # litestar moves msgspec's "at `$.x`" suffix into the key
    for marker in ("required field `", "unknown field `"):
        if marker in message:
            name = message.split(marker, 1)[1].split("`", 1)[0]
            return f"{path}.{name}" if path else name
    return path or "body"


def _validation(_: Request, exc: ValidationException) -> Response[dict[str, Any]]:
    items = exc.extra if isinstance(exc.extra, list) else []
    errors = [FieldError(_field_of(i), str(i.get("message", ""))) for i in items if isinstance(i, dict)]
    if not errors:
        errors = [FieldError("body", str(exc.detail))]
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
    return problem(422, "Validation failed", detail, "validation", field=errors[0]["field"], errors=errors)


def _http(request: Request, exc: HTTPException) -> Response[dict[str, Any]]:
    if exc.status_code >= 500:
        return _unexpected(request, exc)
    titles = {
        NotAuthorizedException: ("Unauthorized", "unauthorized"),
        PermissionDeniedException: ("Forbidden", "forbidden"),
        NotFoundException: ("Not found", "not-found"),
    }
    title, slug = titles.get(type(exc), (None, None))
    if title is None:
        title = {405: "Method not allowed", 413: "Request too large", 415: "Unsupported media type"}.get(
            exc.status_code, "Bad request" if exc.status_code < 500 else "Server error"
        )
        slug = title.lower().replace(" ", "-")
    response = problem(exc.status_code, title, str(exc.detail), slug or "error")
    if exc.status_code == 401:
        response.headers["WWW-Authenticate"] = "Bearer"
    if exc.headers:
        response.headers.update(exc.headers)
    return response


def _unexpected(request: Request, exc: Exception) -> Response[dict[str, Any]]:
    log.exception("unhandled error", path=request.url.path, error=repr(exc))
    return problem(
        HTTP_500_INTERNAL_SERVER_ERROR,
        "Server error",
        "An unexpected error occurred; it has been logged.",
        "server-error",
    )


exception_handlers: dict[type[Exception], Any] = {
    ApiError: api_error_response,
    ValidationException: _validation,
    HTTPException: _http,
    Exception: _unexpected,
}


def _plugin_failed(request: Request, exc: Exception) -> Response[dict[str, Any]]:
    # A broken plugin is contained: this request fails with a problem naming it; the error is
    # logged with the tenant; nothing global changed, so other tenants carry on.
    from core.plugin_errors import PluginConfigError

    plugin = getattr(exc, "plugin", None)
    user = request.scope.get("user")
    log.error(
        "plugin failed",
        plugin=plugin,
        hook=getattr(exc, "hook", None),
        detail=str(exc),
        tenant_id=str(getattr(user, "tenant_id", "")),
        path=request.url.path,
    )
    if isinstance(exc, PluginConfigError):
        return problem(
            500,
            "Plugin configuration invalid",
            f"The stored configuration of plugin '{plugin}' no longer validates; a tenant admin must fix it.",
            "plugin-config",
            plugin=plugin,
            errors=list(exc.errors),
        )
    return problem(
        502,
        "Plugin failed",
        f"The sector plugin '{plugin}' failed ({getattr(exc, 'hook', None)}).",
        "plugin-failed",
        plugin=plugin,
        hook=getattr(exc, "hook", None),
    )


def _plugin_handlers() -> dict[type[Exception], Any]:
    from core.plugin_errors import PluginConfigError, PluginError

    return {PluginError: _plugin_failed, PluginConfigError: _plugin_failed}


plugin_exception_handlers = _plugin_handlers()
