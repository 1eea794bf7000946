"""Server-rendered pages: the complainants' tracking portal and the staff console shell.

Both pages are static shells that talk to the JSON API; the console keeps its token in the
browser tab's sessionStorage, so closing the tab logs out."""

from __future__ import annotations

from litestar import Controller, Request, get
from litestar.response import Redirect, Template

from core.console_text import console_text
from core.i18n import LOCALES, negotiate_locale
from core.portal_text import PORTAL_TEXT

__all__ = ["PageController"]


def _locale(request: Request, lang: str | None) -> str:
    return lang if lang in LOCALES else negotiate_locale(request.headers.get("accept-language"))


class PageController(Controller):
    include_in_schema = False

    @get("/", exclude_from_auth=True)
    async def home(self) -> Redirect:
        return Redirect(path="/track")

    @get("/track", exclude_from_auth=True)
    async def track(self, request: Request, lang: str | None = None) -> Template:
        locale = _locale(request, lang)
        return Template(
            template_name="portal/track.html",
            context={"locale": locale, "text": PORTAL_TEXT[locale], "other": "en" if locale == "zh-CN" else "zh-CN"},
        )

    @get("/console", exclude_from_auth=True)
    async def console(self, request: Request, lang: str | None = None) -> Template:
        locale = _locale(request, lang)
        return Template(
            template_name="console/console.html",
            context={"locale": locale, "text": console_text(locale), "other": "en" if locale == "zh-CN" else "zh-CN"},
        )
