"""Turning "who should be told" into addresses: complainant, staff, departments, other bodies.

Resolution reads the tenant's staff and departments once per case event (:class:`Directory`)
and never guesses: a role nobody holds, a department without people, or an anonymous
complainant without a contact yield no recipient rather than a notice that cannot arrive.
Escalations are the exception — an escalation must reach a person, so a role nobody holds
falls back to the tenant's supervisors (and the ``escalated`` event records that it did,
:func:`role_fallbacks`). A ``role:<code>`` that is not a core role is a position a sector
declares; its holders are the users assigned to it (``TenantPosition``).

Staff get an in-app message (always deliverable) and an e-mail when they have an address and
the tenant has configured e-mail. A written notice to a department is also produced as a
letter (the formal 交办/转送 document) beside the in-app messages to its people.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from core.notice_rules import Wanted, complainant_route
from core.tables import ChannelConfig, Department, TenantPosition, User
from tenants.scope import TenantScope
from tenants.secrets import ROLES

__all__ = ["Directory", "Recipient", "resolve_recipients", "role_fallbacks"]


@dataclass(frozen=True, slots=True)
class Recipient:
    """One address a notice goes to. ``kind`` is what the ``Notice`` row records."""

    kind: str
    """complainant | role | department | forwarding_body | user"""
    channel: str
    address: str
    name: str = ""
    user_id: uuid.UUID | None = None

    @property
    def staff(self) -> bool:
        return self.kind in ("role", "department", "user")

    def identity(self) -> tuple[str, str, str]:
        """Two wants resolving to the same person and channel make one notice."""
        return self.channel, str(self.user_id or ""), self.address if self.user_id is None else ""


@dataclass(slots=True)
class Directory:
    """The tenant's active staff, departments and configured channels, read once per event."""

    users: list[dict[str, Any]]
    departments: dict[str, dict[str, Any]]
    configured: set[str]
    locale: str = "zh-CN"
    positions: dict[str, set[str]] = field(default_factory=dict)
    """Position code → ids of the users assigned to it."""

    @classmethod
    async def load(cls, scope: TenantScope, locale: str) -> Directory:
        users = await scope.select(
            User, User.id, User.username, User.display_name, User.email, User.roles, User.department_id
        ).where(User.active.eq(True))
        departments = await scope.select(
            Department, Department.id, Department.code, Department.name_zh, Department.name_en
        ).where(Department.active.eq(True))
        channels = await scope.select(ChannelConfig, ChannelConfig.channel)
        positions: dict[str, set[str]] = {}
        for row in await scope.select(TenantPosition, TenantPosition.code, TenantPosition.user_id):
            positions.setdefault(row["code"], set()).add(str(row["user_id"]))
        return cls(
            users=users,
            departments={d["code"]: d for d in departments},
            configured={c["channel"] for c in channels} | {"in_app", "letter"},
            locale=locale,
            positions=positions,
        )

    def department_name(self, dept: dict[str, Any], locale: str | None = None) -> str:
        if (locale or self.locale) == "en" and dept.get("name_en"):
            return str(dept["name_en"])
        return str(dept["name_zh"] or dept["code"])

    def department_by_id(self, dept_id: Any) -> dict[str, Any] | None:
        return next((d for d in self.departments.values() if str(d["id"]) == str(dept_id)), None)

    def holders(self, role: str) -> list[dict[str, Any]]:
        return [u for u in self.users if role in (u["roles"] or [])]

    def role_users(
        self, code: str, case: dict[str, Any], *, escalation: bool
    ) -> tuple[list[dict[str, Any]], str, bool]:
        """Who ``role:<code>`` reaches: ``(users, recipient kind, fell back to supervisors)``.

        A core role → its holders; ``first_responsible`` → the case's first responsible person;
        any other code → the users assigned to that position. An escalation that would reach
        nobody goes to the supervisors instead."""
        if code == "first_responsible":
            user = self.user(case.get("first_responsible_id"))
            return ([user] if user else []), "user", False
        if code in ROLES:
            users = self.holders(code)
        else:
            assigned = self.positions.get(code, set())
            users = [u for u in self.users if str(u["id"]) in assigned]
        if not users and escalation:
            return self.holders("supervisor"), "role", True
        return users, "role", False

    def members(self, dept_id: Any) -> list[dict[str, Any]]:
        return [u for u in self.users if u["department_id"] is not None and str(u["department_id"]) == str(dept_id)]

    def user(self, user_id: Any) -> dict[str, Any] | None:
        return next((u for u in self.users if user_id is not None and str(u["id"]) == str(user_id)), None)

    def staff_routes(self, users: Iterable[dict[str, Any]], kind: str) -> list[Recipient]:
        out = []
        for u in users:
            name = str(u["display_name"] or u["username"])
            out.append(Recipient(kind, "in_app", str(u["id"]), name, u["id"]))
            if u["email"] and "email" in self.configured:
                out.append(Recipient(kind, "email", str(u["email"]), name, u["id"]))
        return out


