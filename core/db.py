"""Database engines, transactions and migrations.

Piccolo finds its engine through ``PICCOLO_CONF``; casedesk points that at
``core.piccolo_conf``, which builds the engine from :class:`core.settings.Settings`, so the
API, the worker and ``casedesk migrate`` always talk to the same database.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from urllib.parse import urlparse

from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine, TransactionType

from core.settings import Settings

__all__ = ["as_utc", "bind_engine", "get_engine", "make_engine", "run_migrations", "transaction"]

os.environ.setdefault("PICCOLO_CONF", "core.piccolo_conf")


def as_utc(value: datetime) -> datetime:
    """A stored timestamp as an aware UTC datetime: SQLite hands back naive UTC values,
    PostgreSQL aware ones."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def make_engine(settings: Settings) -> Engine:
    url = settings.effective_database_url
    if url.startswith("sqlite"):
        path = urlparse(url).path if url.startswith("sqlite:////") else url.removeprefix("sqlite:///")
        if path and os.path.dirname(path):
            os.makedirs(os.path.dirname(path), exist_ok=True)
        # A generous busy timeout: writers queue up behind an IMMEDIATE transaction instead of
        # failing with "database is locked".
        return SQLiteEngine(path=path, timeout=30)
    if url.startswith(("postgres://", "postgresql://")):
        return PostgresEngine(config={"dsn": url})
    raise ValueError(f"CASEDESK_DATABASE_URL must be sqlite:/// or postgresql://, got {url!r}")


def bind_engine(settings: Settings) -> Engine:
    """Point every casedesk table at one engine built from ``settings`` (the app and the worker
    call this, so a process never depends on import order to find its database)."""
    from core.tables import ALL_TABLES

    engine = make_engine(settings)
    for table in ALL_TABLES:
        table._meta.db = engine
    return engine


def get_engine() -> Engine:
    """The engine every table uses (resolved through ``core.piccolo_conf``)."""
    from core.tables import Tenant

    return Tenant._meta.db


@asynccontextmanager
async def transaction() -> AsyncIterator[None]:
    """A write transaction. On SQLite it is IMMEDIATE: the write lock is taken up front, so two
    concurrent writers queue instead of deadlocking on a lock upgrade. Nested use joins the outer
    transaction (piccolo keeps the current one in a contextvar)."""
    engine = get_engine()
    if engine.current_transaction.get() is not None:
        yield
        return
    if isinstance(engine, SQLiteEngine):
        async with engine.transaction(transaction_type=TransactionType.immediate):
            yield
    else:
        async with engine.transaction():
            yield


async def prepare_engine(engine: Engine) -> None:
    if isinstance(engine, SQLiteEngine):
        # WAL lets readers run while one writer commits; the setting persists in the file.
        await engine.run_ddl("PRAGMA journal_mode=WAL;")
    elif isinstance(engine, PostgresEngine):
        await engine.start_connection_pool(min_size=1, max_size=10)


async def close_engine(engine: Engine) -> None:
    if isinstance(engine, PostgresEngine):
        await engine.close_connection_pool()


async def run_migrations() -> None:
    """Apply every committed migration that has not run yet (idempotent)."""
    import contextlib
    import sys

    from piccolo.apps.migrations.commands.forwards import run_forwards

    # piccolo reports progress with print(): keep it off stdout, where commands print JSON.
    with contextlib.redirect_stdout(sys.stderr):
        result = await run_forwards(app_name="all")
    if not result.success:
        raise RuntimeError(f"migrations failed: {result.message}")
