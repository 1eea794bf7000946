"""Previewing a tenant's draft template under a time limit, in a child process.

The sandbox refuses attribute walks and huge ``*``/``**`` results, but not loops: nested
``range(100000)`` loops are legal jinja and would burn a CPU for hours. A thread cannot be
stopped, so the draft renders in a separate interpreter (``python -m core.notice_preview``,
JSON in on stdin, JSON out on stdout) that is killed when the limit passes, and that caps its
own CPU time with ``RLIMIT_CPU`` in case nobody is left to kill it. A fresh interpreter costs
about 0.2 s — fine for an editor's preview button, and it forks nothing from the API process.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import resource
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["PreviewFailed", "PreviewTimeout", "preview_limited"]

_ROOT = Path(__file__).resolve().parents[1]
_AT_ONCE = asyncio.Semaphore(4)  # per process: previews are for an editor, not a CPU pool


class PreviewTimeout(Exception):
    """The draft did not finish rendering within the limit."""


@dataclass
class PreviewFailed(Exception):
    """The draft does not render; ``line`` points into it when known."""

    message: str
    line: int | None = None
    template: str | None = None


async def preview_limited(
    key: str, source: str, *, locale: str | None = None, sector: str = "default", limit: float = 3.0
) -> dict[str, Any]:
    """``{"subject", "text", "html"}`` of ``source`` rendered with sample data for ``key``;
    raises :class:`PreviewTimeout` or :class:`PreviewFailed`."""
    async with _AT_ONCE:
        return await _preview(key, source, locale=locale, sector=sector, limit=limit)


async def _preview(key: str, source: str, *, locale: str | None, sector: str, limit: float) -> dict[str, Any]:
    request = json.dumps({"key": key, "source": source, "locale": locale, "sector": sector, "cpu": int(limit) + 1})
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "core.notice_preview",
        cwd=_ROOT,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        async with asyncio.timeout(limit + 1.0):  # + interpreter start-up
            out, _ = await child.communicate(request.encode())
    except TimeoutError:
        raise PreviewTimeout from None
    finally:
        if child.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                child.kill()
            await child.wait()
    try:
        answer = json.loads(out or b"null")
    except ValueError:
        answer = None
    if not isinstance(answer, dict):  # killed by its CPU limit, or out of memory
        raise PreviewTimeout
    if answer.get("ok"):
        return answer["parts"]
    raise PreviewFailed(answer.get("message") or "cannot render", answer.get("line"), answer.get("template"))


def _child() -> None:
    """Render the request on stdin and print the answer (runs in the child interpreter)."""
    request = json.loads(sys.stdin.read())
    cpu = int(request.get("cpu") or 4)
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    from core.notices import NoticeTemplateError, preview

    try:
        rendered = preview(request["key"], request["source"], request.get("locale"), sector=request["sector"])
        answer: dict[str, Any] = {
            "ok": True,
            "parts": {"subject": rendered.subject, "text": rendered.text, "html": rendered.html},
        }
    except NoticeTemplateError as exc:
        answer = {"ok": False, "message": exc.message, "line": exc.line, "template": exc.template}
    except Exception as exc:  # a bad key or context: reported like a template error
        answer = {"ok": False, "message": f"{type(exc).__name__}: {exc}", "line": None, "template": None}
    sys.stdout.write(json.dumps(answer))


if __name__ == "__main__":
    _child()
