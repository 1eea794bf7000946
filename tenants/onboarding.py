"""Creating tenants and their first credentials (platform-operator work, done from the CLI)."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from core.db import transaction
from core.tables import ApiKey, Counter, Department, Tenant, TenantPlugin, User
from tenants.auth import SCOPES
from tenants.scope import TenantScope
from tenants.secrets import ROLES, hash_secret, new_api_key

__all__ = ["OnboardingError", "TenantCreated", "add_department", "add_user", "create_api_key", "create_tenant"]

_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")


class OnboardingError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True, slots=True)
class TenantCreated:
    tenant_id: uuid.UUID
    slug: str
    api_key: str


async def create_tenant(
    *, slug: str, name: str, sectors: list[str], now: datetime, timezone: str = "Asia/Shanghai", locale: str = "zh-CN"
) -> TenantCreated:
    """A tenant, its case counter, its enabled sectors and a tenant-admin API key — all or nothing."""
    if not _SLUG.match(slug):
        raise OnboardingError("slug", "2–63 characters: lower-case letters, digits and '-'")
    if not name.strip():
        raise OnboardingError("name", "must not be blank")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise OnboardingError("timezone", f"unknown timezone {timezone!r}") from None
    if locale not in ("zh-CN", "en"):
        raise OnboardingError("locale", "zh-CN or en")
    if await Tenant.exists().where(Tenant.slug == slug):
        raise OnboardingError("slug", f"a tenant '{slug}' already exists")
    async with transaction():
        tenant = Tenant(slug=slug, name=name.strip(), timezone=timezone, locale=locale, created_at=now)
        await tenant.save()
        scope = TenantScope(tenant.id)
        await scope.insert(Counter, name="case_number", value=0)
        for sector in dict.fromkeys(sectors):
            await scope.insert(TenantPlugin, plugin_key=sector, enabled=True, config={}, version=1, updated_at=now)
        key, _ = await create_api_key(scope, name="tenant-admin", role="tenant_admin", scopes=list(SCOPES), now=now)
    return TenantCreated(tenant_id=tenant.id, slug=slug, api_key=key)


async def create_api_key(
    scope: TenantScope, *, name: str, role: str, scopes: list[str], now: datetime
) -> tuple[str, uuid.UUID]:
    if role not in ROLES:
        raise OnboardingError("role", f"one of {', '.join(ROLES)}")
    unknown = sorted(set(scopes) - set(SCOPES))
    if unknown:
        raise OnboardingError("scopes", f"unknown scope(s) {', '.join(unknown)}; known: {', '.join(SCOPES)}")
    full, prefix, digest = new_api_key()
    row = await scope.insert(ApiKey, name=name, prefix=prefix, digest=digest, role=role, scopes=scopes, created_at=now)
    return full, row.id


async def add_department(scope: TenantScope, *, code: str, name_zh: str, name_en: str, now: datetime) -> uuid.UUID:
    if await scope.exists(Department).where(Department.code == code):
        raise OnboardingError("code", f"department code '{code}' is already used")
    row = await scope.insert(Department, code=code, name_zh=name_zh, name_en=name_en, created_at=now)
    return row.id


async def add_user(
    scope: TenantScope,
    *,
    username: str,
    password: str,
    roles: list[str],
    now: datetime,
    display_name: str = "",
    email: str = "",
    department_id: uuid.UUID | None = None,
    hash_profile: str = "default",
) -> uuid.UUID:
    bad = sorted(set(roles) - set(ROLES))
    if not roles or bad:
        raise OnboardingError("roles", f"one or more of {', '.join(ROLES)}")
    if "handler" in roles and department_id is None:
        raise OnboardingError("department_id", "a handler belongs to a department")
    if len(password) < 10:
        raise OnboardingError("password", "at least 10 characters")
    if await scope.exists(User).where(User.username == username):
        raise OnboardingError("username", f"'{username}' is taken")
    if department_id is not None and not await scope.exists(Department).where(Department.id == department_id):
        raise OnboardingError("department_id", "no such department")
    row = await scope.insert(
        User,
        username=username,
        display_name=display_name or username,
        email=email,
        password_hash=await hash_secret(password, hash_profile),
        roles=roles,
        department_id=department_id,
        created_at=now,
    )
    return row.id
