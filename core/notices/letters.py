"""Printed letters: jinja2 HTML → PDF with WeasyPrint.

Why WeasyPrint: letters are laid out like official documents (红头 letterhead, centred title,
2-character paragraph indent, seal over the signature, page numbers "— 1 —"), which is plain
HTML/CSS, and WeasyPrint shapes CJK text through Pango with the system's fonts. The CSS font
stack (``templates/letters/letter.css``) asks for the fonts of GB/T 9704 official documents
first (仿宋_GB2312, 仿宋) and falls back to Noto Serif/Sans CJK SC (Debian ``fonts-noto-cjk``),
then to any serif; ``<html lang="zh-CN">`` makes fontconfig pick Simplified-Chinese glyph forms.

Safety: tenants can override letter templates, so the renderer fetches nothing: only inline
``data:`` URIs (the letterhead logo) are loaded; ``file:``/``http:`` references are dropped.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

from core.notices.context import Letterhead, NoticeContext
from core.notices.templating import NoticeTemplates, default_templates

__all__ = ["LetterRenderError", "Letterhead", "html_to_pdf", "render_letter_html", "render_letter_pdf"]


class LetterRenderError(RuntimeError):
    """WeasyPrint could not produce a PDF."""


# WeasyPrint shares Pango/fontconfig state across the process and does not promise thread
# safety; letters are few, so renders from worker threads simply take turns.
_RENDER_LOCK = threading.Lock()


def html_to_pdf(html: str) -> bytes:
    """Render a complete HTML document to PDF bytes, loading no external resources.

    CPU-bound (tens to hundreds of milliseconds; the first call loads fonts): call it through
    ``asyncio.to_thread`` from async code.
    """
    # Imported here: WeasyPrint pulls in Pango through cffi, which only the letter paths need.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    try:
        fetcher = URLFetcher(allowed_protocols={"data"}, allow_redirects=False)
        with _RENDER_LOCK:
            return HTML(string=html, url_fetcher=fetcher, base_url=None).write_pdf()
    except Exception as exc:
        raise LetterRenderError(f"PDF rendering failed: {type(exc).__name__}: {exc}") from exc


def render_letter_html(
    template_key: str,
    context: NoticeContext | Mapping[str, Any],
    letterhead: Letterhead | Mapping[str, Any] | None,
    locale: str = "zh-CN",
    *,
    sector: str = "default",
    overrides: Mapping[str, str] | None = None,
    templates: NoticeTemplates | None = None,
) -> str:
    """The letter for event ``template_key`` as a standalone HTML document."""
    engine = templates or default_templates()
    rendered = engine.render(
        template_key,
        context,
        channel="letter",
        locale=locale,
        sector=sector,
        overrides=overrides,
        letterhead=letterhead,
    )
    return rendered.html or ""


def render_letter_pdf(
    template_key: str,
    context: NoticeContext | Mapping[str, Any],
    letterhead: Letterhead | Mapping[str, Any] | None,
    locale: str = "zh-CN",
    *,
    sector: str = "default",
    overrides: Mapping[str, str] | None = None,
    templates: NoticeTemplates | None = None,
) -> bytes:
    """The letter for event ``template_key`` (``not_accepted``, ``replied`` …) as PDF bytes."""
    html = render_letter_html(
        template_key, context, letterhead, locale, sector=sector, overrides=overrides, templates=templates
    )
    return html_to_pdf(html)
