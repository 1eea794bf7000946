"""Every hook a casedesk plugin may implement. The docstrings are the reference documentation
(``python -m core.plugin_docs > docs/hook_reference.md``).

How the host calls hooks (``core.plugins.TenantPlugins``):

* Only the tenant's **enabled** plugins are called, and each implementation receives a
  ``tenant`` whose ``config`` is **its own** effective config.
* Case-bound hooks (everything taking ``case`` or ``draft``) are called only on plugins that
  provide the case's sector, or on cross-cutting plugins that provide no sector at all.
* Hooks are synchronous and decide from the data they are given; the core does the I/O.
  ``casedesk_case_event`` and ``casedesk_report_sections`` may instead return an awaitable
  (or a function returning one), which the core awaits. firstresult hooks never may.
* A plugin that raises, or returns something off-contract, is contained: the host raises
  ``PluginError(plugin=…, hook=…)`` and logs it with the tenant id; other plugins and other
  tenants are unaffected. ``TransitionVetoed`` is not an error: it passes through.
* Implementations may accept any subset of a hook's arguments, in any order (pluggy).
  New-style wrappers (``@hookimpl(wrapper=True)``) are supported; old-style
  ``hookwrapper=True`` is not.
"""

from __future__ import annotations

from typing import Any

from core.plugin_api import hookspec
from core.plugin_io import (
    AcceptanceDecision,
    CaseEventView,
    CaseView,
    IntakeDraft,
    NoticeRequest,
    Problem,
    ReportPeriod,
    Route,
    TenantContext,
)
from core.plugin_types import ClockRule, EscalationLadder, EscalationTrigger, Sector

__all__ = [
    "ORDER",
    "casedesk_acceptance",
    "casedesk_case_event",
    "casedesk_clocks",
    "casedesk_escalations",
    "casedesk_notices",
    "casedesk_report_sections",
    "casedesk_route",
    "casedesk_sectors",
    "casedesk_validate_intake",
]

ORDER = (
    "casedesk_sectors",
    "casedesk_validate_intake",
    "casedesk_acceptance",
    "casedesk_route",
    "casedesk_clocks",
    "casedesk_escalations",
    "casedesk_notices",
    "casedesk_case_event",
    "casedesk_report_sections",
)
"""The hooks in lifecycle order (the order of the reference documentation)."""


@hookspec
def casedesk_sectors() -> list[Sector] | Sector:
    """Declare the sector(s) this plugin provides.

    Called once when the plugin manager loads (not per tenant). Return a :class:`Sector` or a
    list of them; the sector key should equal the plugin's entry-point name. A cross-cutting
    plugin (audit, export…) simply does not implement this hook.

    :return: the sector: key, names (zh-CN, en), category tree, intake fields, refusal
        grounds, config schema (a frozen msgspec Struct with defaults), default departments,
        roles, channels and presets.

    Example::

        @hookimpl
        def casedesk_sectors():
            return Sector(key="bank", names=Names("银行", "Bank"), categories=CATEGORIES,
                          config_schema=BankConfig, departments=DEPARTMENTS)
    """


@hookspec
def casedesk_validate_intake(tenant: TenantContext, sector: str, draft: IntakeDraft) -> list[Problem] | None:
    """Check a case before it is registered; the problems are shown to whoever enters it.

    Called for every intake (portal, API, registrar) after the core's own shape checks.
    All plugins' problems are collected; any problem stops the registration (422 listing
    each ``field``). ``sector`` is ``draft.sector``, given separately for readability.

    :param tenant: the tenant, with this plugin's effective config.
    :param sector: the sector key of the draft.
    :param draft: what was entered; sector fields live in ``draft.extra``.
    :return: a list of :class:`Problem` (empty or ``None`` when all is well).

    Example::

        @hookimpl
        def casedesk_validate_intake(tenant, draft):
            problems = check_intake_fields(INTAKE_FIELDS, draft.extra)
            if draft.channel == "visit" and draft.complainant is None:
                problems.append(problem("complainant", "required", "请登记来访人基本情况",
                                        "Register the visitor's details"))
            return problems
    """


@hookspec(firstresult=True)
def casedesk_acceptance(tenant: TenantContext, case: CaseView) -> AcceptanceDecision | None:
    """Decide whether a registered case is accepted (受理), refused, or left to staff.

    firstresult: the first non-``None`` answer wins. Called when a case is registered and
    again when the facts it depends on change. Return ``None`` to have no opinion (the core
    then leaves the decision to staff). A refusal names a ground code of the sector (or a
    core ground) and, when the ground ``needs_target``, the body or legal route.

    :return: :class:`AcceptanceDecision` or ``None``. Must not be awaitable.

    Example::

        @hookimpl
        def casedesk_acceptance(tenant, case):
            if case.extra.get("review_status") == "review_concluded":   # seed 004 L15
                return AcceptanceDecision(decision="refuse", ground="NA1", reason="复核终结")
            return None
    """


