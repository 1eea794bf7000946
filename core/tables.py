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
    Bytea,
    Date,
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
    "CaseClock",
    "CaseDepartment",
    "CaseEvent",
    "ChannelConfig",
    "Counter",
    "Department",
    "Escalation",
    "IdempotencyKey",
    "InAppMessage",
    "Notice",
    "NoticeLetter",
    "NoticeTemplate",
    "Person",
    "Tenant",
    "TenantEvent",
    "TenantPlugin",
    "TenantPosition",
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


# Deadlines and escalation (issue 5) ------------------------------------------------------------


class CaseClock(Table, tablename="case_clocks"):
    """One deadline of one case, as the deadline engine runs it (``core.clocks``).

    Named ``CaseClock`` so it cannot be mistaken for ``core.clock.Clock`` (the source of "now").
    ``rule`` keeps the ClockRule the clock started with, so a tenant changing its config later
    does not move a running deadline (R33); ``history`` lists every pause, resume and extension
    so a due date can be recomputed exactly when the calendar behind it becomes official (S21).
    ``state`` says whether the clock ticks (running | paused) or how it ended (met | breached |
    cancelled); "warning" and "overdue" are derived at read time from ``warn_at``/``due_at``.
    ``overdue_at`` is when the deadline scan noted the due time passing (once per due time).
    """

    id = UUID(primary_key=True)
    tenant_id = ForeignKey(references=Tenant, on_delete=OnDelete.cascade, index=True, null=False)
    case_id = ForeignKey(references=Case, on_delete=OnDelete.cascade, null=False)
    rule_key = Varchar(length=64)
    kind = Varchar(length=16, default="limit")
    unit = Varchar(length=32)
    amount = Integer()
    start_event = Varchar(length=64)
    stop_event = Varchar(length=64, default="")
    started_at = Timestamptz()
    due_at = Timestamptz()
    last_day = Date(null=True, default=None)
    nominal_day = Date(null=True, default=None)
    warn_at = Timestamptz(null=True, default=None)
    paused_at = Timestamptz(null=True, default=None)
    paused_seconds = Integer(default=0)
    extended_by = Integer(default=0)
    extension_count = Integer(default=0)
    state = Varchar(length=16, default="running")
    provisional = Boolean(default=False)
    overdue_at = Timestamptz(null=True, default=None)
    stopped_at = Timestamptz(null=True, default=None)
    rule = JSON(default={})
    history = JSON(default=[])
    calendar_version = Integer(default=0)
    version = Integer(default=1)
    created_at = Timestamptz()
    updated_at = Timestamptz()


class Escalation(Table, tablename="escalations"):
    """One escalation step: a ladder level against a clock, or an event trigger of a case.

    Ladder levels are inserted when their clock starts (``fire_at`` computed from the due time)
    and fired by the deadline scan; ``state`` (pending | held | fired | cancelled) plus the
    conditional ``UPDATE … WHERE state = 'pending'`` makes each level fire exactly once, also
    when two workers race. Trigger rows are written when they fire; a unique index on
    (case_id, rule_key) for triggers keeps each trigger to one firing per case.
    """

    id = UUID(primary_key=True)
    tenant_id = ForeignKey(references=Tenant, on_delete=OnDelete.cascade, index=True, null=False)
    case_id = ForeignKey(references=Case, on_delete=OnDelete.cascade, null=False)
    clock_id = ForeignKey(references=CaseClock, on_delete=OnDelete.cascade, null=True, default=None)
    source = Varchar(length=16)
    rule_key = Varchar(length=64)
    level = Integer(default=0)
    relative = Varchar(length=16, default="")
    offset_amount = Integer(default=0)
    offset_unit = Varchar(length=32, default="minutes")
    fire_at = Timestamptz()
    fired_at = Timestamptz(null=True, default=None)
    state = Varchar(length=16, default="pending")
    actions = JSON(default=[])
    names = JSON(default={})
    rule_source = Varchar(length=300, default="")
    created_at = Timestamptz()


class TenantEvent(Table, tablename="tenant_events"):
    """The audit trail of tenant-level settings (calendar changes, year imports…)."""

    id = UUID(primary_key=True)
    tenant_id = ForeignKey(references=Tenant, on_delete=OnDelete.cascade, index=True, null=False)
    at = Timestamptz()
    actor_kind = Varchar(length=16)
    actor_id = UUID(null=True, default=None)
    actor_name = Varchar(length=200, default="")
    action = Varchar(length=64)
    data = JSON(default={})


# Notices (issue 6) ----------------------------------------------------------------------------


