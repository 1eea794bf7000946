"""Every table of casedesk, in one place (piccolo's convention).

Design notes that explain the shapes below:

* Every tenant-owned table carries ``tenant_id`` and is reached only through
  ``tenants.scope.TenantScope`` (a test walks the code to keep it that way).
* Primary keys are UUIDs: nothing enumerable leaks through URLs, and rows can move between
  databases (a sharded Postgres keyed by tenant) without renumbering. Piccolo has no composite
  primary keys, so ``tenant_id`` leads every composite index instead (migration 0002).
* Complainant personal data lives in ``Person``, apart from the case, so it can be masked,
  withheld from the accused's department and erased at retention expiry.
* ``CaseEvent`` is append-only: the case row is never changed without an event in the same
  transaction.
* Table names are plural: ``case`` and ``user`` are reserved words in SQL.
"""

from __future__ import annotations

from piccolo.columns import (
    JSON,
    UUID,
    Boolean,
    ForeignKey,
    Integer,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.base import OnDelete
from piccolo.table import Table

__all__ = [
    "TENANT_OWNED_TABLES",
    "ApiKey",
    "Case",
    "CaseDepartment",
    "CaseEvent",
    "Counter",
    "Department",
    "IdempotencyKey",
    "Person",
    "Tenant",
    "TenantPlugin",
    "User",
]


class Tenant(Table, tablename="tenants"):
    """An organisation: a petition bureau, a hospital, a property company, a school."""

    id = UUID(primary_key=True)
    slug = Varchar(length=64, unique=True)
    name = Varchar(length=200)
    timezone = Varchar(length=64, default="Asia/Shanghai")
    locale = Varchar(length=16, default="zh-CN")
    calendar = JSON(default={})
    settings = JSON(default={})
    created_at = Timestamptz()


class TenantPlugin(Table, tablename="tenant_plugins"):
    """A sector plugin enabled for a tenant, with its validated config overrides."""

    id = UUID(primary_key=True)
    tenant_id = ForeignKey(references=Tenant, on_delete=OnDelete.cascade, index=True, null=False)
    plugin_key = Varchar(length=64)
    enabled = Boolean(default=True)
    config = JSON(default={})
    version = Integer(default=1)
    updated_at = Timestamptz()


class Department(Table, tablename="departments"):
    id = UUID(primary_key=True)
    tenant_id = ForeignKey(references=Tenant, on_delete=OnDelete.cascade, index=True, null=False)
    code = Varchar(length=64)
    name_zh = Varchar(length=200)
    name_en = Varchar(length=200, default="")
    parent_id = UUID(null=True, default=None)
    active = Boolean(default=True)
    created_at = Timestamptz()


class User(Table, tablename="users"):
    """Staff of a tenant. Platform operators are not tenant users."""

    id = UUID(primary_key=True)
    tenant_id = ForeignKey(references=Tenant, on_delete=OnDelete.cascade, index=True, null=False)
    username = Varchar(length=100)
    display_name = Varchar(length=200, default="")
    email = Varchar(length=254, default="")
    password_hash = Text(default="")
    roles = JSON(default=[])
    department_id = UUID(null=True, default=None)
    active = Boolean(default=True)
    created_at = Timestamptz()


class ApiKey(Table, tablename="api_keys"):
    """An integration credential: a long random secret kept only as its SHA-256 digest and found
    by an indexed public prefix (argon2 per request would cost tens of milliseconds)."""

    id = UUID(primary_key=True)
    tenant_id = ForeignKey(references=Tenant, on_delete=OnDelete.cascade, index=True, null=False)
    name = Varchar(length=200)
    prefix = Varchar(length=32, unique=True)
    digest = Varchar(length=64)
    role = Varchar(length=32)
    scopes = JSON(default=[])
    created_at = Timestamptz()
    revoked_at = Timestamptz(null=True, default=None)
    last_used_at = Timestamptz(null=True, default=None)


class Person(Table, tablename="persons"):
    """A complainant's personal data, kept apart from the case so it can be withheld or erased."""

    id = UUID(primary_key=True)
    tenant_id = ForeignKey(references=Tenant, on_delete=OnDelete.cascade, index=True, null=False)
    name = Varchar(length=200, default="")
    contact = Varchar(length=200, default="")
    id_number = Varchar(length=64, default="")
    address = Text(default="")
    created_at = Timestamptz()


class Case(Table, tablename="cases"):
    id = UUID(primary_key=True)
    tenant_id = ForeignKey(references=Tenant, on_delete=OnDelete.cascade, index=True, null=False)
    number = Integer()
    tracking_code = Varchar(length=16, index=True)
    pin_hash = Text()
    sector = Varchar(length=64)
    category = Varchar(length=64)
    channel = Varchar(length=32)
    subject = Varchar(length=300)
    description = Text()
    severity = Varchar(length=16, default="normal")
    status = Varchar(length=32, default="registered")
    person_id = UUID(null=True, default=None)
    anonymous = Boolean(default=False)
    confidential = Boolean(default=False)
    group_size = Integer(default=1)
    location = Varchar(length=300, default="")
    extra = JSON(default={})
    lead_department_id = UUID(null=True, default=None)
    first_responsible_id = UUID(null=True, default=None)
    related_case_id = UUID(null=True, default=None)
    not_accepted_ground = Varchar(length=64, default="")
    transfer_target = Varchar(length=300, default="")
    reply_text = Text(default="")
    search_text = Text(default="")
    version = Integer(default=1)
    received_at = Timestamptz()
    created_at = Timestamptz()
    updated_at = Timestamptz()


class CaseDepartment(Table, tablename="case_departments"):
    """Departments working on a case: one lead and any number of cooperating ones (交办)."""

    id = UUID(primary_key=True)
    tenant_id = ForeignKey(references=Tenant, on_delete=OnDelete.cascade, index=True, null=False)
    case_id = ForeignKey(references=Case, on_delete=OnDelete.cascade, null=False)
    department_id = UUID()
    role = Varchar(length=16)


class CaseEvent(Table, tablename="case_events"):
    """The append-only timeline and audit trail of a case."""

    id = UUID(primary_key=True)
    tenant_id = ForeignKey(references=Tenant, on_delete=OnDelete.cascade, index=True, null=False)
    case_id = ForeignKey(references=Case, on_delete=OnDelete.cascade, null=False)
    seq = Integer()
    action = Varchar(length=64)
    actor_kind = Varchar(length=16)
    actor_id = UUID(null=True, default=None)
    actor_name = Varchar(length=200, default="")
    at = Timestamptz()
    from_status = Varchar(length=32, default="")
    to_status = Varchar(length=32, default="")
    before = JSON(default={})
    after = JSON(default={})
    data = JSON(default={})


class IdempotencyKey(Table, tablename="idempotency_keys"):
    """Remembers a POST's result so that a retried request answers the same and creates nothing."""

    id = UUID(primary_key=True)
    tenant_id = ForeignKey(references=Tenant, on_delete=OnDelete.cascade, index=True, null=False)
    key = Varchar(length=200)
    request_hash = Varchar(length=64)
    case_id = UUID(null=True, default=None)
    sealed_pin = Varchar(length=128, default="")
    created_at = Timestamptz(index=True)


class Counter(Table, tablename="counters"):
    """Per-tenant sequences (case numbers), incremented inside the transaction that uses them."""

    id = UUID(primary_key=True)
    tenant_id = ForeignKey(references=Tenant, on_delete=OnDelete.cascade, index=True, null=False)
    name = Varchar(length=64)
    value = Integer(default=0)


TENANT_OWNED_TABLES: tuple[type[Table], ...] = (
    TenantPlugin,
    Department,
    User,
    ApiKey,
    Person,
    Case,
    CaseDepartment,
    CaseEvent,
    IdempotencyKey,
    Counter,
)
"""Tables whose rows belong to one tenant; reachable only through ``TenantScope``."""

ALL_TABLES: tuple[type[Table], ...] = (Tenant, *TENANT_OWNED_TABLES)
