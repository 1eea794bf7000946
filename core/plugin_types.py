"""The plain data a sector plugin declares: its sector, categories, fields, grounds and rules.

Everything here is a frozen msgspec Struct so that a plugin's declarations can be cached,
shared between tenants and requests without copying, encoded to JSON for the API and the docs,
and compared in tests. Plugins import these names from :mod:`core.plugin_api`, never from here.

Every human-visible text is a :class:`Names` pair (zh-CN and en): the console, the portal and
the notices pick the tenant's or the reader's locale, and nothing falls back to a code.
Every rule carries a ``source`` — the seed line it encodes (``"seed 004 L67"``), or a marker
saying it is a configurable default (``"default [CFG]: seeds silent"``) or external statute
(``"[EXT] 《信访条例》 Art. 33"``) — so an auditor can trace each number back to its text.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec
from msgspec import Meta, Struct, field

__all__ = [
    "ACTION_KINDS",
    "CLOCK_EVENTS",
    "SEVERITIES",
    "UNITS",
    "Action",
    "ActionKind",
    "AppliesTo",
    "Category",
    "Choice",
    "ClockEvent",
    "ClockRule",
    "DepartmentCode",
    "DepartmentSeed",
    "Duration",
    "EscalationLadder",
    "EscalationLevel",
    "EscalationTrigger",
    "Ground",
    "IntakeField",
    "Names",
    "NoConfig",
    "NoticeRule",
    "Preset",
    "RoleSeed",
    "RouteEntry",
    "Sector",
    "Severity",
    "Unit",
]

Unit = Literal["minutes", "hours", "working_hours", "calendar_days", "working_days", "same_day", "weeks", "months"]
"""Duration units the deadline engine understands (DESIGN "Deadlines"; spec R14)."""
UNITS: tuple[str, ...] = Unit.__args__  # type: ignore[attr-defined]

ClockEvent = Literal[
    "received",
    "accepted",
    "assigned",
    "transferred",
    "signed_for",
    "work_order_issued",
    "arrived",
    "work_order_returned",
    "replied",
    "process_ended",
    "followed_up",
    "opinion_received",
    "review_requested",
    "classified_major",
    "reported",
]
"""Named case facts a clock starts or stops on (spec R15). ``arrived`` (repairer on site),
``followed_up`` (回访 done), ``review_requested`` (复查/复核 request) and ``reported`` (the
report to a superior or supervising body is made) complete the chains the seeds describe
(001 L370, L876, L900; 004 L15)."""
CLOCK_EVENTS: tuple[str, ...] = ClockEvent.__args__  # type: ignore[attr-defined]

Severity = Literal["low", "normal", "high", "critical"]
"""The core's severity scale. Sector words map onto it: 一般/ordinary → normal,
疑难复杂/important/complex → high, 重大/major → critical."""
SEVERITIES: tuple[str, ...] = Severity.__args__  # type: ignore[attr-defined]

ActionKind = Literal[
    "notify_role",
    "notify_department_head",
    "notify_supervisor_body",
    "raise_priority",
    "mark_supervised",
    "reassign_upward",
    "set_flag",
]
ACTION_KINDS: tuple[str, ...] = ActionKind.__args__  # type: ignore[attr-defined]

Code = Annotated[str, Meta(min_length=1, max_length=64)]

DEPARTMENT_CODE_MARK = {"casedesk": "department_code"}
DepartmentCode = Annotated[
    str,
    Meta(min_length=1, max_length=64, extra=DEPARTMENT_CODE_MARK, extra_json_schema={"x-casedesk": "department-code"}),
]
"""A tenant's department code in a plugin config (a routing row's lead, a default lead…).

