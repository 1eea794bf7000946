"""/api/v1/departments — the tenant's organisational units."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from litestar import Controller, get, patch, post
from msgspec import UNSET, Meta, Struct, UnsetType

from core.errors import FieldError, Unprocessable
from core.tables import Department
from tenants.auth import Principal, require_roles, require_scope
from tenants.onboarding import OnboardingError, add_department

__all__ = ["DepartmentController"]

Code = Annotated[str, Meta(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")]
Name = Annotated[str, Meta(min_length=1, max_length=200)]


class DepartmentIn(Struct, forbid_unknown_fields=True):
    code: Code
    name_zh: Name
    name_en: Annotated[str, Meta(max_length=200)] = ""
    parent_id: UUID | None = None


class DepartmentPatch(Struct, forbid_unknown_fields=True):
    name_zh: Name | UnsetType = UNSET
    name_en: Annotated[str, Meta(max_length=200)] | UnsetType = UNSET
    active: bool | UnsetType = UNSET


class DepartmentOut(Struct):
    id: UUID
    code: str
    name_zh: str
    name_en: str
    parent_id: UUID | None
    active: bool


def _out(row: dict) -> DepartmentOut:
    return DepartmentOut(row["id"], row["code"], row["name_zh"], row["name_en"], row["parent_id"], row["active"])


class DepartmentController(Controller):
    path = "/api/v1/departments"
    tags = ["directory"]

    @get("/", guards=[require_scope("cases:read")])
    async def index(self, who: Principal) -> list[DepartmentOut]:
        rows = await who.scope.select(Department).order_by(Department.code)
        return [_out(r) for r in rows]

    @get("/{department_id:uuid}", guards=[require_scope("cases:read")])
    async def show(self, department_id: UUID, who: Principal) -> DepartmentOut:
        return _out(await who.scope.get(Department, department_id))

    @post("/", guards=[require_scope("admin:write"), require_roles("tenant_admin")])
    async def create(self, data: DepartmentIn, who: Principal, now: datetime) -> DepartmentOut:
        if data.parent_id is not None:
            await _must_exist(who, data.parent_id, "parent_id")
        try:
            dept_id = await add_department(
                who.scope, code=data.code, name_zh=data.name_zh, name_en=data.name_en, now=now
            )
        except OnboardingError as exc:
            raise Unprocessable(exc.message, errors=[FieldError(exc.field, exc.message)]) from None
        if data.parent_id is not None:
            await who.scope.update(Department, {Department.parent_id: data.parent_id}).where(Department.id == dept_id)
        return _out(await who.scope.get(Department, dept_id))

    @patch("/{department_id:uuid}", guards=[require_scope("admin:write"), require_roles("tenant_admin")])
    async def update(self, department_id: UUID, data: DepartmentPatch, who: Principal) -> DepartmentOut:
        await who.scope.get(Department, department_id)
        values = {
            getattr(Department, k): v for k in ("name_zh", "name_en", "active") if (v := getattr(data, k)) is not UNSET
        }
        if values:
            await who.scope.update(Department, values).where(Department.id == department_id)
        return _out(await who.scope.get(Department, department_id))


async def _must_exist(who: Principal, dept_id: UUID, field: str) -> None:
    if not await who.scope.exists(Department).where(Department.id == dept_id):
        raise Unprocessable("no such department", errors=[FieldError(field, "no such department")])
