"""``casedesk calendar …`` — business-calendar chores for platform operators.

    casedesk calendar import --tenant SLUG FILE.json    import a year's official schedule

The file has the shape ``POST /api/v1/tenant/calendar/years`` takes (``{"year": 2027,
"holidays": [...], "workdays": [...], "source": "..."}``). Every problem is printed with its
field; nothing changes unless the whole file is valid. Clocks whose due dates were provisional
are recomputed in the same transaction, each change logged on its case.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Annotated, Any

import typer

from core.clock import SystemClock
from core.settings import get_settings

__all__ = ["calendar_app"]

calendar_app = typer.Typer(help="Business calendars: import official year schedules.", no_args_is_help=True)


async def _import(slug: str, raw: Any) -> dict[str, Any]:
    from core.db import bind_engine, close_engine, prepare_engine
    from core.tables import Tenant
    from core.tenant_calendar import import_year

    engine = bind_engine(get_settings())
    await prepare_engine(engine)
    try:
        tenant = await Tenant.select(Tenant.id).where(Tenant.slug == slug).first()
        if tenant is None:
            raise LookupError(slug)
        return await import_year(tenant["id"], raw, actor=None, now=SystemClock().now())
    finally:
        await close_engine(engine)


@calendar_app.command("import")
def import_command(
    tenant: Annotated[str, typer.Option(help="The tenant's slug")],
    file: Annotated[Path, typer.Argument(help="Year schedule JSON", exists=True, dir_okay=False, readable=True)],
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON")] = False,
) -> None:
    """Import a year's official holiday schedule for one tenant."""
    from core.calendar import CalendarError

    try:
        raw = json.loads(file.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        typer.echo(f"error: {file}: not valid JSON ({exc})", err=True)
        raise typer.Exit(2) from None
    try:
        result = asyncio.run(_import(tenant, raw))
    except LookupError:
        typer.echo(f"error: no tenant with slug {tenant!r}", err=True)
        raise typer.Exit(2) from None
    except CalendarError as exc:
        for problem in exc.problems:
            typer.echo(f"error: {problem['field'] or '<file>'}: {problem['message']}", err=True)
        raise typer.Exit(2) from None
    if as_json:
        typer.echo(json.dumps(result))
    else:
        typer.echo(
            f"{tenant}: {result['year']} imported ({result['previous_status']} → {result['status']}), "
            f"calendar version {result['version']}, {result['recomputed_clocks']} clock(s) recomputed"
        )
