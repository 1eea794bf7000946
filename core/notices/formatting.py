"""Locale-aware filters for notice templates: dates, deadlines, durations, lists, paragraphs.

Templates read ``locale`` and ``timezone`` from their context, so one filter call
(``{{ due_at|deadline }}``) prints "2026年3月9日 24:00" in a Chinese notice and
"9 March 2026, 24:00" in an English one, in the tenant's time zone. Keeping this out of the
templates is what keeps the zh-CN and en templates free of formatting logic.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape

__all__ = ["FILTERS", "format_date", "format_datetime", "format_deadline", "format_duration", "join_names"]

_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip

_UNITS = {
    "zh-CN": {
        "minutes": "{n}分钟",
        "hours": "{n}小时",
        "working_hours": "{n}个工作小时",
        "calendar_days": "{n}日",
        "working_days": "{n}个工作日",
        "same_day": "当日",
    },
    "en": {
        "minutes": "{n} minute{s}",
        "hours": "{n} hour{s}",
        "working_hours": "{n} working hour{s}",
        "calendar_days": "{n} day{s}",
        "working_days": "{n} working day{s}",
        "same_day": "the same day",
    },
}


def _zh(locale: str) -> bool:
    return locale.lower().startswith("zh")


def _local(value: datetime, tz: str) -> datetime:
    try:
        zone = ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("Asia/Shanghai")
    if value.tzinfo is None:  # treat naive values as already local rather than guess
        return value.replace(tzinfo=zone)
    return value.astimezone(zone)


def format_date(value: date | datetime | None, locale: str, tz: str = "Asia/Shanghai") -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = _local(value, tz).date()
    if _zh(locale):
        return f"{value.year}年{value.month}月{value.day}日"
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


def format_datetime(value: datetime | None, locale: str, tz: str = "Asia/Shanghai") -> str:
    if value is None:
        return ""
    local = _local(value, tz)
    sep = " " if _zh(locale) else ", "
    return f"{format_date(local.date(), locale)}{sep}{local:%H:%M}"


def format_deadline(value: datetime | None, locale: str, tz: str = "Asia/Shanghai") -> str:
    """A due time; local midnight reads as 24:00 of the previous day (statutory style)."""
    if value is None:
        return ""
    local = _local(value, tz)
    if local.time() == time(0, 0):
        day = local.date() - timedelta(days=1)
        sep = " " if _zh(locale) else ", "
        return f"{format_date(day, locale)}{sep}24:00"
    return format_datetime(local, locale, tz)


def format_duration(amount: int | None, unit: str | None, locale: str) -> str:
    if unit is None:
        return ""
    table = _UNITS["zh-CN" if _zh(locale) else "en"]
    pattern = table.get(unit)
    if pattern is None:
        raise ValueError(f"unknown time unit {unit!r}")
    n = amount if amount is not None else 0
    return pattern.format(n=n, s="" if n == 1 else "s")


def join_names(values: Iterable[Any], locale: str) -> str:
    items = [str(v) for v in values if v not in (None, "")]
    if _zh(locale):
        return "、".join(items)
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


_URL = re.compile(r"https?://[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")


def _link(match: re.Match[str]) -> str:
    url = match.group(0)
    trimmed = url.rstrip(".,;:!?)")
    # the text is already HTML-escaped, so "&" arrives as "&amp;" — also valid inside href
    return f'<a href="{trimmed}">{trimmed}</a>{url[len(trimmed) :]}'


def paragraphs(value: Any) -> Markup:
    """Plain text → ``<p>`` per blank-line-separated block, ``<br>`` for single line breaks,
    web addresses made clickable.

    Input that is already ``Markup`` (a block rendered with autoescaping) is not escaped twice.
    """
    if value is None:
        return Markup("")
    text = str(escape(value)).replace("\r\n", "\n")
    blocks = [_URL.sub(_link, b.strip()) for b in re.split(r"\n[ \t]*\n", text)]
    return Markup("\n".join(f"<p>{b.replace(chr(10), '<br>')}</p>" for b in blocks if b))


@pass_context
def _date(ctx: Context, value: date | datetime | None) -> str:
    return format_date(value, ctx.get("locale", "zh-CN"), ctx.get("timezone", "Asia/Shanghai"))


@pass_context
def _datetime(ctx: Context, value: datetime | None) -> str:
    return format_datetime(value, ctx.get("locale", "zh-CN"), ctx.get("timezone", "Asia/Shanghai"))


@pass_context
def _deadline(ctx: Context, value: datetime | None) -> str:
    return format_deadline(value, ctx.get("locale", "zh-CN"), ctx.get("timezone", "Asia/Shanghai"))


@pass_context
def _duration(ctx: Context, amount: int | None, unit: str | None) -> str:
    return format_duration(amount, unit, ctx.get("locale", "zh-CN"))


@pass_context
def _names(ctx: Context, values: Iterable[Any]) -> str:
    return join_names(values, ctx.get("locale", "zh-CN"))


FILTERS = {
    "date": _date,
    "datetime": _datetime,
    "deadline": _deadline,
    "duration": _duration,
    "names": _names,
    "paragraphs": paragraphs,
}
