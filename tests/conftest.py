"""Test harness: one backend per run, chosen by ``CASEDESK_TEST_BACKEND``.

* ``embedded`` (default): a fresh SQLite file and an embedded Redis in a temporary directory.
* ``services``: a fresh PostgreSQL database created for this run (dropped afterwards) on
  ``CASEDESK_TEST_PG_URL`` (default ``postgresql://postgres@127.0.0.1:5432/test``) and the Redis at
  ``CASEDESK_TEST_REDIS_URL`` (default ``redis://127.0.0.1:6379/0``), with every key under a
  per-run prefix that is deleted afterwards.

The environment is prepared before any casedesk module reads its settings, so the API, the
migrations (through ``core.piccolo_conf``) and the worker all see the same database. Each test
creates its own tenants, which is what keeps tests independent: everything is tenant-scoped.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import shutil
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

import pytest

BACKEND = os.environ.get("CASEDESK_TEST_BACKEND", "embedded")
RUN_ID = secrets.token_hex(4)
_TMP = Path(tempfile.mkdtemp(prefix="casedesk-test-"))
_PG_DB: str | None = None


def _setup_environment() -> None:
    global _PG_DB
    os.environ["CASEDESK_DATA_DIR"] = str(_TMP)
    os.environ["CASEDESK_PASSWORD_HASH_PROFILE"] = "fast"
    os.environ["CASEDESK_IN_PROCESS_WORKER"] = "false"
    # Notice tests run the relay themselves; jobs queued by every request would be drained
    # (letters rendered and all) by whichever test next runs a burst worker.
    os.environ["CASEDESK_NOTICE_ENQUEUE_ON_COMMIT"] = "false"
    os.environ["CASEDESK_QUEUE_NAME"] = f"casedesk-test-{RUN_ID}"
    os.environ["CASEDESK_SECRET_KEY"] = "test-secret-" + secrets.token_hex(16)
    os.environ["CASEDESK_LOG_LEVEL"] = "WARNING"
    os.environ["CASEDESK_PUBLIC_LOOKUP_RATE"] = "100000"
    os.environ["CASEDESK_LOGIN_RATE"] = "100000"
    if BACKEND == "embedded":
        os.environ.pop("CASEDESK_DATABASE_URL", None)
        os.environ.pop("CASEDESK_REDIS_URL", None)
    elif BACKEND == "services":
        base = os.environ.get("CASEDESK_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")
        _PG_DB = f"casedesk_test_{RUN_ID}"
        asyncio.run(_pg_admin(base, f'CREATE DATABASE "{_PG_DB}"'))
        os.environ["CASEDESK_DATABASE_URL"] = urlunparse(urlparse(base)._replace(path="/" + _PG_DB))
        os.environ["CASEDESK_REDIS_URL"] = os.environ.get("CASEDESK_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    else:
        raise pytest.UsageError(f"CASEDESK_TEST_BACKEND must be 'embedded' or 'services', not {BACKEND!r}")


async def _pg_admin(url: str, statement: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(url)
    try:
        await conn.execute(statement)
    finally:
        await conn.close()


_setup_environment()


def pytest_report_header(config: pytest.Config) -> str:
    return f"casedesk backend: {BACKEND} (run {RUN_ID})"


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if _PG_DB is not None:
        base = os.environ.get("CASEDESK_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")
        try:
            asyncio.run(_pg_admin(base, f'DROP DATABASE IF EXISTS "{_PG_DB}" WITH (FORCE)'))
        except Exception as exc:  # leave a trace, do not mask the test result
            print(f"warning: could not drop {_PG_DB}: {exc}")
        _flush_redis_prefix()
    shutil.rmtree(_TMP, ignore_errors=True)


def _redis_cron_keys(client: Any) -> set[bytes]:
    return {k for k in client.scan_iter("arq:*cron:*", count=1000)}


_CRON_KEYS_BEFORE: set[bytes] | None = None


def _flush_redis_prefix() -> None:
    """Delete what this run left in the shared Redis: keys under the run's prefix, arq job keys
    whose ids carry it (job ids include the queue name), and the arq cron keys that appeared
    during the run (arq names those by function and time only)."""
    import redis

    client = redis.Redis.from_url(os.environ["CASEDESK_REDIS_URL"])
    prefix = os.environ["CASEDESK_QUEUE_NAME"]
    keys = set(client.scan_iter(f"{prefix}*", count=1000))
    keys |= {k for k in client.scan_iter("arq:*", count=1000) if prefix.encode() in k}
    if _CRON_KEYS_BEFORE is not None:
        keys |= _redis_cron_keys(client) - _CRON_KEYS_BEFORE
    if keys:
        client.delete(*keys)
    client.close()


def pytest_sessionstart(session: pytest.Session) -> None:
    global _CRON_KEYS_BEFORE
    if BACKEND == "services":
        import redis

        client = redis.Redis.from_url(os.environ["CASEDESK_REDIS_URL"])
        _CRON_KEYS_BEFORE = _redis_cron_keys(client)
        client.close()


from harness import *  # noqa: E402, F403 - fixtures live in tests/harness.py
