"""HTTP delivery shared by the SMS and webhook channels: one POST, one classification.

Both channels must answer the same question — may a later attempt succeed? — and answering
it in two places is how they would drift apart:

* 2xx: delivered.
* 408, 425, 429: retry (the request timed out, came too early or hit a rate limit; the same
  request can succeed later). ``Retry-After`` is passed on to the worker.
* any other 4xx: permanent (bad credentials, bad number, unknown endpoint: retrying the same
  request cannot fix it).
* 3xx: permanent. Redirects are not followed on purpose: a signed webhook or a credentialed
  SMS request must not be replayed to wherever a ``Location`` header points.
* 5xx, timeouts, refused or dropped connections: retry.
"""

from __future__ import annotations

import email.utils
from datetime import UTC, datetime

import httpx

from core.notices.channels.base import DeliveryResult

__all__ = ["RETRYABLE_4XX", "classify_response", "post"]

RETRYABLE_4XX = frozenset({408, 425, 429})
_DETAIL_LIMIT = 500


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def classify_response(response: httpx.Response, *, provider_id: str | None = None) -> DeliveryResult:
    """Turn a provider's HTTP answer into a :class:`DeliveryResult` (rules in the module doc)."""
    status = response.status_code
    detail = response.text[:_DETAIL_LIMIT] if response.content else None
    if 200 <= status < 300:
        return DeliveryResult.success(provider_id, detail=detail)
    error = f"HTTP {status} {response.reason_phrase}".strip()
    if status in RETRYABLE_4XX or status >= 500:
        return DeliveryResult.retry(error, retry_after=_retry_after(response), detail=detail)
    return DeliveryResult.fail(error, detail=detail)


async def post(
    url: str,
    *,
    content: bytes,
    headers: dict[str, str],
    request_timeout: float,
    client: httpx.AsyncClient | None = None,
) -> httpx.Response | DeliveryResult:
    """POST ``content``; return the response, or a retryable/permanent result on transport errors.

    A caller-supplied ``client`` (connection pooling in a long-running worker) is used as is;
    otherwise a short-lived client is opened for this one request.
    """
    try:
        if client is not None:
            return await client.post(url, content=content, headers=headers, timeout=request_timeout)
        async with httpx.AsyncClient(follow_redirects=False) as own:
            return await own.post(url, content=content, headers=headers, timeout=request_timeout)
    except httpx.TimeoutException as exc:
        return DeliveryResult.retry(f"timeout: {type(exc).__name__}")
    except httpx.UnsupportedProtocol as exc:
        return DeliveryResult.fail(f"unsupported URL: {exc}")
    except httpx.InvalidURL as exc:
        return DeliveryResult.fail(f"invalid URL: {exc}")
    except httpx.TransportError as exc:
        return DeliveryResult.retry(f"transport error: {type(exc).__name__}: {exc}")
