"""/api/v1/users — staff accounts of the tenant (tenant admins manage them)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from litestar import Controller, get, patch, post
from msgspec import UNSET, Meta, Struct, UnsetType

from core.errors import FieldError, Unprocessable
from core.settings import Settings
from core.tables import Department, User
from tenants.auth import Principal, require_roles, require_scope
from tenants.onboarding import OnboardingError, add_user
from tenants.secrets import hash_secret

__all__ = ["UserController"]

Role = Literal["tenant_admin", "supervisor", "handler", "auditor"]


class UserIn(Struct, forbid_unknown_fields=True):
    username: Annotated[str, Meta(min_length=2, max_length=100, pattern=r"^[A-Za-z0-9_.@-]+$")]
    password: Annotated[str, Meta(min_length=10, max_length=200)]
    roles: Annotated[list[Role], Meta(min_length=1)]
    display_name: Annotated[str, Meta(max_length=200)] = ""
    email: Annotated[str, Meta(max_length=254)] = ""
    department_id: UUID | None = None


class UserPatch(Struct, forbid_unknown_fields=True):
    display_name: Annotated[str, Meta(max_length=200)] | UnsetType = UNSET
    roles: Annotated[list[Role], Meta(min_length=1)] | UnsetType = UNSET
    department_id: UUID | UnsetType | None = UNSET
    active: bool | UnsetType = UNSET
    password: Annotated[str, Meta(min_length=10, max_length=200)] | UnsetType = UNSET


class UserOut(Struct):
    id: UUID
    username: str
    display_name: str
    email: str
    roles: list[str]
    department_id: UUID | None
    active: bool


def _out(r: dict) -> UserOut:
    return UserOut(
        r["id"], r["username"], r["display_name"], r["email"], list(r["roles"]), r["department_id"], r["active"]
    )


_ADMIN = [require_scope("admin:write"), require_roles("tenant_admin")]


class UserController(Controller):
    path = "/api/v1/users"
    tags = ["directory"]

    @get("/", guards=[require_scope("admin:read"), require_roles("tenant_admin", "supervisor", "auditor")])
    async def index(self, who: Principal) -> list[UserOut]:
        return [_out(r) for r in await who.scope.select(User).order_by(User.username)]

    @get(
        "/{user_id:uuid}", guards=[require_scope("admin:read"), require_roles("tenant_admin", "supervisor", "auditor")]
    )
    async def show(self, user_id: UUID, who: Principal) -> UserOut:
        return _out(await who.scope.get(User, user_id))

    @post("/", guards=_ADMIN)
    async def create(self, data: UserIn, who: Principal, now: datetime, settings: Settings) -> UserOut:
        try:
            user_id = await add_user(
                who.scope,
                username=data.username,
                password=data.password,
                roles=list(data.roles),
                display_name=data.display_name,
                email=data.email,
                department_id=data.department_id,
                now=now,
                hash_profile=settings.password_hash_profile,
            )
        except OnboardingError as exc:
            raise Unprocessable(exc.message, errors=[FieldError(exc.field, exc.message)]) from None
        return _out(await who.scope.get(User, user_id))

    @patch("/{user_id:uuid}", guards=_ADMIN)
    async def update(self, user_id: UUID, data: UserPatch, who: Principal, settings: Settings) -> UserOut:
        current = await who.scope.get(User, user_id)
        values: dict = {}
        for name in ("display_name", "roles", "department_id", "active"):
            value = getattr(data, name)
            if value is not UNSET:
                values[getattr(User, name)] = list(value) if name == "roles" else value
        roles = values.get(User.roles, current["roles"])
        dept = values.get(User.department_id, current["department_id"])
        if "handler" in roles and dept is None:
            raise Unprocessable(
                "a handler belongs to a department", errors=[FieldError("department_id", "required for handlers")]
            )
        if dept is not None and not await who.scope.exists(Department).where(Department.id == dept):
            raise Unprocessable("no such department", errors=[FieldError("department_id", "no such department")])
        if user_id == who.actor_id and (values.get(User.active) is False or "tenant_admin" not in roles):
            raise Unprocessable(
                "you cannot lock yourself out", errors=[FieldError("roles", "keep tenant_admin on yourself")]
            )
        if data.password is not UNSET:
            values[User.password_hash] = await hash_secret(data.password, settings.password_hash_profile)
        if values:
            await who.scope.update(User, values).where(User.id == user_id)
        return _out(await who.scope.get(User, user_id))
