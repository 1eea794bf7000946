"""Printed letters: the notice becomes a PDF in a print queue.

Statutory notices (不予受理告知书, 处理意见书 …) go out on paper with a seal, so "delivering"
one means producing the PDF and handing it to whoever prints and posts it. The message
arrives either with the PDF already attached (rendered by ``core.notices.letters`` when the
notice was queued) or with the letter's HTML in ``html_body``, which is rendered here, off the
event loop because WeasyPrint is CPU-bound.

Where the PDF goes is a *sink*: by default a print-queue directory (``<directory>/<tenant>/
<notice>.pdf``, written atomically and overwritten on retry, so a re-run job cannot queue a
second copy); the core can pass its own sink (attachment storage) instead.
"""

from __future__ import annotations

import asyncio
import os
import re
import tempfile
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import Any

import msgspec

from core.notices.channels.base import DeliveryResult, OutgoingMessage, convert_config

__all__ = ["LetterChannel", "LetterConfig", "LetterSink", "directory_sink"]

LetterSink = Callable[[OutgoingMessage, bytes], Awaitable[str]]
"""Stores a letter's PDF and returns its storage key."""

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


class LetterConfig(msgspec.Struct, frozen=True, kw_only=True):
    directory: str = "var/letters"
    """Print-queue directory, relative to the working directory unless absolute."""


def _component(value: str) -> str:
    """One safe path component: no separators, no leading dots (so never ``..``)."""
    return _UNSAFE.sub("_", value).lstrip(".") or "_"


def directory_sink(directory: str | Path) -> LetterSink:
    """A sink writing ``<directory>/<tenant>/<notice>.pdf``; the key is the relative path."""
    root = Path(directory)

    def write(message: OutgoingMessage, pdf: bytes) -> str:
        relative = Path(_component(message.tenant_id)) / f"{_component(message.notice_id)}.pdf"
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".part")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(pdf)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return relative.as_posix()

    async def sink(message: OutgoingMessage, pdf: bytes) -> str:
        return await asyncio.to_thread(write, message, pdf)

    return sink


class LetterChannel:
    """Turns the letter into a PDF and hands it to the sink."""

    def __init__(self, config: LetterConfig | None = None, *, sink: LetterSink | None = None) -> None:
        self.config = config or LetterConfig()
        self._sink = sink or directory_sink(self.config.directory)

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> LetterChannel:
        return cls(convert_config(config, LetterConfig))

    async def send(self, message: OutgoingMessage) -> DeliveryResult:
        pdf = next((a.content for a in message.attachments if a.mime == "application/pdf"), None)
        if pdf is None:
            if not message.html_body:
                return DeliveryResult.fail("letter has neither a PDF attachment nor HTML to render")
            from core.notices.letters import LetterRenderError, html_to_pdf

            try:
                pdf = await asyncio.to_thread(html_to_pdf, message.html_body)
            except LetterRenderError as exc:
                return DeliveryResult.fail(str(exc))
        try:
            key = await self._sink(message, pdf)
        except OSError as exc:
            return DeliveryResult.retry(f"cannot store letter: {exc}")
        return DeliveryResult.success(key, detail=f"{len(pdf)} bytes")
