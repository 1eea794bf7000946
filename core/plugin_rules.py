"""Table-driven helpers every sector plugin shares (so no plugin copies another's mechanics).

A plugin declares data — category trees, routing tables keyed by category, clock rules with
``applies_to``, triggers, notice rules — and these functions evaluate it against a case.
The deadline and escalation engines use the same functions, so "does this rule apply?" has
one answer everywhere. All functions are pure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, TypeVar

from core.plugin_errors import TransitionVetoed
from core.plugin_io import CaseEventView, CaseView, IntakeDraft, NoticeRequest, Problem
from core.plugin_types import (
    Action,
    AppliesTo,
    Category,
    ClockRule,
    EscalationTrigger,
    IntakeField,
    Names,
    NoticeRule,
)

__all__ = [
    "WRITTEN_CHANNELS",
    "applicable",
    "applies",
    "check_intake_fields",
    "clock",
    "count_section",
    "find_category",
    "in_subtree",
    "iter_categories",
    "lookup_by_category",
    "notices_from_rules",
    "problem",
    "require_checklist",
    "trigger",
    "trigger_matches",
]

V = TypeVar("V")
R = TypeVar("R", bound=ClockRule)

WRITTEN_CHANNELS = frozenset({"letter", "transfer-in", "fax"})
"""Channels whose answer must be written: written → written (001 L952), 上级交办 → written (001 L24)."""


def clock(
    key: str, names: Names, amount: int, unit: str, start: str, stop: str | None = None, source: str = "", **kw: Any
) -> ClockRule:
    """Shorthand for a :class:`ClockRule`, reading like a row of a seed's deadline table."""
    return ClockRule(
        key=key,
        names=names,
        amount=amount,
        unit=unit,
        start_event=start,
        stop_event=stop,  # type: ignore[arg-type]
        source=source,
        **kw,
    )


def trigger(key: str, names: Names, kind: str, actions: list[Action], source: str = "", **kw: Any) -> EscalationTrigger:
    """Shorthand for an :class:`EscalationTrigger`."""
    return EscalationTrigger(key=key, names=names, kind=kind, actions=actions, source=source, **kw)  # type: ignore[arg-type]


def in_subtree(code: str, prefixes: Iterable[str]) -> bool:
    """True when ``code`` is one of ``prefixes`` or a descendant (``medical.outpatient`` is in
    ``medical``)."""
    return any(code == p or code.startswith(p + ".") for p in prefixes)


def lookup_by_category(table: Mapping[str, V], code: str) -> V | None:
    """The entry for the most specific category in ``table`` covering ``code`` (longest prefix)."""
    parts = code.split(".")
    for end in range(len(parts), 0, -1):
        hit = table.get(".".join(parts[:end]))
        if hit is not None:
            return hit
    return None


def iter_categories(categories: Iterable[Category]) -> Iterator[Category]:
    """Every node of the tree, parents before children, in display order."""
    for cat in categories:
        yield cat
        yield from iter_categories(cat.children)


def find_category(categories: Iterable[Category], code: str) -> Category | None:
    """The node with ``code`` anywhere in the tree, or ``None``."""
    return next((c for c in iter_categories(categories) if c.code == code), None)


def _departments(case: Any) -> int:
    fn = getattr(case, "departments_involved", None)
    return fn() if callable(fn) else 1


def applies(rule: AppliesTo | None, case: CaseView | IntakeDraft) -> bool:
    """Whether ``case`` meets ``rule`` (``None`` applies to every case)."""
    if rule is None:
        return True
    if rule.categories and not in_subtree(case.category, rule.categories):
        return False
    if rule.severities and case.severity not in rule.severities:
        return False
    if rule.channels and case.channel not in rule.channels:
        return False
    if rule.min_departments is not None and _departments(case) < rule.min_departments:
        return False
    for name, allowed in rule.extra.items():
        if case.extra.get(name) not in allowed:
            return False
    flags = set(getattr(case, "flags", ()))
    return all(f in flags or case.extra.get(f) is True for f in rule.flags)


def applicable(rules: Iterable[R], case: CaseView) -> list[R]:
    """The rules that apply to ``case``, one per key: the first applicable rule of a key wins,
    so a plugin lists its special cases before the general one (e.g. "complex: 5 WD" before
    "written: 2 WD")."""
    seen: set[str] = set()
    out: list[R] = []
    for rule in rules:
        if rule.key not in seen and applies(rule.applies_to, case):
            seen.add(rule.key)
            out.append(rule)
    return out


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def trigger_matches(trigger: EscalationTrigger, case: CaseView) -> bool:
    """The reference evaluation of a trigger against the case's current facts."""
    if trigger.categories and trigger.kind != "category" and not in_subtree(case.category, trigger.categories):
        return False
    threshold = trigger.threshold if trigger.threshold is not None else 1
    match trigger.kind:
        case "severity":
            return case.severity in trigger.severities
        case "group_size":
            return case.group_size >= threshold
        case "repeat":
            return case.receptions >= threshold
        case "keyword":
            text = f"{case.subject}\n{case.description}"
            return any(k and k in text for k in trigger.keywords)
        case "special_person":
            return case.extra.get("special_person") in trigger.special
        case "departments":
            return case.departments_involved() >= threshold
        case "category":
            return in_subtree(case.category, trigger.categories)
        case "flag":
            return bool(trigger.flag) and (trigger.flag in case.flags or case.extra.get(trigger.flag) is True)
        case "amount":
            value = _number(case.extra.get(trigger.field or ""))
            return value is not None and value >= threshold
    return False  # pragma: no cover - Literal exhausted


