"""Indexes of ``tenant_positions``: a user holds a position once per tenant; lookups by code.

Raw SQL valid on both SQLite and PostgreSQL.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from core.migration_helpers import raw_index_migration

ID = "2026-11-23T12:50:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "position indexes"

STATEMENTS = [
    "CREATE UNIQUE INDEX IF NOT EXISTS uq_tenant_positions_code_user ON tenant_positions (tenant_id, code, user_id)",
]


async def forwards() -> MigrationManager:
    return raw_index_migration(ID, DESCRIPTION, STATEMENTS)
