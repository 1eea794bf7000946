"""``casedesk`` — the command line for operators.

casedesk migrate                      apply committed migrations
casedesk serve [--host] [--port] [--demo]
casedesk worker                       the arq worker (production: real Redis)
casedesk tenant create --slug S --name N --sector K [--timezone TZ] [--json]
casedesk demo [--json]                one demo tenant per sector (idempotent)
casedesk plugins [--json]             installed sector plugins
casedesk calendar import --tenant SLUG FILE.json [--json]
                                      a year's official holiday schedule (provisional
                                      deadlines are recomputed)
"""

from __future__ import annotations

import asyncio
import json
import sys
from typing import Annotated

import typer

from core.cli_calendar import calendar_app
from core.clock import SystemClock
from core.settings import get_settings

app = typer.Typer(help="casedesk: complaints and petitions case service.", no_args_is_help=True, add_completion=False)
tenant_app = typer.Typer(help="Manage tenants (platform operators).", no_args_is_help=True)
app.add_typer(tenant_app, name="tenant")
app.add_typer(calendar_app, name="calendar")


def _run(coro):
    return asyncio.run(coro)


async def _with_db(coro_fn):
    from core.db import bind_engine, close_engine, prepare_engine

    engine = bind_engine(get_settings())
    await prepare_engine(engine)
    try:
        return await coro_fn()
    finally:
        await close_engine(engine)


@app.command()
def migrate() -> None:
    """Apply every committed migration that has not run yet."""
    from core.db import run_migrations

    _run(run_migrations())
    typer.echo("migrations: up to date")


@tenant_app.command("create")
def tenant_create(
    slug: Annotated[str, typer.Option(help="URL-safe short name, e.g. city-petition")],
    name: Annotated[str, typer.Option(help="Display name")],
    sector: Annotated[list[str], typer.Option(help="Sector plugin key; repeat for several")],
    timezone: Annotated[str, typer.Option(help="IANA timezone")] = "Asia/Shanghai",
    locale: Annotated[str, typer.Option(help="zh-CN or en")] = "zh-CN",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """Create a tenant with a tenant-admin API key (printed once)."""
    from tenants.onboarding import OnboardingError, create_tenant

    known = _known_sectors()
    unknown = [s for s in sector if known and s not in known]
    if unknown:
        typer.echo(f"error: unknown sector {unknown[0]!r}; installed: {', '.join(sorted(known))}", err=True)
        raise typer.Exit(2)
    try:
        created = _run(
            _with_db(
                lambda: create_tenant(
                    slug=slug, name=name, sectors=sector, timezone=timezone, locale=locale, now=SystemClock().now()
                )
            )
        )
    except OnboardingError as exc:
        typer.echo(f"error: {exc.field}: {exc.message}", err=True)
        raise typer.Exit(2) from None
    payload = {"tenant_id": str(created.tenant_id), "slug": created.slug, "api_key": created.api_key}
    if as_json:
        typer.echo(json.dumps(payload))
    else:
        typer.echo(f"tenant {created.slug} ({created.tenant_id})\nadmin API key (shown once): {created.api_key}")


def _known_sectors() -> set[str]:
    try:
        from core.plugins import get_plugin_manager, sector_keys
    except ImportError:
        return set()
    return set(sector_keys(get_plugin_manager()))


@app.command()
def demo(as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False) -> None:
    """Create (idempotently) one demo tenant per sector and print their credentials.

    Applies pending migrations first: the demo is for a fresh laptop database."""
    from core.db import run_migrations

    _run(run_migrations())
    tenants = _run(_with_db(_seed_demo))
    if as_json:
        from tenants.demo import demo_summary

        typer.echo(json.dumps(demo_summary(tenants), ensure_ascii=False))
        return
    _print_demo(tenants)


async def _seed_demo():
    from tenants.demo import seed_demo

    return await seed_demo(get_settings(), SystemClock())


def _print_demo(tenants: list) -> None:
    settings = get_settings()
    typer.echo("\nDemo tenants (password for every demo user: see below)")
    for t in tenants:
        typer.echo(f"\n  {t.name} [{t.slug}] sector={t.sector}")
        typer.echo(f"    admin API key : {t.api_key}")
        for user in t.users:
            typer.echo(f"    user          : {user}  password: {t.password}")
        typer.echo(f"    cases         : {t.cases}")
        for note in t.skipped:
            typer.echo(f"    skipped sample: {note}")
    typer.echo(f"\nPortal: {settings.base_url}/track   API docs: {settings.base_url}/schema")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Bind address")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port")] = 8000,
    demo_data: Annotated[bool, typer.Option("--demo", help="Seed the demo tenants first")] = False,
) -> None:
    """Run the API and pages (and, with the embedded Redis, the worker too)."""
    import os

    import uvicorn

    from core.app import create_app
    from core.db import run_migrations

    if port != 8000 and "CASEDESK_BASE_URL" not in os.environ:
        os.environ["CASEDESK_BASE_URL"] = f"http://{host}:{port}"
        get_settings.cache_clear()
    settings = get_settings()
    _run(run_migrations())
    if demo_data:
        _print_demo(_run(_with_db(_seed_demo)))
    mode = "embedded SQLite + Redis" if settings.embedded_redis and settings.is_sqlite else "configured services"
    typer.echo(f"\ncasedesk ({mode}) listening on http://{host}:{port}  (Ctrl+C to stop)\n", err=False)
    sys.stdout.flush()
    uvicorn.run(create_app(settings), host=host, port=port, log_level=settings.log_level.lower())


