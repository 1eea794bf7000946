"""Text shown to people, in zh-CN and en, and picking the language of a request."""

from __future__ import annotations

__all__ = ["LOCALES", "negotiate_locale", "status_label", "t"]

LOCALES = ("zh-CN", "en")

MESSAGES: dict[str, dict[str, str]] = {
    "status.registered": {"zh-CN": "已登记", "en": "Registered"},
    "status.accepted": {"zh-CN": "已受理", "en": "Accepted"},
    "status.not_accepted": {"zh-CN": "不予受理", "en": "Not accepted"},
    "status.transferred": {"zh-CN": "已转送", "en": "Transferred"},
    "status.assigned": {"zh-CN": "已交办", "en": "Assigned"},
    "status.in_progress": {"zh-CN": "办理中", "en": "In progress"},
    "status.replied": {"zh-CN": "已答复", "en": "Replied"},
    "status.closed": {"zh-CN": "已办结", "en": "Closed"},
    "status.reopened": {"zh-CN": "重新办理", "en": "Reopened"},
    "status.archived": {"zh-CN": "已归档", "en": "Archived"},
}


def t(key: str, locale: str) -> str:
    entry = MESSAGES.get(key)
    if entry is None:
        return key
    return entry.get(locale) or entry["zh-CN"]


def status_label(status: str, locale: str) -> str:
    return t(f"status.{status}", locale)


def negotiate_locale(accept_language: str | None, default: str = "zh-CN") -> str:
    """Pick zh-CN or en from an Accept-Language header (quality values honoured)."""
    if not accept_language:
        return default
    choices: list[tuple[float, int, str]] = []
    for i, part in enumerate(accept_language.split(",")):
        lang, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        lang = lang.strip().lower()
        if lang.startswith("zh"):
            choices.append((q, -i, "zh-CN"))
        elif lang.startswith("en"):
            choices.append((q, -i, "en"))
    choices = [c for c in choices if c[0] > 0]
    return max(choices)[2] if choices else default
