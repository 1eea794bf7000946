"""A fixed-window limiter in Redis, shared by every API process (per-process memory would let a
client multiply its allowance by the number of processes)."""

from __future__ import annotations

from litestar import Request

from core.errors import TooManyRequests

__all__ = ["enforce_rate_limit"]


async def enforce_rate_limit(request: Request, bucket: str, limit: int, window_seconds: int = 60) -> None:
    redis = request.app.state.redis
    client = request.client.host if request.client else "unknown"
    now = request.app.state.clock.now()
    window = int(now.timestamp()) // window_seconds
    key = f"{request.app.state.settings.queue_name}:rl:{bucket}:{client}:{window}"
    count = await redis.incr(key)
    if count == 1:
        await redis.expire(key, window_seconds * 2)
    if count > limit:
        raise TooManyRequests(
            f"at most {limit} requests per {window_seconds} s; try again shortly",
            retry_after=window_seconds - int(now.timestamp()) % window_seconds,
        )