Plugins cannot know which departments a tenant has; annotating such config fields with this
type lets the host find them (:func:`core.plugin_departments.department_refs`) and warn a
tenant admin who saves a code the organisation does not have (yet). The JSON Schema marks
them ``"x-casedesk": "department-code"`` so a form can offer a department picker."""


class Names(Struct, frozen=True):
    """A text in both languages every console and notice needs; encodes as ``{"zh-CN", "en"}``."""

    zh_CN: str = field(name="zh-CN")
    en: str

    def get(self, locale: str) -> str:
        """The text for ``locale`` ("zh-CN", "zh", "en", "en-GB"…); Chinese unless English is asked."""
        return self.en if locale.lower().startswith("en") else self.zh_CN


class Choice(Struct, frozen=True, kw_only=True):
    """One allowed value of a ``choice`` intake field."""

    code: Code
    names: Names


class Category(Struct, frozen=True, kw_only=True):
    """A node of a sector's category tree.

    Codes are dotted paths (``medical.outpatient``): a child's code starts with its parent's
    code and a dot, so rules written for ``medical`` apply to every child, including the ones
    a tenant adds later.
    """

    code: Code
    names: Names
    children: list[Category] = []
    default_severity: Severity = "normal"
    source: str = ""


class IntakeField(Struct, frozen=True, kw_only=True):
    """A sector-specific intake field, carried in the case's free ``extra`` dict."""

    name: Code
    names: Names
    type: Literal["string", "int", "bool", "date", "datetime", "choice", "list"] = "string"
    """``list`` is a list of strings (e.g. department codes); ``choice`` one of ``choices``."""
    required: bool = False
    required_when: AppliesTo | None = None
    """Required only for matching drafts (e.g. repairs need the unit number, 001 L860)."""
    choices: list[Choice] = []
    source: str = ""


class Ground(Struct, frozen=True, kw_only=True):
    """A coded reason for refusing a case (R6).

    ``needs_target``: the refusal must name the competent body or legal route, so the notice
    can tell the complainant where to go (004 L31).
    """

    code: Code
    names: Names
    kind: Literal["not_accepted", "no_longer_accepted"] = "not_accepted"
    needs_target: bool = False
    source: str = ""


class Duration(Struct, frozen=True):
    """An amount of a unit, e.g. ``Duration(4, "working_hours")``."""

    amount: Annotated[int, Meta(ge=0)]
    unit: Unit


class AppliesTo(Struct, frozen=True, kw_only=True):
    """When a rule applies to a case. Every given criterion must hold (AND); the values
    inside one criterion are alternatives (OR). Category codes match their whole subtree.

    ``extra`` maps an intake-field name to the values that qualify; ``flags`` must all be set
    on the case (staff or trigger flags such as ``collective``); ``min_departments`` counts
    the lead plus the cooperating departments.
    """

    categories: list[str] = []
    severities: list[Severity] = []
    channels: list[str] = []
    min_departments: int | None = None
    extra: dict[str, list[Any]] = {}
    flags: list[str] = []


class ClockRule(Struct, frozen=True, kw_only=True):
    """A deadline the deadline engine runs for a case (spec R14–R17).

    The clock starts on ``start_event`` and is met by ``stop_event`` (``None``: a window
    that simply lapses, e.g. an objection period). ``kind="target"`` is a goal shown beside
    the hard ``"limit"`` (001 L878: "力争在2小时内完成,不得超过24小时"). ``roll_forward``
    moves a due day that falls on a holiday to the next working day (民法典 Art. 203).
    ``extension_cap`` is the most an approved extension may add; ``on_resume`` says whether
    a paused clock continues or restarts (001 L432). ``statutory`` marks external law [EXT].
    ``same_day`` ignores ``amount`` and ends at the close of the start day.
    """

    key: Code
    names: Names
    amount: Annotated[int, Meta(ge=0)]
    unit: Unit
    start_event: ClockEvent
    stop_event: ClockEvent | None = None
    warn_before: Duration | None = None
    roll_forward: bool = False
    applies_to: AppliesTo | None = None
    source: str = ""
    statutory: bool = False
    kind: Literal["limit", "target"] = "limit"
    extension_cap: Duration | None = None
    on_resume: Literal["continue", "restart"] = "continue"


class Action(Struct, frozen=True, kw_only=True):
    """What an escalation does. ``role`` is required for ``notify_role``, ``flag`` for ``set_flag``."""

    kind: ActionKind
    role: str | None = None
    flag: str | None = None

    def __post_init__(self) -> None:
        if self.kind == "notify_role" and not self.role:
            raise ValueError("notify_role needs a role")
        if self.kind == "set_flag" and not self.flag:
            raise ValueError("set_flag needs a flag")


class EscalationLevel(Struct, frozen=True, kw_only=True):
    """One rung of a ladder: at ``offset`` before, at or after the clock's due time."""

    offset_amount: Annotated[int, Meta(ge=0)] = 0
    offset_unit: Unit = "minutes"
    relative: Literal["before_due", "at_due", "after_due"] = "at_due"
    actions: list[Action]


