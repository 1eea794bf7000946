"""Background jobs. Each is idempotent: arq may run a job more than once."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from core.maintenance import purge_idempotency_keys

__all__ = ["purge_expired_idempotency_keys"]


async def purge_expired_idempotency_keys(ctx: dict[str, Any]) -> int:
    """Forget Idempotency-Keys older than the configured window (and the sealed PINs with them)."""
    settings = ctx["settings"]
    now = ctx["clock"].now()
    return await purge_idempotency_keys(before=now - timedelta(hours=settings.idempotency_ttl_hours))
