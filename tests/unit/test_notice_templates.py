"""Built-in notice templates: coverage, lookup chain, parts, escaping and wording."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from jinja2 import meta

from core.notices import (
    EVENTS,
    LOCALES,
    NoticeContext,
    NoticeTemplateError,
    NoticeTemplates,
    TemplateNotFoundError,
    render_notice,
    sample_context,
)
from core.notices.formatting import format_date
from core.notices.templating import TEMPLATE_ROOT

COMPLAINANT_LETTERS = ("accepted", "not_accepted", "no_longer_accepted", "transferred",
                       "materials_requested", "extended", "replied")  # fmt: skip
# The channels each event has built-in templates for (in_app and webhook reuse e-mail).
COVERAGE = {
    "registered": ("email", "sms"),
    **{event: ("email", "sms", "letter") for event in COMPLAINANT_LETTERS},
    "transferred_receiver": ("email", "letter"),
    "assigned": ("email", "sms", "letter"),
    "follow_up": ("email", "sms"),
    "escalated": ("email", "sms"),
    "reopened": ("email", "sms"),
    "reply_to_source": ("email", "letter"),
    "case_update": ("email",),
}
SECTOR_TEMPLATES = [
    ("gov_petition", "not_accepted", "letter"),
    ("gov_petition", "no_longer_accepted", "letter"),
    ("gov_petition", "replied", "letter"),
    ("hospital", "replied", "email"),
    ("hospital", "replied", "letter"),
    ("property", "accepted", "email"),
    ("property", "accepted", "sms"),
]
ALL_RENDERS = [
    (event, channel, locale, "default")
    for event, channels in COVERAGE.items()
    for channel in (*channels, "in_app", "webhook")
    for locale in LOCALES
] + [(event, channel, locale, sector) for sector, event, channel in SECTOR_TEMPLATES for locale in LOCALES]


def test_every_event_has_templates_in_both_locales():
    assert set(COVERAGE) == set(EVENTS)
    engine = NoticeTemplates()
    for event, channels in COVERAGE.items():
        expected = {*channels, "in_app", "webhook"}
        assert set(engine.channels_for(event, "en")) == expected
        assert set(engine.channels_for(event, "zh-CN", "gov_petition")) == expected
    for event, channels in COVERAGE.items():
        for channel in channels:
            for locale in LOCALES:
                assert (TEMPLATE_ROOT / "notices" / "default" / f"{event}.{channel}.{locale}.j2").is_file()
    for sector, event, channel in SECTOR_TEMPLATES:
        for locale in LOCALES:
            assert (TEMPLATE_ROOT / "notices" / sector / f"{event}.{channel}.{locale}.j2").is_file()


@pytest.mark.parametrize(("event", "channel", "locale", "sector"), ALL_RENDERS)
def test_every_template_renders_with_sample_data(event, channel, locale, sector):
    ctx = sample_context(event, locale, sector)
    rendered = render_notice(event, ctx, channel=channel, locale=locale, sector=sector)
    assert rendered.template.endswith(f".{locale}.j2")
    if sector != "default" and channel in ("email", "sms", "letter"):
        assert rendered.template.startswith(f"notices/{sector}/")
    body = rendered.html if channel == "letter" else rendered.text
    assert body and ctx.case_number in (body + (rendered.subject or ""))
    assert "None" not in body and "{{" not in body and "{%" not in body
    if channel in ("email", "in_app", "webhook", "letter"):
        assert rendered.subject and "\n" not in rendered.subject
    if channel == "email":
        assert rendered.html and rendered.html.startswith("<!DOCTYPE html>") and f'lang="{locale}"' in rendered.html
    if channel == "letter":
        assert rendered.html.startswith("<!DOCTYPE html>") and rendered.subject in rendered.html
        assert rendered.text is None
    if channel == "sms":
        assert rendered.subject is None and rendered.html is None
        assert len(rendered.text) <= 300 and "\n" not in rendered.text
    visible = re.sub(r"<style>.*?</style>", "", body, flags=re.S)
    chinese = any("\u4e00" <= ch <= "\u9fff" for ch in visible)
    assert chinese == (locale == "zh-CN")


def test_templates_use_only_variables_of_the_context_contract():
    engine = NoticeTemplates()
    env = engine._text_env
    allowed = set(NoticeContext.__struct_fields__) | {"locale", "letterhead", "notice_part", "builtin_template"}
    allowed |= set(env.globals) | {"m", "rights", "self", "super"}
    for path in sorted((TEMPLATE_ROOT / "notices").rglob("*.j2")) + sorted((TEMPLATE_ROOT / "letters").rglob("*.j2")):
        names = meta.find_undeclared_variables(env.parse(path.read_text(encoding="utf-8")))
        assert names <= allowed, f"{path.name} uses {sorted(names - allowed)}"


def test_sector_template_wins_over_default_and_default_fills_gaps():
    ctx = sample_context("not_accepted", "zh-CN", "gov_petition")
    gov = render_notice("not_accepted", ctx, channel="letter", locale="zh-CN", sector="gov_petition")
    assert gov.subject == "信访事项不予受理告知书" and "你（单位）" in gov.html
    plain = render_notice("not_accepted", ctx, channel="letter", locale="zh-CN", sector="school")
    assert plain.subject == "不予受理告知书" and plain.template == "notices/default/not_accepted.letter.zh-CN.j2"
    email = render_notice("not_accepted", ctx, channel="email", locale="zh-CN", sector="gov_petition")
    assert email.template == "notices/default/not_accepted.email.zh-CN.j2"


def test_wording_carries_the_decision_fields():
    ctx = sample_context("not_accepted", "zh-CN")
    text = render_notice("not_accepted", ctx, channel="email", locale="zh-CN").text
    assert "依法应当通过诉讼、仲裁、行政复议等法定途径解决的事项" in text
    assert "请您依法向东湖区人民法院提起民事诉讼。" in text
    assert "可自收到本告知之日起30日内向东湖区人民政府提出异议" in text
    replied = render_notice("replied", sample_context("replied", "en"), channel="email", locale="en").text
    assert "1. Facts established" in replied and "2. Decision" in replied
    assert "within 30 days of receiving this reply" in replied
    hospital = render_notice(
        "replied", sample_context("replied", "zh-CN", "hospital"), channel="letter", locale="zh-CN", sector="hospital"
    ).html
    assert "医疗纠纷人民调解委员会" in hospital and "投诉处理答复书" in hospital
    prop = render_notice(
        "accepted", sample_context("accepted", "zh-CN", "property"), channel="sms", locale="zh-CN", sector="property"
    ).text
    assert "2小时内" in prop and "工单号" in prop


def test_tenant_review_rights_text_replaces_the_composed_sentence():
    ctx = sample_context("replied", "zh-CN")
    own = "如不服，可于收到之日起15日内向市卫生健康委员会申诉。"
    ctx.review_rights = own
    text = render_notice("replied", ctx, channel="email", locale="zh-CN").text
    assert own in text and "提出复查申请" not in text


def test_optional_fields_left_empty_do_not_leave_holes():
    ctx = NoticeContext(
        tenant_name="东湖中学",
        case_number="SCH-2026-7",
        subject="食堂饭菜质量",
        received_at=datetime(2026, 4, 1, 2, 0, tzinfo=UTC),
    )
    for event in ("registered", "accepted", "replied"):
        rendered = render_notice(event, ctx, channel="email", locale="zh-CN")
        assert "None" not in rendered.text and "SCH-2026-7" in rendered.text
        assert "  " not in rendered.subject


def test_text_parts_are_not_escaped_but_html_is():
    ctx = sample_context("registered", "zh-CN")
    ctx.subject = "车库 <漏水> & 积水"
    rendered = render_notice("registered", ctx, channel="email", locale="zh-CN")
    assert "车库 <漏水> & 积水" in rendered.text
    assert "车库 &lt;漏水&gt; &amp; 积水" in rendered.html and "<漏水>" not in rendered.html
    sms = render_notice("registered", ctx, channel="sms", locale="zh-CN").text
    assert "&amp;" not in sms


def test_in_app_and_webhook_fall_back_to_the_email_template():
    ctx = sample_context("accepted", "en")
    email = render_notice("accepted", ctx, channel="email", locale="en")
    in_app = render_notice("accepted", ctx, channel="in_app", locale="en")
    assert in_app.template == email.template
    assert (in_app.subject, in_app.text, in_app.html) == (email.subject, email.text, None)


def test_missing_template_is_a_clear_error():
    with pytest.raises(TemplateNotFoundError, match="reply_to_source"):
        render_notice("reply_to_source", sample_context("reply_to_source"), channel="sms", locale="zh-CN")
    with pytest.raises(TemplateNotFoundError):
        render_notice("accepted", sample_context("accepted"), channel="pigeon", locale="zh-CN")


def test_context_mapping_is_validated_against_the_contract():
    with pytest.raises(NoticeTemplateError, match="complainant_nmae"):
        render_notice(
            "registered",
            {
                "tenant_name": "X",
                "case_number": "1",
                "subject": "s",
                "received_at": datetime.now(UTC),
                "complainant_nmae": "typo",
            },
            channel="sms",
        )


def test_issuer_and_issue_date_default_to_the_tenant_and_today():
    ctx = NoticeContext(
        tenant_name="东湖区信访局", case_number="N-1", subject="s", received_at=datetime(2026, 3, 2, tzinfo=UTC)
    )
    text = render_notice("registered", ctx, channel="email", locale="zh-CN").text
    today = format_date(datetime.now(ZoneInfo("Asia/Shanghai")).date(), "zh-CN")
    assert f"\n东湖区信访局\n{today}\n" in text


def test_samples_fill_every_field_of_the_contract_somewhere():
    """Previews must show every variable a template can use, so each field gets a sample value."""
    samples = [sample_context(e, loc, sec) for e in EVENTS for loc in LOCALES for sec in ("default", "hospital")]
    for name in NoticeContext.__struct_fields__:
        if name in ("extra", "anonymous"):
            continue
        assert any(getattr(s, name) not in (None, "", [], False) for s in samples), name
