"""Which notices a case event gets and how each one reaches its recipient — the core's rules.

Pure functions over plain values, so the rules can be read and tested without a database:

* **Core defaults (R25).** Every lifecycle step tells someone: the receipt to the complainant on
  registration, the decision on acceptance, refusal, transfer (and the receiving body), the
  assignment to the lead department, the result on reply, the reopening to the lead department.
  A default is dropped when a plugin already addresses the same recipient for the event: the
  sector knows its wording, and two notices saying the same thing would confuse.
* **Anonymity (R3, 002 L77).** An anonymous complainant gets a receipt when they left a contact,
  never an outcome notice from the core, and never anything without a contact.
* **Channel (R25, 001 L24, L952).** Writing required → a letter. Otherwise the intake channel
  where the contact allows it (e-mail in → e-mail out, phone/hotline → SMS, an integration → its
  webhook), then any configured electronic channel the contact fits, and last the portal inbox
  the complainant reads with the tracking code and PIN — a channel the tenant has not
  configured is skipped instead of producing a notice that can only fail.
* **Templates.** A plugin names ``<sector>/<name>``; the core event template for the action and
  the recipient (``replied`` for the complainant, ``reply_to_source`` for a forwarding body,
  ``case_update`` for staff …) is the fallback, so a sector names its documents without having
  to ship a file for each.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from core.plugin_io import NoticeRequest
from core.plugin_rules import WRITTEN_CHANNELS

__all__ = [
    "ACTION_TEMPLATES",
    "ELECTRONIC",
    "EVENT_NAMES",
    "Wanted",
    "complainant_route",
    "contact_kind",
    "core_defaults",
    "escalation_wants",
    "person_key",
    "template_event",
    "wanted_from_request",
]

ACTION_TEMPLATES = {
    "register": "registered",
    "accept": "accepted",
    "not_accept": "not_accepted",
    "transfer": "transferred",
    "assign": "assigned",
    "reply": "replied",
    "reopen": "reopened",
    "escalated": "escalated",
    "extend": "extended",
    "request_materials": "materials_requested",
    "follow_up": "follow_up",
}
"""Core action → the complainant-facing event template."""
_STAFF_TEMPLATES = {
    "assign": "assigned",
    "reopen": "reopened",
    "escalated": "escalated",
    "transfer": "transferred_receiver",
}
OUTCOME_ACTIONS = frozenset({"accept", "not_accept", "transfer", "reply", "reopen", "close"})
ELECTRONIC = ("email", "sms", "webhook")
EVENT_NAMES: dict[str, tuple[str, str]] = {
    "register": ("登记", "registered"),
    "accept": ("受理", "accepted"),
    "not_accept": ("作出不予受理决定", "refused"),
    "transfer": ("转送", "transferred"),
    "assign": ("交办", "assigned"),
    "start": ("开始办理", "taken up"),
    "reply": ("答复", "answered"),
    "close": ("办结", "closed"),
    "reopen": ("重新办理", "reopened"),
    "archive": ("归档", "archived"),
    "escalated": ("升级督办", "escalated"),
}
"""Past-participle names of steps for the staff ``case_update`` template (zh-CN, en)."""

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[0-9][0-9 -]{4,19}$")


@dataclass(frozen=True, slots=True)
class Wanted:
    """A notice someone asked for, before its recipient is resolved into addresses.

    ``recipient``: ``complainant``, ``forwarding_body``, ``role:<code>``, ``department:<code>``,
    or the core-internal ``supervisors`` and ``department_head:<department id>`` (escalations).
    ``template``: ``<sector>/<name>``, a bare name, or empty for the core event template
    (:func:`template_event`: it depends on the recipient and, for refusals, on the ground).
    """

    event: str
    recipient: str
    template: str
    channel: str | None = None
    written: bool = False
    escalation: bool = False


def wanted_from_request(request: NoticeRequest) -> Wanted:
    return Wanted(
        event=request.event,
        recipient=request.recipient,
        template=request.template,
        channel=request.channel,
        written=request.written,
    )


def core_defaults(action: str, *, intake: str, anonymous: bool, lead: str | None, covered: set[str]) -> list[Wanted]:
    """The core's notices for ``action`` whose recipients no plugin request ``covered``;
    ``lead`` is the lead department's code (staff defaults need one)."""
    written = intake in WRITTEN_CHANNELS
    out: list[Wanted] = []
    if action == "register":
        out.append(Wanted(action, "complainant", ""))  # a receipt, never a letter
    elif action in ("accept", "not_accept", "transfer", "reply"):
        out.append(Wanted(action, "complainant", "", written=written))
    if action == "transfer":
        out.append(Wanted(action, "forwarding_body", "", written=True))
    if action in ("assign", "reopen") and lead:
        out.append(Wanted(action, f"department:{lead}", ""))
    if anonymous:
        out = [w for w in out if not (w.recipient == "complainant" and action in OUTCOME_ACTIONS)]
    return [w for w in out if w.recipient not in covered]


