"""Locale-aware filters used by notice templates."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from markupsafe import Markup

from core.notices.formatting import (
    format_date,
    format_datetime,
    format_deadline,
    format_duration,
    join_names,
    paragraphs,
)


def test_dates_in_both_locales_use_the_tenant_time_zone():
    late_evening_utc = datetime(2026, 3, 1, 17, 30, tzinfo=UTC)  # 01:30 on 2 March in Shanghai
    assert format_date(late_evening_utc, "zh-CN") == "2026年3月2日"
    assert format_date(late_evening_utc, "en") == "2 March 2026"
    assert format_date(late_evening_utc, "en", "Europe/London") == "1 March 2026"
    assert format_datetime(late_evening_utc, "zh-CN") == "2026年3月2日 01:30"
    assert format_datetime(late_evening_utc, "en") == "2 March 2026, 01:30"
    assert format_date(date(2026, 12, 31), "zh-CN") == "2026年12月31日"
    assert format_date(None, "zh-CN") == ""


def test_a_deadline_at_local_midnight_reads_as_24_00_of_the_day_before():
    due = datetime(2026, 3, 9, 16, 0, tzinfo=UTC)  # 2026-03-10 00:00 in Shanghai
    assert format_deadline(due, "zh-CN") == "2026年3月9日 24:00"
    assert format_deadline(due, "en") == "9 March 2026, 24:00"
    assert format_deadline(datetime(2026, 3, 9, 9, 0, tzinfo=UTC), "zh-CN") == "2026年3月9日 17:00"


@pytest.mark.parametrize(
    ("amount", "unit", "zh", "en"),
    [
        (60, "calendar_days", "60日", "60 days"),
        (1, "calendar_days", "1日", "1 day"),
        (3, "working_days", "3个工作日", "3 working days"),
        (2, "hours", "2小时", "2 hours"),
        (4, "working_hours", "4个工作小时", "4 working hours"),
        (30, "minutes", "30分钟", "30 minutes"),
        (None, "same_day", "当日", "the same day"),
    ],
)
def test_durations(amount, unit, zh, en):
    assert format_duration(amount, unit, "zh-CN") == zh
    assert format_duration(amount, unit, "en") == en


def test_unknown_unit_is_an_error_not_a_silent_blank():
    with pytest.raises(ValueError, match="fortnights"):
        format_duration(2, "fortnights", "en")


def test_name_lists():
    names = ["医务科", "护理部", "门诊部"]
    assert join_names(names, "zh-CN") == "医务科、护理部、门诊部"
    assert join_names(["A", "B", "C"], "en") == "A, B and C"
    assert join_names(["A", None, "B"], "en") == "A and B"


def test_paragraphs_escape_text_and_link_addresses():
    html = paragraphs('第一段 <b>粗</b> & "引号"\n第二行\n\n见 https://example.org/a?b=1&c=2。')
    assert isinstance(html, Markup)
    assert "<b>" not in html and "&lt;b&gt;" in html and "&amp;" in html
    assert html.count("<p>") == 2 and "<br>" in html
    assert '<a href="https://example.org/a?b=1&amp;c=2">' in html
    # already-safe input (a block rendered with autoescape) is not escaped twice
    assert paragraphs(Markup("a &amp; b")) == Markup("<p>a &amp; b</p>")
