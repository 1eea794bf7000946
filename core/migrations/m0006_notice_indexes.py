"""Indexes of the notice tables: the relay's index range, per-tenant listings, uniqueness.

Raw SQL valid on both SQLite and PostgreSQL.

* ``ix_notices_relay`` — the relay's ``state = 'pending' AND next_attempt_at <= now`` range; the
  same index serves the stale-lease sweep (``state = 'sending'``) and the queue health counts.
* ``uq_notices_dedupe`` — R7 and friends: a dedupe key is used once per tenant (NULLs, the
  usual case, never collide on either engine).
* ``uq_notice_letters_notice`` / ``uq_in_app_messages_notice`` — one PDF and one inbox entry
  per notice, the backstop that makes a re-run delivery harmless.
* ``uq_notice_templates_key`` / ``uq_channel_configs_channel`` — one override per key, one
  config per channel, per tenant.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from core.migration_helpers import raw_index_migration

ID = "2026-11-23T11:32:39:000000"
VERSION = "1.38.0"
DESCRIPTION = "notice indexes"

STATEMENTS = [
    "CREATE INDEX IF NOT EXISTS ix_notices_relay ON notices (state, next_attempt_at)",
    "CREATE INDEX IF NOT EXISTS ix_notices_tenant_created ON notices (tenant_id, created_at, id)",
    "CREATE INDEX IF NOT EXISTS ix_notices_tenant_state_created ON notices (tenant_id, state, created_at)",
    "CREATE INDEX IF NOT EXISTS ix_notices_tenant_case ON notices (tenant_id, case_id)",
    "CREATE UNIQUE INDEX IF NOT EXISTS uq_notices_dedupe ON notices (tenant_id, dedupe_key)",
    "CREATE UNIQUE INDEX IF NOT EXISTS uq_notice_letters_notice ON notice_letters (notice_id)",
    "CREATE UNIQUE INDEX IF NOT EXISTS uq_in_app_messages_notice ON in_app_messages (notice_id)",
    "CREATE INDEX IF NOT EXISTS ix_in_app_messages_user ON in_app_messages (tenant_id, user_id, created_at)",
    "CREATE INDEX IF NOT EXISTS ix_in_app_messages_case ON in_app_messages (tenant_id, case_id)",
    "CREATE UNIQUE INDEX IF NOT EXISTS uq_notice_templates_key ON notice_templates (tenant_id, key)",
    "CREATE UNIQUE INDEX IF NOT EXISTS uq_channel_configs_channel ON channel_configs (tenant_id, channel)",
]


async def forwards() -> MigrationManager:
    return raw_index_migration(ID, DESCRIPTION, STATEMENTS)
