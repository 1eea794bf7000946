"""The error answers of every operation, documented as they are sent: RFC 9457 problem+json.

Litestar documents a ``400`` with its own ``{status_code, detail, extra}`` JSON body for any
handler with parameters, but casedesk answers client errors through ``core.errors``: validation
is a ``422``, credentials a ``401``, guards a ``403``, unknown ids a ``404`` — each as
``application/problem+json``. :func:`document_problems` rewrites the generated schema once the app
is built so that clients (and ``tests/integration/test_api_fuzz.py``) see what is really sent:

* ``400`` (an unreadable body or query) and ``422`` (a value the schema or a rule refuses) on
  operations that take parameters or a body;
* ``401`` on every operation that needs a credential — and ``security: []`` on those that do not,
  so a client knows it may call them anonymously;
* ``403`` on operations behind a guard (scope or role); ``404`` on those addressed by an id;
* ``4XX`` for the rest a rule can answer (a ``409`` conflict, a ``429`` rate limit, …).

``create_app`` calls it after registering every route (litestar rebuilds the schema, without
these changes, when a route is registered later).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from litestar import Litestar
from litestar.openapi.spec import OpenAPI, OpenAPIMediaType, OpenAPIResponse, Operation, Reference, Schema
from litestar.routes import HTTPRoute

__all__ = ["PROBLEM_SCHEMA", "document_problems"]

PROBLEM_MEDIA_TYPE = "application/problem+json"

PROBLEM_SCHEMA = Schema(
    type="object",
    required=["type", "status", "title", "detail"],
    properties={
        "type": Schema(type="string", description="A URI naming the kind of problem."),
        "status": Schema(type="integer", description="The HTTP status code, repeated."),
        "title": Schema(type="string", description="A short summary of the kind of problem."),
        "detail": Schema(type="string", description="What went wrong with this request."),
        "field": Schema(type="string", description="The first offending field, when there is one."),
        "errors": Schema(
            type="array",
            description="Every problem found, each naming its field.",
            items=Schema(
                type="object",
                required=["field", "message"],
                properties={"field": Schema(type="string"), "message": Schema(type="string")},
            ),
        ),
    },
    description="An RFC 9457 problem; some problems add members of their own (e.g. `retry_after`).",
)

_DESCRIPTIONS = {
    "400": "The request could not be read (e.g. a body that is not JSON).",
    "401": "No credential, or an unknown, expired or revoked one.",
    "403": "The credential lacks the scope or the role this operation needs.",
    "404": "No such resource in the caller's tenant.",
    "422": "A value is refused; `errors` names each field.",
    "4XX": "Another client error (a conflict, a rate limit, …).",
}


def _problem(code: str) -> OpenAPIResponse:
    ref = Reference(ref="#/components/schemas/Problem")
    return OpenAPIResponse(description=_DESCRIPTIONS[code], content={PROBLEM_MEDIA_TYPE: OpenAPIMediaType(schema=ref)})


def _handlers(app: Litestar) -> dict[tuple[str, str], object]:
    found: dict[tuple[str, str], object] = {}
    for route in app.routes:
        if isinstance(route, HTTPRoute):
            for method, (handler, _) in route.route_handler_map.items():
                found[(route.path_format or "/", method.lower())] = handler
    return found


def _operations(openapi: OpenAPI) -> Iterable[tuple[str, str, Operation]]:
    for path, item in (openapi.paths or {}).items():
        for method in ("get", "put", "post", "delete", "patch"):
            operation = getattr(item, method, None)
            if isinstance(operation, Operation):
                yield path, method, operation


def document_problems(app: Litestar, public_paths: Iterable[str]) -> None:
    """Rewrite the error responses of ``app``'s OpenAPI schema (``public_paths`` are the
    authentication middleware's exclusion patterns)."""
    openapi = app.openapi_schema
    openapi.components.schemas = {**(openapi.components.schemas or {}), "Problem": PROBLEM_SCHEMA}
    public = [re.compile(p) for p in public_paths]
    handlers = _handlers(app)
    for path, method, operation in _operations(openapi):
        responses = {
            code: response for code, response in (operation.responses or {}).items() if not code.startswith("4")
        }
        codes = []
        parameters = [p for p in operation.parameters or [] if getattr(p, "param_in", None) != "path"]
        if parameters or operation.request_body:
            codes += ["400", "422"]
        if any(p.search(path) for p in public):
            operation.security = []
        else:
            codes.append("401")
            handler = handlers.get((path, method))
            if handler is not None and handler.resolve_guards():  # type: ignore[attr-defined]
                codes.append("403")
        if "{" in path:
            codes.append("404")
        for code in [*sorted(codes), "4XX"]:
            responses[code] = _problem(code)
        operation.responses = responses