def problem(field: str, code: str, zh: str, en: str) -> Problem:
    """Shorthand for a :class:`Problem` with its message in both languages."""
    return Problem(field=field, code=code, message=Names(zh, en))


def _type_ok(spec: IntakeField, value: Any) -> bool:
    match spec.type:
        case "string":
            return isinstance(value, str)
        case "int":
            return isinstance(value, int) and not isinstance(value, bool)
        case "bool":
            return isinstance(value, bool)
        case "choice":
            return value in {c.code for c in spec.choices}
        case "list":
            return isinstance(value, list) and all(isinstance(v, str) for v in value)
        case "date" | "datetime":
            if isinstance(value, dt.date):
                return spec.type == "date" or isinstance(value, dt.datetime)
            if not isinstance(value, str):
                return False
            try:
                parsed = dt.datetime.fromisoformat(value)
            except ValueError:
                return False
            return spec.type == "date" or parsed.tzinfo is not None
    return False  # pragma: no cover


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def check_intake_fields(
    fields: Iterable[IntakeField],
    extra: Mapping[str, Any],
    *,
    required: Iterable[str] | None = None,
    draft: IntakeDraft | CaseView | None = None,
) -> list[Problem]:
    """Check ``extra`` against declared intake fields: presence of required ones and types.

    A field is required when ``required`` is set, or when ``draft`` is given and matches its
    ``required_when``. ``required`` (the argument) replaces both when a tenant's config decides
    which fields are mandatory.
    """
    must = set(required) if required is not None else None

    def needed(spec: IntakeField) -> bool:
        if must is not None:
            return spec.name in must
        return spec.required or (
            spec.required_when is not None and draft is not None and applies(spec.required_when, draft)
        )

    problems: list[Problem] = []
    for spec in fields:
        path = f"extra.{spec.name}"
        value = extra.get(spec.name)
        if _blank(value):
            if needed(spec):
                problems.append(problem(path, "required", f"请填写{spec.names.zh_CN}", f"{spec.names.en} is required"))
            continue
        if not _type_ok(spec, value):
            want = "/".join(c.code for c in spec.choices) if spec.type == "choice" else spec.type
            problems.append(
                problem(
                    path,
                    "invalid",
                    f"{spec.names.zh_CN}格式不正确(应为 {want})",
                    f"{spec.names.en} must be {want}",
                )
            )
    return problems


def notices_from_rules(rules: Iterable[NoticeRule], case: CaseView, event: CaseEventView) -> list[NoticeRequest]:
    """Turn declared notice rules into requests for this event."""
    out: list[NoticeRequest] = []
    for rule in rules:
        if rule.event != event.action or not applies(rule.applies_to, case):
            continue
        if rule.recipient == "complainant" and rule.skip_anonymous and case.anonymous:
            continue
        recipient = rule.recipient.replace("{lead}", case.lead_department or "")
        if recipient.endswith(":"):
            continue  # no lead department yet: nobody to address
        written = rule.written == "always" or (rule.written == "as_intake" and case.channel in WRITTEN_CHANNELS)
        out.append(
            NoticeRequest(
                event=event.action,
                recipient=recipient,
                template=rule.template,
                channel=rule.channel,
                written=written,
            )
        )
    return out


def require_checklist(event: CaseEventView, items: Iterable[str], reason: Names) -> None:
    """Veto the transition unless every checklist item is truthy in ``event.data``."""
    missing = [item for item in items if not event.data.get(item)]
    if missing:
        raise TransitionVetoed(reason, missing=missing)


def count_section(
    key: str, title: Names, cases: Iterable[CaseView], label: Mapping[str, Names], of: Any, source: str = ""
) -> dict[str, Any]:
    """A report section counting ``cases`` by ``of(case)`` (a code, or ``None`` to skip),
    labelled with ``label``. The plain-dict shape every ``casedesk_report_sections`` returns."""
    counts: dict[str, int] = {}
    for case in cases:
        code = of(case)
        if code is not None:
            counts[code] = counts.get(code, 0) + 1
    rows = [
        {
            "code": code,
            "label": {"zh-CN": label[code].zh_CN, "en": label[code].en}
            if code in label
            else {"zh-CN": code, "en": code},
            "value": n,
        }
        for code, n in sorted(counts.items())
    ]
    return {"key": key, "title": {"zh-CN": title.zh_CN, "en": title.en}, "rows": rows, "source": source}
