"""Registering a case (登记): validate, number, store, record — in one transaction.

A retried POST with the same ``Idempotency-Key`` answers with the case the first attempt
created and creates nothing; the PIN of that first answer is handed back too (sealed with the
server secret and the client's key, never stored in the clear).
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import msgspec

from core.api.case_schemas import CaseIn
from core.case_followups import after_case_event
from core.case_hooks import draft_view, plugins_for
from core.db import transaction
from core.errors import Conflict, FieldError, Unprocessable
from core.intake_rules import apply_intake_rules
from core.outbox import queue_notices
from core.tables import Case, Counter, IdempotencyKey, Person
from core.timeline import append_event
from tenants.auth import Principal
from tenants.scope import TenantScope
from tenants.secrets import hash_secret, new_pin, new_tracking_code, seal_pin, unseal_pin

__all__ = ["IntakeResult", "register_case"]

_CASE_COUNTER = "case_number"


@dataclass(frozen=True, slots=True)
class IntakeResult:
    case: dict[str, Any]
    pin: str | None
    replayed: bool


def _request_hash(data: CaseIn) -> str:
    return hashlib.sha256(msgspec.json.encode(data)).hexdigest()


def _check_shape(data: CaseIn, now: datetime) -> list[FieldError]:
    problems: list[FieldError] = []
    for name in ("subject", "description"):
        if not getattr(data, name).strip():
            problems.append(FieldError(name, "must not be blank"))
    if not data.anonymous:
        person = data.complainant
        if person is None:
            problems.append(FieldError("complainant", "required unless the case is anonymous"))
        else:
            if not person.name.strip():
                problems.append(FieldError("complainant.name", "required unless the case is anonymous"))
            if not person.contact.strip() and not person.address.strip():
                problems.append(
                    FieldError("complainant.contact", "give a contact or an address so the reply can reach them")
                )
    if data.received_at is not None:
        if data.received_at.tzinfo is None:
            problems.append(FieldError("received_at", "must carry a timezone offset"))
        elif data.received_at > now:
            problems.append(FieldError("received_at", "lies in the future"))
    return problems


async def register_case(
    who: Principal,
    data: CaseIn,
    *,
    now: datetime,
    idempotency_key: str | None,
    secret_key: str,
    hash_profile: str,
    locale: str = "zh-CN",
) -> IntakeResult:
    scope = who.scope
    if idempotency_key is not None and not (1 <= len(idempotency_key) <= 200):
        raise Unprocessable(
            "Idempotency-Key must be 1 to 200 characters",
            errors=[FieldError("Idempotency-Key", "must be 1 to 200 characters")],
        )
    problems = _check_shape(data, now)
    plugins = await plugins_for(scope)
    draft = draft_view(data, data.received_at or now)
    problems += [FieldError(p.field, p.message.get(locale)) for p in plugins.validate_intake(draft)]
    if data.related_case_id is not None and not await scope.exists(Case).where(Case.id == data.related_case_id):
        problems.append(FieldError("related_case_id", "no such case"))
    if problems:
        raise Unprocessable("The case cannot be registered as submitted.", errors=_dedupe(problems))

    request_hash = _request_hash(data)
    if idempotency_key is not None:
        replay = await _replay(scope, idempotency_key, request_hash, secret_key)
        if replay is not None:
            return replay

    pin = new_pin()
    pin_hash = await hash_secret(pin, hash_profile)  # slow on purpose: outside the transaction
    try:
        async with transaction():
            case = await _insert_case(scope, who, data, now=now, pin_hash=pin_hash)
            case = await apply_intake_rules(scope, plugins, case, now=now)
            case = await after_case_event(who, case, "register", now, plugins=plugins)  # clocks and triggers
            await queue_notices(scope, plugins, case, "register", now)  # receipt or decision, same transaction
            if idempotency_key is not None:
                await scope.insert(
                    IdempotencyKey,
                    key=idempotency_key,
                    request_hash=request_hash,
                    case_id=case["id"],
                    sealed_pin=seal_pin(pin, secret_key=secret_key, context=idempotency_key),
                    created_at=now,
                )
    except Exception as exc:  # a concurrent twin with the same key won the race
        if idempotency_key is not None and _is_unique_violation(exc):
            replay = await _replay(scope, idempotency_key, request_hash, secret_key)
            if replay is not None:
                return replay
        raise
    return IntakeResult(case=case, pin=pin, replayed=False)


async def _replay(scope: TenantScope, key: str, request_hash: str, secret_key: str) -> IntakeResult | None:
    row = await scope.select(IdempotencyKey).where(IdempotencyKey.key == key).first()
    if row is None:
        return None
    if row["request_hash"] != request_hash:
        raise Conflict(
            "This Idempotency-Key was already used for a different request.",
            errors=[FieldError("Idempotency-Key", "reused with a different body")],
        )
    case = await scope.get(Case, row["case_id"])
    pin = unseal_pin(row["sealed_pin"], secret_key=secret_key, context=key) if row["sealed_pin"] else None
    return IntakeResult(case=case, pin=pin, replayed=True)


def _dedupe(problems: list[FieldError]) -> list[FieldError]:
    seen: set[tuple[str, str]] = set()
    out = []
    for p in problems:
        if (p["field"], p["message"]) not in seen:
            seen.add((p["field"], p["message"]))
            out.append(p)
    return out


def _is_unique_violation(exc: BaseException) -> bool:
    text = f"{type(exc).__name__} {exc}".lower()
    return "unique" in text or "duplicate key" in text


async def _next_number(scope: TenantScope) -> int:
    rows = (
        await scope.update(Counter, {Counter.value: Counter.value + 1})
        .where(Counter.name == _CASE_COUNTER)
        .returning(Counter.value)
    )
    if rows:
        return int(rows[0]["value"])
    await scope.insert(Counter, name=_CASE_COUNTER, value=1)
    return 1


async def _unique_tracking_code(scope: TenantScope) -> str:
    for _ in range(10):
        code = new_tracking_code()
        if not await scope.exists(Case).where(Case.tracking_code == code):
            return code
    raise RuntimeError("could not draw a free tracking code")  # 40 bits: practically unreachable


async def _insert_case(
    scope: TenantScope, who: Principal, data: CaseIn, *, now: datetime, pin_hash: str
) -> dict[str, Any]:
    person_id: uuid.UUID | None = None
    c = data.complainant
    if c is not None and (not data.anonymous or c.contact):
        # Anonymous complainants keep only the contact they chose to give (if any).
        person = await scope.insert(
            Person,
            name="" if data.anonymous else c.name.strip(),
            contact=c.contact.strip(),
            id_number="" if data.anonymous else c.id_number.strip(),
            address="" if data.anonymous else c.address.strip(),
            created_at=now,
        )
        person_id = person.id
    number = await _next_number(scope)
    code = await _unique_tracking_code(scope)
    received_at = data.received_at or now
    case = await scope.insert(
        Case,
        number=number,
        tracking_code=code,
        pin_hash=pin_hash,
        sector=data.sector,
        category=data.category,
        channel=data.channel,
        subject=data.subject.strip(),
        description=data.description.strip(),
        severity=data.severity,
        status="registered",
        person_id=person_id,
        anonymous=data.anonymous,
        confidential=data.confidential,
        group_size=data.group_size,
        location=data.location,
        extra=data.extra,
        first_responsible_id=who.actor_id if who.actor_kind == "user" else None,
        related_case_id=data.related_case_id,
        search_text=" ".join([code, str(number), data.subject, data.description, data.location]).lower(),
        version=1,
        received_at=received_at,
        created_at=now,
        updated_at=now,
    )
    await append_event(
        scope,
        case_id=case.id,
        action="register",
        actor=who,
        at=now,
        to_status="registered",
        after={
            "number": number,
            "tracking_code": code,
            "sector": data.sector,
            "category": data.category,
            "channel": data.channel,
        },
        data={"received_at": received_at},
    )
    return await scope.get(Case, case.id)