class EscalationLadder(Struct, frozen=True, kw_only=True):
    """Levels fired in order against the clock ``clock_key``, each at most once (R18)."""

    clock_key: Code
    levels: list[EscalationLevel]
    source: str = ""


class EscalationTrigger(Struct, frozen=True, kw_only=True):
    """An event-driven escalation (R19), evaluated whenever the case's facts change.

    ``kind`` picks the fact compared: ``severity`` (case severity in ``severities``),
    ``group_size`` (≥ ``threshold``), ``repeat`` (receptions of the matter ≥ ``threshold``),
    ``keyword`` (any of ``keywords`` in subject or description), ``special_person``
    (``extra["special_person"]`` in ``special``), ``departments`` (lead + cooperating ≥
    ``threshold``), ``category`` (case category within ``categories``), ``flag`` (``flag``
    set on the case or true in ``extra``), ``amount`` (``extra[field]`` ≥ ``threshold``).
    ``categories``, when given with another kind, narrows it. :func:`core.plugin_api.trigger_matches`
    is the reference evaluation.
    """

    key: Code
    names: Names
    kind: Literal[
        "severity",
        "group_size",
        "repeat",
        "keyword",
        "special_person",
        "departments",
        "category",
        "flag",
        "amount",
    ]
    actions: list[Action]
    threshold: int | None = None
    keywords: list[str] = []
    severities: list[Severity] = []
    categories: list[str] = []
    special: list[str] = []
    flag: str | None = None
    field: str | None = None
    source: str = ""


class NoticeRule(Struct, frozen=True, kw_only=True):
    """A declared notice: on ``event`` (a core action such as ``not_accept``), queue
    ``template`` for ``recipient``. ``recipient`` may say ``department:{lead}`` for the case's
    lead department. ``written``: ``always``, ``never`` or ``as_intake`` (written when the
    case came in writing — letter or transfer-in, 001 L24, L952). ``skip_anonymous``: no
    outcome notice to anonymous complainants (002 L77)."""

    event: str
    recipient: str
    template: str
    written: Literal["always", "never", "as_intake"] = "as_intake"
    channel: str | None = None
    applies_to: AppliesTo | None = None
    skip_anonymous: bool = True
    source: str = ""


class RouteEntry(Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    """One row of a routing table (config): the lead department and the cooperating ones."""

    lead: DepartmentCode
    cooperating: list[DepartmentCode] = []
    source: str = ""


class DepartmentSeed(Struct, frozen=True, kw_only=True):
    """A department a new tenant of the sector starts with (editable afterwards)."""

    code: Code
    names: Names
    parent: str | None = None
    source: str = ""


class RoleSeed(Struct, frozen=True, kw_only=True):
    """A position that escalations and notices address as ``role:<code>`` (e.g. 值班领导)."""

    code: Code
    names: Names
    source: str = ""


class Preset(Struct, frozen=True, kw_only=True):
    """A named set of config overrides a tenant admin can apply in one go (e.g. rule C1)."""

    names: Names
    overrides: dict[str, Any]
    departments: list[DepartmentSeed] = []
    source: str = ""


class NoConfig(Struct, frozen=True, forbid_unknown_fields=True):
    """The config of a plugin that has nothing to configure."""


class Sector(Struct, frozen=True, kw_only=True):
    """What a sector plugin provides (``casedesk_sectors``).

    ``config_schema`` is the plugin's config Struct class: every field has a default, unknown
    keys are rejected (``forbid_unknown_fields=True``) and constraints are ``msgspec.Meta``.
    ``departments`` and ``roles`` seed a demo or new tenant; ``channels`` are the intake
    channels the sector uses; ``presets`` are alternative rule sets from other seed documents.
    """

    key: Code
    names: Names
    categories: list[Category]
    intake_fields: list[IntakeField] = []
    grounds: list[Ground] = []
    config_schema: type = NoConfig
    departments: list[DepartmentSeed] = []
    roles: list[RoleSeed] = []
    channels: list[str] = []
    presets: dict[str, Preset] = {}

    def config_defaults(self) -> Any:
        """The config with every default: what a tenant gets before any override."""
        return self.config_schema()

    def json_schema(self) -> dict[str, Any]:
        """The JSON Schema of the config, for forms and the plugin listing."""
        return msgspec.json.schema(self.config_schema)
