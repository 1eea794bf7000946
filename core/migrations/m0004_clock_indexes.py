"""Indexes of the deadline tables: the scan's index ranges and the per-tenant dashboards.

A separate migration because piccolo runs a migration's raw SQL before its ``add_table`` steps.
Raw SQL valid on both SQLite and PostgreSQL (partial indexes included).

* ``ix_escalations_scan`` — the cron's ``state = 'pending' AND fire_at <= now`` range.
* ``ix_case_clocks_scan`` — running clocks whose passing of ``due_at`` is not yet noted; the
  ``overdue_at IS NULL`` predicate is a literal, so PostgreSQL can use the partial index for a
  parameterised query too.
* ``uq_escalations_clock_level`` / ``uq_escalations_trigger`` — one row per ladder level of a
  clock and one firing per trigger and case, as a backstop for the locking in ``core``.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from core.migration_helpers import raw_index_migration

ID = "2026-11-23T11:15:36:000000"
VERSION = "1.38.0"
DESCRIPTION = "clock and escalation indexes"

STATEMENTS = [
    "CREATE INDEX IF NOT EXISTS ix_case_clocks_tenant_case ON case_clocks (tenant_id, case_id)",
    "CREATE INDEX IF NOT EXISTS ix_case_clocks_scan ON case_clocks (state, due_at) WHERE overdue_at IS NULL",
    "CREATE INDEX IF NOT EXISTS ix_case_clocks_tenant_state_due ON case_clocks (tenant_id, state, due_at)",
    "CREATE INDEX IF NOT EXISTS ix_case_clocks_tenant_state_warn ON case_clocks (tenant_id, state, warn_at)",
    "CREATE INDEX IF NOT EXISTS ix_case_clocks_tenant_provisional ON case_clocks (tenant_id, provisional, state)",
    "CREATE INDEX IF NOT EXISTS ix_escalations_scan ON escalations (state, fire_at)",
    "CREATE INDEX IF NOT EXISTS ix_escalations_tenant_case ON escalations (tenant_id, case_id)",
    "CREATE UNIQUE INDEX IF NOT EXISTS uq_escalations_clock_level ON escalations (clock_id, level)",
    "CREATE UNIQUE INDEX IF NOT EXISTS uq_escalations_trigger ON escalations (case_id, rule_key) "
    "WHERE source = 'trigger'",
    "CREATE INDEX IF NOT EXISTS ix_tenant_events_tenant_at ON tenant_events (tenant_id, at)",
]


async def forwards() -> MigrationManager:
    return raw_index_migration(ID, DESCRIPTION, STATEMENTS)
