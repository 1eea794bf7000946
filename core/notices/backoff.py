"""When to try a failed delivery again.

Exponential backoff with *full jitter* (AWS Architecture Blog, "Exponential Backoff And
Jitter"): the delay is drawn uniformly from ``[0, min(cap, base * 2**(attempt-1))]``. The
jitter matters here because failures are correlated — an SMS gateway outage fails hundreds of
notices in the same second, and without jitter they would all retry in the same second too.
"""

from __future__ import annotations

import random

__all__ = ["next_attempt_delay"]

_MAX_EXPONENT = 62  # 2**62 * any sane base is far past any cap; avoids float overflow


def next_attempt_delay(
    attempt: int,
    base: float = 30.0,
    cap: float = 6 * 3600.0,
    rng: random.Random | None = None,
    *,
    at_least: float | None = None,
) -> float:
    """Seconds to wait before the next attempt.

    :param attempt: failed attempts so far (1 after the first failure).
    :param base: ceiling of the first delay, in seconds.
    :param cap: largest ceiling, however many attempts failed.
    :param rng: source of randomness; pass a seeded ``random.Random`` for reproducible tests.
    :param at_least: a floor the provider asked for (``Retry-After``); still capped by ``cap``.
    """
    if attempt < 1:
        raise ValueError("attempt counts failures and starts at 1")
    if base <= 0 or cap <= 0:
        raise ValueError("base and cap must be positive")
    ceiling = min(cap, base * 2.0 ** min(attempt - 1, _MAX_EXPONENT))
    delay = (rng or random).uniform(0.0, ceiling)
    if at_least is not None:
        delay = max(delay, min(at_least, cap))
    return delay
