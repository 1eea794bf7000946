"""No NUL characters in what clients send.

PostgreSQL text cannot hold U+0000 (the driver raises and the request would end in a 500);
SQLite stores it silently; in a name, a subject or a note it is never meant. So every request is
checked once, before its handler runs: a NUL in the path, in a query parameter or anywhere in a
JSON body (keys included) answers 422 naming the field, on both engines alike.

It is the app's ``before_request`` hook; litestar runs only the innermost one, so a controller
or handler that sets its own must call :func:`reject_nul` first.
"""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request

from core.errors import FieldError, Unprocessable

__all__ = ["reject_nul"]

_MESSAGE = "must not contain the NUL character (U+0000)"


def _nul_at(value: Any, path: str) -> str | None:
    """The dotted path of the first string (or key) in ``value`` that holds a NUL."""
    if isinstance(value, str):
        return (path or "body") if "\x00" in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            inner = f"{path}.{key}" if path else str(key)
            if "\x00" in str(key):
                return inner
            found = _nul_at(item, inner)
            if found:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = _nul_at(item, f"{path}[{index}]")
            if found:
                return found
    return None


def _refuse(field: str) -> Unprocessable:
    return Unprocessable(f"{field}: {_MESSAGE}", errors=[FieldError(field, _MESSAGE)])


async def reject_nul(request: Request) -> None:
    """``before_request`` hook of the app (see the module docstring)."""
    if "\x00" in request.url.path:
        raise _refuse("path")
    for key, value in request.query_params.multi_items():
        if "\x00" in key or "\x00" in value:
            raise _refuse(key.replace("\x00", "") or "query")
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        body = await request.body()
        if b"\\u0000" not in body:  # JSON can only carry a NUL escaped
            return
        try:
            data = msgspec.json.decode(body)
        except msgspec.DecodeError:
            return  # not JSON: the handler's own parsing answers 400
        field = _nul_at(data, "")
        if field is not None:
            raise _refuse(field.replace("\x00", "\\u0000"))
