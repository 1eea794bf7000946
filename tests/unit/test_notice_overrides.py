"""Tenant overrides: lookup precedence, save-time checks, previews and the sandbox."""

from __future__ import annotations

import pytest

from core.notices import (
    NoticeTemplateError,
    TemplateSecurityError,
    check_template_source,
    preview,
    render_notice,
    sample_context,
)

CTX = sample_context("accepted", "zh-CN")


def _email(overrides, sector="default", locale="zh-CN"):
    return render_notice("accepted", sample_context("accepted", locale), overrides, locale, sector, "email")


def test_tenant_override_beats_sector_and_default():
    source = "{% extends builtin_template %}{% block subject %}受理啦：{{ case_number }}{% endblock %}"
    mine = {"accepted.email.zh-CN": source}
    rendered = _email(mine)
    assert rendered.subject == "受理啦：DH-2026-000458"
    assert rendered.template == "tenant:accepted.email.zh-CN"
    # the rest of the built-in template is kept through {% extends builtin_template %}
    assert "经审查符合受理条件" in rendered.text and "<!DOCTYPE html>" in rendered.html
    # other locales are untouched
    assert _email(mine, locale="en").subject.startswith("Notice of acceptance")


def test_sector_specific_override_beats_the_tenant_generic_one():
    overrides = {
        "accepted.email.zh-CN": "{% extends builtin_template %}{% block subject %}通用{% endblock %}",
        "property/accepted.email.zh-CN": "{% extends builtin_template %}{% block subject %}物业{% endblock %}",
    }
    assert _email(overrides, sector="property").subject == "物业"
    assert _email(overrides, sector="hospital").subject == "通用"
    # the override extends the *sector* built-in when there is one
    assert "服务承诺" in _email(overrides, sector="property").text


def test_override_written_from_scratch_for_sms():
    overrides = {"accepted.sms.zh-CN": "【{{ tenant_name }}】{{ case_number }} 已受理 & 处理中"}
    text = render_notice("accepted", CTX, overrides, "zh-CN", "default", "sms").text
    assert text == "【东湖区信访局】DH-2026-000458 已受理 & 处理中"


def test_check_reports_syntax_errors_with_their_line():
    source = "第一行\n{% if case_number %}\n编号 {{ case_number }}\n"
    problems = check_template_source(source)
    assert len(problems) == 1
    assert problems[0].line == 4 or problems[0].line == 3
    assert "endif" in problems[0].message
    broken_expr = check_template_source("ok\n\n{{ case_number | }}")
    assert broken_expr[0].line == 3


def test_check_reports_unknown_variables_templates_and_private_attributes():
    source = (
        '{% extends "notices/default/nope.email.zh-CN.j2" %}\n'
        "{{ case_numbr }}\n"
        "{{ subject.__class__ }}\n"
        "{% for d in cooperating_departments %}{{ loop.index }}{{ d }}{% endfor %}\n"
    )
    problems = {(p.line, p.message) for p in check_template_source(source)}
    assert (1, "unknown template 'notices/default/nope.email.zh-CN.j2'") in problems
    assert (2, "unknown variable 'case_numbr'") in problems
    assert (3, "attribute '__class__' is not allowed") in problems
    assert len(problems) == 3  # loop, d and the contract fields are fine


def test_check_accepts_the_built_in_templates_themselves():
    from core.notices.templating import TEMPLATE_ROOT

    for path in (TEMPLATE_ROOT / "notices").rglob("*.j2"):
        assert check_template_source(path.read_text(encoding="utf-8")) == [], path.name


def test_preview_renders_a_draft_with_sample_data():
    draft = "{% extends builtin_template %}{% block subject %}预览 {{ tracking_code }}{% endblock %}"
    shown = preview("replied.email", draft, "zh-CN")
    assert shown.subject == "预览 K7QM-3XRP"
    assert "经现场核查" in shown.text  # sample reasons flow into the built-in body
    letter = preview("gov_petition/not_accepted.letter.en", "{% extends builtin_template %}")
    assert letter.subject == "Notice of Non-Acceptance of a Petition"


def test_preview_of_a_draft_with_a_missing_variable_names_the_line():
    draft = "第一行\n第二行 {{ recipient_name }}\n第三行 {{ complainant_phone }}\n"
    with pytest.raises(NoticeTemplateError) as info:
        preview("accepted.sms", draft, "zh-CN")
    assert info.value.line == 3 and "complainant_phone" in str(info.value)
    assert info.value.template == "tenant:accepted.sms.zh-CN"


@pytest.mark.parametrize(
    "payload",
    [
        "{{ ''.__class__.__mro__ }}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ cycler.__init__.__globals__.os }}",
        "{{ lipsum.__globals__['os'].popen('id').read() }}",
        "{{ self._TemplateReference__context }}",
        "{{ subject.format.__globals__ }}",
        "{{ '{0.__class__}'.format(subject) }}",
        "{{ namespace.__init__.__globals__ }}",
        "{% set x = cooperating_departments.append('leak') %}{{ x }}",
        "{{ cooperating_departments.pop() }}",
        "{{ 10 ** 100000000 }}",
        "{{ ((9 ** 99) ** 99) ** 99 }}",
        "{{ 'x' * 100000000 }}",
        "{{ range(10 ** 8) | list | length }}",
    ],
)
def test_the_sandbox_refuses_malicious_overrides(payload):
    with pytest.raises(NoticeTemplateError) as info:
        render_notice("accepted", CTX, {"accepted.sms.zh-CN": payload}, "zh-CN", "default", "sms")
    assert info.value.template == "tenant:accepted.sms.zh-CN"
    assert CTX.cooperating_departments == ["幸福路街道办事处", "东湖区城市管理局"]  # nothing was mutated


def test_attribute_escapes_are_reported_as_security_errors():
    with pytest.raises(TemplateSecurityError):
        render_notice("accepted", CTX, {"accepted.sms.zh-CN": "{{ ''.__class__ }}"}, "zh-CN", "default", "sms")


@pytest.mark.parametrize(
    "include",
    [
        "../pyproject.toml",
        "notices/../../pyproject.toml",
        "/etc/passwd",
        "portal/base.html.j2",
        "core/notices/templating.py",
    ],
)
def test_overrides_cannot_read_files_beyond_the_built_in_templates(include):
    source = '{% include "' + include + '" %}'
    with pytest.raises(NoticeTemplateError, match="not found"):
        render_notice("accepted", CTX, {"accepted.sms.zh-CN": source}, "zh-CN", "default", "sms")


def test_overrides_may_include_built_in_pieces():
    source = '{% import "notices/_macros.j2" as m with context %}{{ m.limit_zh() }}'
    text = render_notice("accepted", CTX, {"accepted.sms.zh-CN": source}, "zh-CN", "default", "sms").text
    assert text == "自受理之日起60日内（2026年5月2日 24:00前）"


def test_html_part_of_an_override_is_autoescaped():
    ctx = sample_context("accepted", "en")
    ctx.subject = '<img src=x onerror="alert(1)">'
    source = "{% extends builtin_template %}{% block body %}About {{ subject }}{% endblock %}"
    rendered = render_notice("accepted", ctx, {"accepted.email.en": source}, "en", "default", "email")
    assert "<img" not in rendered.html and "&lt;img src=x" in rendered.html
    assert (
        rendered.text.splitlines()[-1].startswith("This message") or '<img src=x onerror="alert(1)">' in rendered.text
    )