class Notice(Table, tablename="notices"):
    """The transactional outbox: one message to one recipient through one channel.

    Written in the transaction of the case event that causes it (``core.outbox``), so a case
    never moves without its notices and a rolled-back move queues nothing. Nothing is rendered
    then: ``context`` holds the ``NoticeContext`` data and the worker renders at delivery with
    the tenant's current templates, so fixing a template also fixes the notices still waiting.

    ``template`` is what was asked for (``hospital/written_reply`` from a plugin, or a core
    event); ``template_event`` is the core template the lookup chain falls back to. Delivery
    state: ``pending`` → ``sending`` (claimed by one worker, ``claimed_at`` starts its lease) →
    ``sent`` | ``pending`` again (retry at ``next_attempt_at``) | ``failed``; ``cancelled`` by
    staff. ``attempts`` doubles as the fencing token of a claim. ``dedupe_key`` (unique per
    tenant) keeps a notice from being queued twice where the rules say once (R7).
    """

    id = UUID(primary_key=True)
    tenant_id = ForeignKey(references=Tenant, on_delete=OnDelete.cascade, index=True, null=False)
    case_id = ForeignKey(references=Case, on_delete=OnDelete.cascade, null=True, default=None)
    event = Varchar(length=64)
    template = Varchar(length=128)
    template_event = Varchar(length=64)
    sector = Varchar(length=64, default="default")
    channel = Varchar(length=32)
    recipient_kind = Varchar(length=16)
    recipient = Varchar(length=500, default="")
    recipient_name = Varchar(length=200, default="")
    user_id = UUID(null=True, default=None)
    locale = Varchar(length=16, default="zh-CN")
    context = JSON(default={})
    written = Boolean(default=False)
    state = Varchar(length=16, default="pending")
    attempts = Integer(default=0)
    max_attempts = Integer(default=8)
    next_attempt_at = Timestamptz()
    claimed_at = Timestamptz(null=True, default=None)
    last_error = Text(default="")
    sent_at = Timestamptz(null=True, default=None)
    provider_id = Varchar(length=300, default="")
    dedupe_key = Varchar(length=200, null=True, default=None)
    subject = Text(default="")
    body_text = Text(default="")
    body_html = Text(default="")
    storage_key = Varchar(length=300, default="")
    rendered_with = Varchar(length=300, default="")
    created_at = Timestamptz()
    updated_at = Timestamptz()


class NoticeLetter(Table, tablename="notice_letters"):
    """The PDF of a delivered ``letter`` notice, kept in the database beside its notice.

    In the database rather than on a disk: API and worker processes on different hosts all
    reach it, backups and tenant erasure include it, and it is written in the same transaction
    that marks the notice sent, so a "sent" letter always has its PDF.
    """

    id = UUID(primary_key=True)
    tenant_id = ForeignKey(references=Tenant, on_delete=OnDelete.cascade, index=True, null=False)
    notice_id = ForeignKey(references=Notice, on_delete=OnDelete.cascade, null=False)
    case_id = UUID(null=True, default=None)
    pdf = Bytea()
    size = Integer(default=0)
    sha256 = Varchar(length=64, default="")
    created_at = Timestamptz()


class NoticeTemplate(Table, tablename="notice_templates"):
    """A tenant's override of a notice template, keyed ``[sector/]name.channel[.locale]``."""

    id = UUID(primary_key=True)
    tenant_id = ForeignKey(references=Tenant, on_delete=OnDelete.cascade, index=True, null=False)
    key = Varchar(length=200)
    source = Text()
    version = Integer(default=1)
    updated_at = Timestamptz()
    updated_by = Varchar(length=200, default="")


class ChannelConfig(Table, tablename="channel_configs"):
    """A tenant's settings of one delivery channel (SMTP relay, SMS gateway, webhook endpoint).

    Holds secrets (SMTP password, SMS token, webhook signing key): the API masks them on read.
    """

    id = UUID(primary_key=True)
    tenant_id = ForeignKey(references=Tenant, on_delete=OnDelete.cascade, index=True, null=False)
    channel = Varchar(length=32)
    config = JSON(default={})
    version = Integer(default=1)
    updated_at = Timestamptz()
    updated_by = Varchar(length=200, default="")


class InAppMessage(Table, tablename="in_app_messages"):
    """A delivered in-app notice: a staff user's inbox entry (``user_id``) or a message the
    complainant sees with the case's tracking code and PIN (``user_id`` empty)."""

    id = UUID(primary_key=True)
    tenant_id = ForeignKey(references=Tenant, on_delete=OnDelete.cascade, index=True, null=False)
    notice_id = ForeignKey(references=Notice, on_delete=OnDelete.cascade, null=False)
    user_id = UUID(null=True, default=None)
    case_id = UUID(null=True, default=None)
    event = Varchar(length=64, default="")
    subject = Text(default="")
    body = Text(default="")
    created_at = Timestamptz()
    read_at = Timestamptz(null=True, default=None)


# Positions (plugin roles held by people) -------------------------------------------------------


class TenantPosition(Table, tablename="tenant_positions"):
    """A user holding a position a sector plugin declares (``RoleSeed``: 维修主管, 值班领导),
    which escalations and notices address as ``role:<code>``. Unique per (tenant, code, user)
    (migration 0008)."""

    id = UUID(primary_key=True)
    tenant_id = ForeignKey(references=Tenant, on_delete=OnDelete.cascade, index=True, null=False)
    code = Varchar(length=64)
    user_id = ForeignKey(references=User, on_delete=OnDelete.cascade, null=False)
    created_at = Timestamptz()


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
    CaseClock,
    Escalation,
    TenantEvent,
    Notice,
    NoticeLetter,
    NoticeTemplate,
    ChannelConfig,
    InAppMessage,
    TenantPosition,
)
"""Tables whose rows belong to one tenant; reachable only through ``TenantScope``."""

ALL_TABLES: tuple[type[Table], ...] = (Tenant, *TENANT_OWNED_TABLES)
