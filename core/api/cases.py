"""/api/v1/cases — intake, listing, reading, transitions and the timeline."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.params import Parameter

from core.api.case_schemas import CaseCreated, CaseEventOut, CaseIn, CaseOut, CasePage, TransitionIn
from core.case_queries import CaseFilters, list_cases
from core.case_views import case_events, case_out, cases_out
from core.i18n import negotiate_locale
from core.intake import register_case
from core.settings import Settings
from core.tables import Case
from core.transitions import apply_transition
from tenants.auth import Principal, require_scope

__all__ = ["CaseController"]


class CaseController(Controller):
    path = "/api/v1/cases"
    tags = ["cases"]

    @post(
        "/",
        guards=[require_scope("cases:write")],
        summary="Register a case (intake)",
        description="Honours `Idempotency-Key`: a retried request answers with the same case and creates nothing.",
    )
    async def create(
        self,
        request: Request,
        data: CaseIn,
        who: Principal,
        now: datetime,
        settings: Settings,
        idempotency_key: Annotated[str | None, Parameter(header="Idempotency-Key", required=False)] = None,
    ) -> Response[CaseCreated]:
        result = await register_case(
            who,
            data,
            now=now,
            idempotency_key=idempotency_key,
            secret_key=request.app.state.secret_key,
            hash_profile=settings.password_hash_profile,
            locale=negotiate_locale(request.headers.get("accept-language")),
        )
        view = await case_out(result.case, who, now)
        body = CaseCreated(**{f: getattr(view, f) for f in view.__struct_fields__}, access_pin=result.pin)
        headers = {"Location": f"/api/v1/cases/{view.id}"}
        if result.replayed:
            headers["Idempotent-Replayed"] = "true"
        return Response(body, status_code=201, headers=headers)

    @get("/", guards=[require_scope("cases:read")], summary="List cases (filters, cursor pagination)")
    async def index(
        self,
        who: Principal,
        now: datetime,
        status: Annotated[list[str] | None, Parameter(required=False)] = None,
        category: str | None = None,
        channel: str | None = None,
        sector: str | None = None,
        department_id: UUID | None = None,
        created_from: datetime | None = None,
        created_to: datetime | None = None,
        q: Annotated[str | None, Parameter(max_length=200)] = None,
        cursor: str | None = None,
        limit: Annotated[int, Parameter(ge=1, le=200)] = 50,
    ) -> CasePage:
        filters = CaseFilters(
            statuses=status or [],
            category=category,
            channel=channel,
            sector=sector,
            department_id=department_id,
            created_from=created_from,
            created_to=created_to,
            text=q,
        )
        rows, next_cursor = await list_cases(who.scope, filters, cursor=cursor, limit=limit)
        return CasePage(items=await cases_out(rows, who, now), next_cursor=next_cursor)

    @get("/{case_id:uuid}", guards=[require_scope("cases:read")], summary="One case")
    async def show(self, case_id: UUID, who: Principal, now: datetime) -> CaseOut:
        return await case_out(await who.scope.get(Case, case_id), who, now)

    @post(
        "/{case_id:uuid}/transitions",
        guards=[require_scope("cases:write")],
        status_code=200,
        summary="Move a case through its lifecycle",
        description="Illegal transitions answer 409 with `allowed_actions`; missing roles answer 403.",
    )
    async def transition(
        self, request: Request, case_id: UUID, data: TransitionIn, who: Principal, now: datetime
    ) -> CaseOut:
        locale = negotiate_locale(request.headers.get("accept-language"))
        return await case_out(await apply_transition(who, case_id, data, now=now, locale=locale), who, now)

    @get("/{case_id:uuid}/events", guards=[require_scope("cases:read")], summary="The case's timeline")
    async def events(self, case_id: UUID, who: Principal) -> list[CaseEventOut]:
        case = await who.scope.get(Case, case_id, Case.id)
        return await case_events(who.scope, case["id"])
