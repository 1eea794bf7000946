"""Printed letters: real WeasyPrint PDFs, read back with pypdf.

Needs the CJK fonts of Debian's ``fonts-noto-cjk`` (without them WeasyPrint prints empty
boxes for every Chinese character and the extracted text comes back without it).
"""

from __future__ import annotations

import base64
import io
import re

import pytest
from pypdf import PdfReader

from core.notices import Letterhead, OutgoingMessage, get_channel, render_notice, sample_context
from core.notices.letters import render_letter_html, render_letter_pdf

LETTERHEAD = Letterhead(
    name="东湖区信访局",
    address="东湖区人民路1号行政中心3楼",
    postcode="310000",
    phone="0571-8888 1234",
    seal_text="东湖区信访局",
)


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    # a line break may fall anywhere in a Chinese sentence: compare without them
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


def _fonts(pdf: bytes) -> set[str]:
    names: set[str] = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


def _images(pdf: bytes) -> int:
    return sum(len(page.images) for page in PdfReader(io.BytesIO(pdf)).pages)


def _png_data_uri() -> str:
    from PIL import Image  # Pillow comes with WeasyPrint

    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), (200, 0, 0)).save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def test_gov_petition_non_acceptance_letter_carries_the_ground_in_chinese():
    ctx = sample_context("not_accepted", "zh-CN", "gov_petition")
    pdf = render_letter_pdf("not_accepted", ctx, LETTERHEAD, "zh-CN", sector="gov_petition")
    assert pdf.startswith(b"%PDF-")
    text = _text(pdf)
    assert "依法应当通过诉讼、仲裁、行政复议等法定途径解决的事项" in text
    assert "信访事项不予受理告知书" in text and "东信不受字〔2026〕第12号" in text
    assert "请你依法向东湖区人民法院提起民事诉讼" in text
    assert "本机关决定不予受理" in text and "特此告知" in text
    assert "2026年3月4日" in text and "邮编310000" in text
    assert any("CJK" in name for name in _fonts(pdf)), f"no CJK font embedded ({_fonts(pdf)}): install fonts-noto-cjk"


@pytest.mark.parametrize(
    ("event", "locale", "sector", "phrases"),
    [
        (
            "not_accepted",
            "zh-CN",
            "default",
            ["不予受理告知书", "可自收到本告知书之日起30日内向东湖区人民政府提出异议"],
        ),
        ("replied", "zh-CN", "gov_petition", ["信访事项处理意见书", "一、调查核实情况", "请求复查"]),
        ("no_longer_accepted", "zh-CN", "gov_petition", ["信访事项不再受理告知书", "本机关将不再另行书面告知"]),
        ("replied", "zh-CN", "hospital", ["投诉处理答复书", "医疗纠纷人民调解委员会"]),
        ("replied", "en", "default", ["LetterofReply", "Factsestablished", "within30daysofreceivingthisletter"]),
        ("assigned", "zh-CN", "default", ["交办单", "抄送：幸福路街道办事处、东湖区城市管理局"]),
    ],
)
def test_letters_render_their_wording(event, locale, sector, phrases):
    pdf = render_letter_pdf(event, sample_context(event, locale, sector), LETTERHEAD, locale, sector=sector)
    text = _text(pdf)
    for phrase in phrases:
        assert phrase in text


def test_letterhead_logo_is_embedded_but_files_are_never_read(tmp_path):
    from PIL import Image

    secret_image = tmp_path / "secret.png"
    Image.new("RGB", (40, 40), (0, 0, 200)).save(secret_image)
    ctx = sample_context("not_accepted", "zh-CN")
    with_logo = Letterhead(name="东湖区信访局", logo_data_uri=_png_data_uri())
    assert _images(render_letter_pdf("not_accepted", ctx, with_logo, "zh-CN")) == 1

    sneaky = {
        "not_accepted.letter.zh-CN": "{% extends builtin_template %}{% block body %}<p>正文</p>"
        f'<img src="{secret_image.as_uri()}"><link rel="stylesheet" href="{secret_image.as_uri()}">'
        "{% endblock %}"
    }
    pdf = render_letter_pdf("not_accepted", ctx, LETTERHEAD, "zh-CN", overrides=sneaky)
    assert "正文" in _text(pdf) and _images(pdf) == 0


def test_letterhead_rejects_a_logo_that_is_not_an_inline_image():
    with pytest.raises(ValueError):
        Letterhead(name="x", logo_data_uri="http://169.254.169.254/latest/meta-data")


def test_letterhead_values_are_escaped():
    html = render_letter_html(
        "accepted", sample_context("accepted"), Letterhead(name="<script>alert(1)</script>局"), "zh-CN"
    )
    assert "<script>" not in html and "&lt;script&gt;" in html


async def test_letter_channel_renders_html_to_a_pdf_in_the_print_queue(tmp_path):
    ctx = sample_context("replied", "zh-CN", "gov_petition")
    rendered = render_notice("replied", ctx, channel="letter", locale="zh-CN", sector="gov_petition")
    message = OutgoingMessage(
        notice_id="notice-9", tenant_id="donghu", channel="letter", recipient=ctx.recipient_address or "",
        subject=rendered.subject, html_body=rendered.html, event="replied",
    )  # fmt: skip
    result = await get_channel("letter", {"directory": str(tmp_path)}).send(message)
    assert result.ok and result.provider_id == "donghu/notice-9.pdf"
    text = _text((tmp_path / "donghu" / "notice-9.pdf").read_bytes())
    assert "信访事项处理意见书" in text and "区住建局已责成物业公司" in text
