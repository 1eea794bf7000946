"""Shared mechanics of the hand-written migrations (kept outside ``core/migrations/``, where
piccolo would load every module as a migration)."""

from __future__ import annotations

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

__all__ = ["raw_index_migration"]


def raw_index_migration(migration_id: str, description: str, statements: list[str]) -> MigrationManager:
    """A migration that runs ``CREATE [UNIQUE] INDEX IF NOT EXISTS name ON …`` statements (valid on
    SQLite and PostgreSQL) and drops those indexes again when rolled back.

    Indexes live in their own migration after the one that adds the tables, because piccolo runs a
    migration's raw SQL before its ``add_table`` steps."""
    manager = MigrationManager(migration_id=migration_id, app_name="casedesk", description=description)

    async def run() -> None:
        from core.tables import Tenant

        for statement in statements:
            await Tenant.raw(statement)

    async def run_backwards() -> None:
        from core.tables import Tenant

        for statement in statements:
            name = statement.split(" IF NOT EXISTS ")[1].split(" ON ")[0]
            await Tenant.raw(f"DROP INDEX IF EXISTS {name}")

    manager.add_raw(run)
    manager.add_raw_backwards(run_backwards)
    return manager
