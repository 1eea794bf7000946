"""Composite indexes led by tenant_id, and the uniqueness rules piccolo columns cannot express.

Raw SQL that is valid on both SQLite and PostgreSQL.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from core.migration_helpers import raw_index_migration

ID = "2026-11-23T11:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "tenant-leading composite indexes"

STATEMENTS = [
    "CREATE UNIQUE INDEX IF NOT EXISTS uq_departments_tenant_code ON departments (tenant_id, code)",
    "CREATE UNIQUE INDEX IF NOT EXISTS uq_users_tenant_username ON users (tenant_id, username)",
    "CREATE UNIQUE INDEX IF NOT EXISTS uq_cases_tenant_number ON cases (tenant_id, number)",
    "CREATE UNIQUE INDEX IF NOT EXISTS uq_cases_tenant_tracking ON cases (tenant_id, tracking_code)",
    "CREATE INDEX IF NOT EXISTS ix_cases_tenant_status_created ON cases (tenant_id, status, created_at)",
    "CREATE INDEX IF NOT EXISTS ix_cases_tenant_created ON cases (tenant_id, created_at, id)",
    "CREATE INDEX IF NOT EXISTS ix_cases_tenant_lead ON cases (tenant_id, lead_department_id)",
    "CREATE UNIQUE INDEX IF NOT EXISTS uq_case_events_case_seq ON case_events (case_id, seq)",
    "CREATE INDEX IF NOT EXISTS ix_case_events_tenant_case ON case_events (tenant_id, case_id, seq)",
    "CREATE UNIQUE INDEX IF NOT EXISTS uq_case_departments ON case_departments (case_id, department_id)",
    "CREATE INDEX IF NOT EXISTS ix_case_departments_tenant_dept ON case_departments (tenant_id, department_id)",
    "CREATE UNIQUE INDEX IF NOT EXISTS uq_idempotency_tenant_key ON idempotency_keys (tenant_id, key)",
    "CREATE UNIQUE INDEX IF NOT EXISTS uq_counters_tenant_name ON counters (tenant_id, name)",
    "CREATE UNIQUE INDEX IF NOT EXISTS uq_tenant_plugins ON tenant_plugins (tenant_id, plugin_key)",
]


async def forwards() -> MigrationManager:
    return raw_index_migration(ID, DESCRIPTION, STATEMENTS)
