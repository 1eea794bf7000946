"""Endpoints for complainants: no credential, only what their tracking code and PIN unlock."""

from __future__ import annotations

from litestar import Controller, Request, post

from core.api.case_schemas import PublicCaseView, PublicLookupIn
from core.i18n import negotiate_locale
from core.public_lookup import lookup_case
from core.ratelimit import enforce_rate_limit
from core.settings import Settings

__all__ = ["PublicController"]


class PublicController(Controller):
    path = "/api/v1/public"
    tags = ["public"]

    @post("/lookup", exclude_from_auth=True, status_code=200, summary="Track a case by code and PIN")
    async def lookup(self, request: Request, data: PublicLookupIn, settings: Settings) -> PublicCaseView:
        await enforce_rate_limit(request, "lookup", settings.public_lookup_rate)
        locale = negotiate_locale(request.headers.get("accept-language"))
        return await lookup_case(
            data.tracking_code, data.pin, locale=locale, hash_profile=settings.password_hash_profile
        )