@hookspec(firstresult=True)
def casedesk_route(tenant: TenantContext, case: CaseView) -> Route | None:
    """Propose the lead department and cooperating departments for a case.

    firstresult. Called when a case is accepted (and on re-routing). Department codes are
    the tenant's department codes (the sector's ``departments`` seed them). Staff may change
    the proposal; ``reason`` explains it in the console and timeline.

    :return: :class:`Route` or ``None`` (no proposal). Must not be awaitable.

    Example::

        @hookimpl
        def casedesk_route(tenant, case):
            entry = lookup_by_category(tenant.config.routing, case.category)
            return Route(lead=entry.lead, cooperating=entry.cooperating, reason="seed 001 L34")
    """


@hookspec
def casedesk_clocks(tenant: TenantContext, case: CaseView) -> list[ClockRule] | None:
    """The clocks that apply to the case now.

    Called when a case is registered and whenever its category, severity, channel or
    departments change; the deadline engine starts, keeps or re-times clocks by ``key``.
    Amounts come from the tenant's config, so a tenant changing a number changes new clocks
    (a running clock keeps the config version it started with, R33).

    :return: a list of :class:`ClockRule` (use :func:`applicable` to filter by
        ``applies_to``). Must not be awaitable.

    Example::

        @hookimpl
        def casedesk_clocks(tenant, case):
            d = tenant.config.deadlines
            return [ClockRule(key="notify", names=Names("通知维修", "Notify maintenance"),
                              amount=d.notify_minutes, unit="minutes", start_event="accepted",
                              stop_event="work_order_issued", source="seed 001 L862")]
    """


@hookspec
def casedesk_escalations(tenant: TenantContext, case: CaseView) -> list[EscalationLadder | EscalationTrigger] | None:
    """Escalation ladders (against clocks) and event triggers (against case facts).

    Called with the clocks. Ladders fire their levels before/at/after a clock's due time,
    each level once and in order (R18). Triggers are re-evaluated whenever the case's facts
    change (:func:`trigger_matches` is the reference evaluation, R19).

    :return: a list of :class:`EscalationLadder` and :class:`EscalationTrigger`. Must not
        be awaitable.

    Example::

        @hookimpl
        def casedesk_escalations(tenant, case):
            return [EscalationLadder(clock_key="arrival", levels=[
                EscalationLevel(relative="at_due", actions=[notify_role("maintenance_supervisor")])])]
    """


@hookspec
def casedesk_notices(tenant: TenantContext, case: CaseView, event: CaseEventView) -> list[NoticeRequest] | None:
    """Notices to queue for a lifecycle event, in the same transaction as the event (R25).

    Called after a transition is recorded. ``event.action`` is the core action
    (``not_accept``, ``transfer``, ``assign``, ``reply``, ``close``…). The core renders
    ``templates/notices/<template>`` in the recipient's locale and keeps one written notice
    per (person, matter) when the event data says one was already issued (004 L33).

    :return: a list of :class:`NoticeRequest` (:func:`notices_from_rules` builds them from
        declared :class:`NoticeRule` data). Must not be awaitable.

    Example::

        @hookimpl
        def casedesk_notices(tenant, case, event):
            return notices_from_rules(NOTICE_RULES, case, event)
    """


@hookspec
def casedesk_case_event(tenant: TenantContext, case: CaseView, event: CaseEventView) -> Any:
    """React to a lifecycle event — or veto it.

    Called *before* the transition commits, inside its transaction, with ``case`` as it is
    before the change and ``event`` describing it (``event.data`` carries the action's
    details, e.g. the closure checklist). Raising :class:`TransitionVetoed` aborts the
    transition (409 with the reason and the missing items); a ``wrapper=True``
    implementation may veto before or after the others ran. The return value is ignored,
    except that an awaitable is awaited (this hook may do I/O that way).

    Example::

        @hookimpl
        def casedesk_case_event(tenant, case, event):
            if event.action == "close":                     # seed 004 L63, L93
                require_checklist(event, ["unit_seal", "leader_signature"],
                                  Names("办结材料不全", "Closure documents incomplete"))
    """


@hookspec
def casedesk_report_sections(tenant: TenantContext, period: ReportPeriod) -> list[dict[str, Any]] | None:
    """Sector-specific report sections for a period (R30).

    Called by the report job with the tenant's cases of the period. Each section is a plain
    dict: ``{"key", "title": {"zh-CN", "en"}, "rows": [{"code", "label", "value"}],
    "source"}`` (:func:`count_section` builds one). May return an awaitable.

    Example::

        @hookimpl
        def casedesk_report_sections(tenant, period):
            return [count_section("by_category", Names("按类别", "By category"), period.cases,
                                  LABELS, lambda c: c.category, source="seed 003 L58")]
    """