@app.command()
def worker() -> None:
    """Run the arq worker and its cron jobs (needs CASEDESK_REDIS_URL)."""
    from core.db import bind_engine
    from core.redis_runtime import start_redis
    from workers.settings import build_worker

    settings = get_settings()
    if settings.embedded_redis:
        typer.echo("note: no CASEDESK_REDIS_URL: using the embedded Redis in DATA_DIR", err=True)
    bind_engine(settings)
    runtime = start_redis(settings)
    w = build_worker(settings, runtime.arq_settings(), handle_signals=True)
    try:
        w.run()
    finally:
        runtime.close()


@app.command()
def plugins(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON, with each config's JSON Schema")] = False,
) -> None:
    """List installed sector plugins: distribution, version, sectors, hooks implemented."""
    from core.plugins import get_plugin_manager, list_plugins

    infos = list_plugins(get_plugin_manager())
    if as_json:
        typer.echo(json.dumps(infos, ensure_ascii=False, indent=2, default=str))
        return
    rows = [("PLUGIN", "DISTRIBUTION", "VERSION", "SECTORS (zh-CN / en)", "HOOKS (casedesk_*)")]
    for info in infos:
        sectors = "; ".join(f"{s['key']} {s['names']['zh-CN']} / {s['names']['en']}" for s in info["sectors"])
        hooks = ", ".join(h.removeprefix("casedesk_") for h in info["hooks"])
        if info["error"]:
            hooks = f"FAILED TO LOAD: {info['error']}"
        rows.append((info["name"], info["distribution"] or "-", info["version"] or "-", sectors or "-", hooks))
    for row in _aligned(rows):
        typer.echo(row)
    broken = sum(1 for i in infos if i["error"])
    typer.echo(f"\n{len(infos)} plugin(s){f', {broken} failed to load' if broken else ''}; --json adds config schemas.")


def _aligned(rows: list[tuple[str, ...]]) -> list[str]:
    """Columns padded to their widest cell, counting CJK characters as two columns."""
    import unicodedata

    def width(text: str) -> int:
        return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)

    widths = [max(width(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    return [
        "  ".join(cell + " " * (w - width(cell)) for cell, w in zip(row, widths, strict=False)) + "  " + row[-1]
        for row in rows
    ]


def main() -> None:
    from core.logging import configure_logging

    # Before any command runs: `demo` and `tenant create` log through structlog too, and an
    # unconfigured structlog prints every level.
    configure_logging(get_settings().log_level)
    app()


if __name__ == "__main__":
    main()
