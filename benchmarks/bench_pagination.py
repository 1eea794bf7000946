"""Keyset (cursor) pagination of the case list against the baseline of LIMIT/OFFSET.

    python benchmarks/bench_pagination.py [--cases 20000] [--depth 15000] [--page 50]
    python benchmarks/bench_pagination.py --pg postgresql://postgres@127.0.0.1:5432/test

Runs on a throw-away database: a SQLite file in a temporary directory, or with ``--pg`` a fresh
PostgreSQL database created next to the one named (and dropped afterwards). Fills one tenant
with ``--cases`` cases, times fetching one page ``--depth`` rows deep both ways, side by side,
and prints the ratio.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from urllib.parse import urlparse, urlunparse

_PG_BASE = sys.argv[sys.argv.index("--pg") + 1] if "--pg" in sys.argv else None
_PG_DB = f"casedesk_bench_{uuid.uuid4().hex[:8]}"
os.environ["CASEDESK_DATA_DIR"] = tempfile.mkdtemp(prefix="casedesk-bench-")
if _PG_BASE:
    os.environ["CASEDESK_DATABASE_URL"] = urlunparse(urlparse(_PG_BASE)._replace(path="/" + _PG_DB))
else:
    os.environ.pop("CASEDESK_DATABASE_URL", None)


async def _pg_admin(statement: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(_PG_BASE)
    try:
        await conn.execute(statement)
    finally:
        await conn.close()


from core.case_queries import CaseFilters, encode_cursor, list_cases  # noqa: E402
from core.db import bind_engine, close_engine, prepare_engine, run_migrations  # noqa: E402
from core.settings import get_settings  # noqa: E402
from core.tables import Case, Tenant  # noqa: E402
from tenants.onboarding import create_tenant  # noqa: E402
from tenants.scope import TenantScope  # noqa: E402


async def _fill(scope: TenantScope, n: int, start: datetime) -> None:
    batch = []
    for i in range(n):
        at = start + timedelta(seconds=i)
        batch.append(
            {
                "number": i + 1,
                "tracking_code": f"B{i:07d}",
                "pin_hash": "x",
                "sector": "gov_petition",
                "category": "urban",
                "channel": "web",
                "subject": f"事项{i}",
                "description": "基准测试",
                "received_at": at,
                "created_at": at,
                "updated_at": at,
                "search_text": f"事项{i}",
            }
        )
        if len(batch) == 1000:
            await scope.insert_many(Case, batch)
            batch = []
    await scope.insert_many(Case, batch)


async def _median(fn, rounds: int = 15) -> float:
    samples = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        await fn()
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples)


async def main(cases: int, depth: int, page: int) -> None:
    if _PG_BASE:
        await _pg_admin(f'CREATE DATABASE "{_PG_DB}"')
    try:
        await _run(cases, depth, page)
    finally:
        if _PG_BASE:
            await _pg_admin(f'DROP DATABASE IF EXISTS "{_PG_DB}" WITH (FORCE)')


async def _run(cases: int, depth: int, page: int) -> None:
    settings = get_settings()
    engine = bind_engine(settings)
    await run_migrations()
    await prepare_engine(engine)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    created = await create_tenant(
        slug=f"bench-{uuid.uuid4().hex[:8]}", name="bench", sectors=["gov_petition"], now=start
    )
    scope = TenantScope(created.tenant_id)
    try:
        await _fill(scope, cases, start)
        # The cursor a client holds after reading `depth` rows (newest first).
        row = (
            await scope.select(Case, Case.created_at, Case.id)
            .order_by(Case.created_at, Case.id, ascending=False)
            .offset(depth - 1)
            .limit(1)
            .first()
        )
        cursor = encode_cursor(row["created_at"], row["id"])

        async def keyset() -> None:
            rows, _ = await list_cases(scope, CaseFilters(), cursor=cursor, limit=page)
            assert len(rows) == page

        async def offset() -> None:
            rows = (
                await scope.select(Case).order_by(Case.created_at, Case.id, ascending=False).offset(depth).limit(page)
            )
            assert len(rows) == page

        ours, base = await _median(keyset), await _median(offset)
        print(
            f"database: {'sqlite' if settings.is_sqlite else 'postgresql'}  "
            f"cases: {cases}  depth: {depth}  page: {page}"
        )
        print(f"{'baseline: LIMIT/OFFSET':<28}{base * 1e3:>10.2f} ms")
        print(f"{'casedesk: keyset cursor':<28}{ours * 1e3:>10.2f} ms")
        print(f"ratio baseline/casedesk: {base / ours:.1f}x")
    finally:
        await Tenant.delete().where(Tenant.id == created.tenant_id)
        await close_engine(engine)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=20000)
    parser.add_argument("--depth", type=int, default=15000)
    parser.add_argument("--page", type=int, default=50)
    parser.add_argument("--pg", help="a PostgreSQL URL; a scratch database is created beside it")
    a = parser.parse_args()
    asyncio.run(main(a.cases, a.depth, a.page))
