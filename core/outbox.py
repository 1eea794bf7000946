"""The transactional outbox: a case event's notices, written in the event's own transaction.

``core.intake``, ``core.transitions`` and ``core.escalation`` call :func:`queue_notices` right
after recording their event. The notices are rows in ``notices`` committed (or rolled back)
with the event, so a case never moves without telling the people it should, and a move that
fails tells nobody. Delivery happens later, in the worker (``core.notice_delivery``), which is
what lets Redis lose every job without losing a notice: the relay finds the rows again.

What gets queued for an event (rules in ``core.notice_rules``): the requests of the tenant's
plugins (``casedesk_notices``), the core's defaults for recipients no plugin addresses, and for
an ``escalated`` event the people its actions name (``data["notify"]``). Each request is
resolved into addresses (``core.notice_recipients``) and given the context it may show
(``core.notice_data``). Nothing is rendered yet — only checked: a notice whose template cannot
be found is written as ``failed`` with the reason, visible in ``GET /api/v1/notices?state=failed``
and retryable once the tenant adds the template, rather than blocking the case or vanishing.

R7 (one written notice per person and matter, 004 L33): a written refusal carries the dedupe
key ``written_refusal:<person>:<matter>`` (unique per tenant); when one exists, plugins are told
(``prior_written_notice`` in the event data) and the core sends the next refusal unwritten.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import structlog

from core.case_hooks import case_view, plugins_for
from core.notice_data import case_context, for_recipient, ground_kind_of, notice_locale
from core.notice_kick import remember
from core.notice_recipients import Directory, Recipient, resolve_recipients
from core.notice_render import load_overrides, resolvable, split_template
from core.notice_rules import Wanted, core_defaults, escalation_wants, person_key, template_event, wanted_from_request
from core.plugin_errors import PluginError
from core.plugin_io import CaseEventView
from core.plugin_tenant import TenantPlugins
from core.settings import get_settings
from core.tables import Case, Notice, Person, Tenant
from tenants.scope import TenantScope

__all__ = ["AUTOMATIC_DECISIONS", "queue_notices"]

AUTOMATIC_DECISIONS = {"accepted": "accept", "not_accepted": "not_accept"}
"""Statuses intake rules may give a new case: its notices are those of that decision."""
_MAX_RELATED_HOPS = 20
log = structlog.get_logger("casedesk.notices")


async def queue_notices(
    scope: TenantScope,
    plugins: TenantPlugins | None,
    case_row: Any,
    action: str,
    now: datetime,
    data: Mapping[str, Any] | None = None,
) -> list[uuid.UUID]:
    """Write the notices of ``action`` on the case; returns their ids. Call inside the event's
    transaction, after the case row and the event are written. For ``register`` after intake
    rules decided (accepted or refused automatically) the decision's notices replace the
    receipt: one message saying what happened, not two at once."""
    case_id = case_row["id"] if isinstance(case_row, Mapping) else case_row.id
    case = await scope.get(Case, case_id)
    plugins = plugins or await plugins_for(scope)
    step, step_data = action, dict(data or {})
    if action == "register" and case["status"] in AUTOMATIC_DECISIONS:
        step, step_data = AUTOMATIC_DECISIONS[case["status"]], {"by": "rule"}
    rows = await _queue_event(scope, plugins, case, step, now, step_data)
    remember(r["id"] for r in rows if r["state"] == "pending")
    return [r["id"] for r in rows]


async def _queue_event(
    scope: TenantScope, plugins: TenantPlugins, case: dict[str, Any], action: str, now: datetime, data: dict[str, Any]
) -> list[dict[str, Any]]:
    tenant = (
        await Tenant.select(Tenant.name, Tenant.timezone, Tenant.locale, Tenant.settings)
        .where(Tenant.id == scope.tenant_id)
        .output(load_json=True)
        .first()
    ) or {}
    person = await scope.select(Person).where(Person.id == case["person_id"]).first() if case["person_id"] else None
    refusal_key = await _refusal_key(scope, case, person) if action == "not_accept" and person else None
    prior = bool(refusal_key) and await scope.exists(Notice).where(Notice.dedupe_key == refusal_key)
    event_data = {**data, "prior_written_notice": prior}
    if action == "not_accept":
        event_data.setdefault("ground", case["not_accepted_ground"])
        event_data.setdefault("target", case["transfer_target"])
    view = await case_view(scope, case)
    event = CaseEventView(action=action, at=now, data=event_data, case_id=str(case["id"]))
    try:
        requests = plugins.notices(view, event)
    except PluginError:  # a broken plugin must not silence the core's own notices
        log.exception("casedesk_notices failed; queuing the core's notices only", case_id=str(case["id"]))
        requests = []
    wants = [wanted_from_request(r) for r in requests]
    wants += core_defaults(
        action,
        intake=case["channel"],
        anonymous=case["anonymous"],
        lead=view.lead_department,
        covered={w.recipient for w in wants},
    )
    if action == "escalated":
        wants += escalation_wants(list(data.get("notify") or []))
    if not wants:
        return []
    if prior:  # R7: the person already has this matter's written refusal; tell them otherwise
        wants = [
            dataclasses.replace(w, written=False) if w.recipient == "complainant" and action == "not_accept" else w
            for w in wants
        ]
    writer = _Writer(scope, plugins, case, person, tenant, action, event_data, now)
    await writer.prepare()
    for wanted in wants:
        recipients = resolve_recipients(writer.directory, wanted, case, person)
        if not recipients:
            log.debug("notice has nobody to go to", case_id=str(case["id"]), recipient=wanted.recipient, action=action)
        for recipient in recipients:
            await writer.add(wanted, recipient, refusal_key)
    return await writer.flush()


class _Writer:
    """Builds the rows of one event's notices and inserts them together."""

    def __init__(
        self,
        scope: TenantScope,
        plugins: TenantPlugins,
        case: dict[str, Any],
        person: dict[str, Any] | None,
        tenant: dict[str, Any],
        action: str,
        data: dict[str, Any],
        now: datetime,
    ) -> None:
        self.scope, self.plugins, self.case, self.person = scope, plugins, case, person
        self.tenant, self.action, self.data, self.now = tenant, action, data, now
        self.ground_kind = ground_kind_of(plugins, case) if action == "not_accept" else ""
        self.rows: list[dict[str, Any]] = []
        self.seen: set[tuple[Any, ...]] = set()
        self.contexts: dict[str, dict[str, Any]] = {}
        self.refusal_key_used = False
        self.directory: Directory
        self.overrides: dict[str, str] = {}

    async def prepare(self) -> None:
        locale = notice_locale(self.tenant.get("locale") or "zh-CN", self.case, complainant=False)
        self.directory = await Directory.load(self.scope, locale)
        self.overrides = await load_overrides(self.scope)

    async def _context(self, locale: str) -> dict[str, Any]:
        if locale not in self.contexts:
            self.contexts[locale] = await case_context(
                self.scope,
                self.case,
                self.person,
                tenant=self.tenant,
                plugins=self.plugins,
                directory=self.directory,
                locale=locale,
                action=self.action,
                data=self.data,
                now=self.now,
            )
        return self.contexts[locale]

    async def add(self, wanted: Wanted, recipient: Recipient, refusal_key: str | None) -> None:
        fallback = template_event(wanted.event or self.action, recipient.kind, ground_kind=self.ground_kind)
        template = wanted.template or fallback
        sector, _ = split_template(template, self.case["sector"])
        identity = (recipient.identity(), template)
        if identity in self.seen:
            return
        self.seen.add(identity)
        locale = notice_locale(
            self.tenant.get("locale") or "zh-CN", self.case, complainant=recipient.kind == "complainant"
        )
        context = for_recipient(await self._context(locale), recipient, confidential=bool(self.case["confidential"]))
        usable = resolvable(
            template, fallback, channel=recipient.channel, locale=locale, sector=sector, overrides=self.overrides
        )
        dedupe_key = None
        if (
            refusal_key
            and recipient.kind == "complainant"
            and recipient.channel == "letter"
            and not self.refusal_key_used
        ):
            dedupe_key, self.refusal_key_used = refusal_key, True
        self.rows.append(
            {
                "id": uuid.uuid4(),
                "case_id": self.case["id"],
                "event": self.action,
                "template": template[:128],
                "template_event": fallback,
                "sector": sector,
                "channel": recipient.channel,
                "recipient_kind": recipient.kind,
                "recipient": recipient.address[:500],
                "recipient_name": recipient.name[:200],
                "user_id": recipient.user_id,
                "locale": locale,
                "context": context,
                "written": recipient.channel == "letter",
                "state": "pending" if usable else "failed",
                "attempts": 0,
                "max_attempts": get_settings().notice_max_attempts,
                "next_attempt_at": self.now,
                "last_error": ""
                if usable
                else f"no template {template!r} for {recipient.channel}/{locale}: add one under tenant templates, "
                "then retry this notice",
                "dedupe_key": dedupe_key,
                "created_at": self.now,
                "updated_at": self.now,
            }
        )

    async def flush(self) -> list[dict[str, Any]]:
        await self.scope.insert_many(Notice, self.rows)
        return self.rows


async def _refusal_key(scope: TenantScope, case: dict[str, Any], person: dict[str, Any] | None) -> str | None:
    """``written_refusal:<person>:<matter>``; the matter is the first case of the chain of
    related cases (a later contact on the same matter links to the earlier case)."""
    if person is None:
        return None
    matter, related = case["id"], case["related_case_id"]
    for _ in range(_MAX_RELATED_HOPS):
        if not related:
            break
        row = await scope.select(Case, Case.id, Case.related_case_id).where(Case.id == related).first()
        if row is None:
            break
        matter, related = row["id"], row["related_case_id"]
    who = person_key(
        id_number=person["id_number"] or "",
        name=person["name"] or "",
        contact=person["contact"] or "",
        fallback=str(person["id"]),
    )
    return f"written_refusal:{who}:{matter}"