def escalation_wants(notify: list[dict[str, object]]) -> list[Wanted]:
    """``data["notify"]`` of an ``escalated`` event (``core.escalation.plan_actions``) as wants.

    ``role`` → holders of the role (supervisors when nobody holds it: an escalation must reach
    a person); ``department_head`` and ``reassign_upward`` → the supervisors of the lead
    department (a person decides on moving the case); ``supervisor_body`` → the supervisors.
    """
    out: list[Wanted] = []
    for entry in notify:
        kind = entry.get("kind")
        if kind == "role" and entry.get("role"):
            recipient = f"role:{entry['role']}"
        elif kind in ("department_head", "reassign_upward") and entry.get("department_id"):
            recipient = f"department_head:{entry['department_id']}"
        else:
            recipient = "supervisors"
        out.append(Wanted("escalated", recipient, "", escalation=True))
    return out


def template_event(action: str, recipient_kind: str, *, ground_kind: str = "") -> str:
    """The core event template a notice falls back to, by action and kind of recipient."""
    if recipient_kind == "complainant":
        if action == "not_accept" and ground_kind == "no_longer_accepted":
            return "no_longer_accepted"
        return ACTION_TEMPLATES.get(action, "case_update")
    if recipient_kind == "forwarding_body":
        return "transferred_receiver" if action == "transfer" else "reply_to_source"
    return _STAFF_TEMPLATES.get(action, "case_update")


def contact_kind(contact: str) -> str | None:
    """``email``, ``phone`` or None: what a free-text contact field can be used for."""
    value = contact.strip()
    if _EMAIL.match(value):
        return "email"
    if _PHONE.match(value):
        return "phone"
    return None


def complainant_route(
    *, intake: str, contact: str, address: str, requested: str | None, written: bool, configured: set[str]
) -> tuple[str, str]:
    """``(channel, address)`` for a complainant notice (rules in the module docstring)."""
    if written or requested == "letter":
        return "letter", address
    kind = contact_kind(contact)
    reachable = {"email": contact.strip() if kind == "email" else "", "sms": contact.strip() if kind == "phone" else ""}
    order: list[str] = [requested] if requested else []
    order += {"email": ["email"], "phone": ["sms"], "hotline": ["sms"], "api": ["webhook"]}.get(intake, [])
    order += ["email", "sms"]
    for channel in order:
        if channel == "in_app":
            break
        if channel not in configured:
            continue
        if channel == "webhook":
            return "webhook", ""
        if reachable.get(channel):
            return channel, reachable[channel]
    return "in_app", ""


def person_key(*, id_number: str, name: str, contact: str, fallback: str) -> str:
    """A stable, non-reversible key of a person across cases (R7: one written notice per person
    and matter). An identity number identifies best; else name and contact together."""
    if id_number.strip():
        basis = "id:" + id_number.strip().upper()
    elif name.strip() and contact.strip():
        basis = "nc:" + name.strip() + "|" + contact.strip().lower()
    else:
        return "p:" + fallback
    return hashlib.sha256(basis.encode()).hexdigest()[:32]