def _complainant(
    directory: Directory, wanted: Wanted, case: dict[str, Any], person: dict[str, Any] | None
) -> list[Recipient]:
    if person is None:
        return []
    contact, address = person["contact"] or "", person["address"] or ""
    if case["anonymous"] and not contact.strip():
        return []  # never to an anonymous complainant without a contact
    anonymous = bool(case["anonymous"])  # an anonymous person has no name or postal address
    channel, to = complainant_route(
        intake=case["channel"],
        contact=contact,
        address=address,
        requested=None if anonymous and wanted.channel == "letter" else wanted.channel,
        written=wanted.written and not anonymous,
        configured=directory.configured,
    )
    name = "" if case["anonymous"] else str(person["name"] or "")
    if channel == "in_app":
        to = f"case:{case['id']}"  # the portal inbox of the case, read with tracking code and PIN
    return [Recipient("complainant", channel, to, name)]


def _forwarding_body(wanted: Wanted, case: dict[str, Any]) -> list[Recipient]:
    """For a transfer, the body the case goes to; otherwise the body that forwarded it to us
    (``extra.source_body``, owed a reply-back: R2, 001 L1016)."""
    extra = case.get("extra") or {}
    if wanted.event == "transfer":
        name = str(case.get("transfer_target") or "").strip()
        return [Recipient("forwarding_body", "letter", "", name)] if name else []
    name = str(extra.get("source_body") or "").strip()
    if not name:
        return []
    email = str(extra.get("source_email") or "").strip()
    if email and not wanted.written and wanted.channel in (None, "email"):
        return [Recipient("forwarding_body", "email", email, name)]
    return [Recipient("forwarding_body", "letter", str(extra.get("source_address") or ""), name)]


def _staff(directory: Directory, wanted: Wanted, case: dict[str, Any]) -> list[Recipient]:
    spec = wanted.recipient
    if spec == "supervisors":
        return directory.staff_routes(directory.holders("supervisor"), "role")
    if spec.startswith("department_head:"):
        dept_id = spec.split(":", 1)[1]
        heads = [u for u in directory.members(dept_id) if "supervisor" in (u["roles"] or [])]
        return directory.staff_routes(heads or directory.holders("supervisor"), "role")
    kind, _, code = spec.partition(":")
    if kind == "role":
        users, recipient_kind, _ = directory.role_users(code, case, escalation=wanted.escalation)
        return directory.staff_routes(users, recipient_kind)
    if kind == "department":
        dept = directory.departments.get(code)
        if dept is None:
            return []
        routes = directory.staff_routes(directory.members(dept["id"]), "department")
        if wanted.written:
            routes.append(Recipient("department", "letter", "", directory.department_name(dept)))
        return routes
    return []


def resolve_recipients(
    directory: Directory, wanted: Wanted, case: dict[str, Any], person: dict[str, Any] | None
) -> list[Recipient]:
    """The addresses ``wanted`` reaches, possibly none."""
    if wanted.recipient == "complainant":
        return _complainant(directory, wanted, case, person)
    if wanted.recipient == "forwarding_body":
        return _forwarding_body(wanted, case)
    return _staff(directory, wanted, case)


async def role_fallbacks(scope: TenantScope, case: dict[str, Any], notify: Iterable[dict[str, Any]]) -> list[str]:
    """The roles of an escalation's ``notify`` entries that nobody holds, so its notices go to
    the supervisors instead (recorded in the ``escalated`` event as ``role_fallback``)."""
    roles = [str(e["role"]) for e in notify if e.get("kind") == "role" and e.get("role")]
    if not roles:
        return []
    directory = await Directory.load(scope, "zh-CN")
    return [code for code in roles if directory.role_users(code, case, escalation=True)[2]]
