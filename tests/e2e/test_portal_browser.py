"""The complainant's tracking page, driven in a real Chromium (Debian's, through Playwright)."""

from __future__ import annotations

import os
import uuid

import httpx
import pytest
from e2e_helpers import casedesk

pytestmark = pytest.mark.browser


@pytest.fixture
def replied_case(server_env, live_server) -> dict:
    slug = f"portal-{uuid.uuid4().hex[:8]}"
    created = casedesk(
        "tenant",
        "create",
        "--slug",
        slug,
        "--name",
        "示范街道办事处",
        "--sector",
        "gov_petition",
        "--json",
        env=server_env,
    )
    assert created.returncode == 0, created.stderr
    import json

    headers = {"Authorization": f"Bearer {json.loads(created.stdout)['api_key']}"}
    with httpx.Client(base_url=live_server, headers=headers) as api:
        case = api.post(
            "/api/v1/cases",
            json={
                "sector": "gov_petition",
                "category": "urban",
                "channel": "web",
                "subject": "夜间施工噪音扰民",
                "description": "工地每晚施工至凌晨。",
                "complainant": {"name": "赵六", "contact": "13900000000"},
                "extra": {
                    "demands": "停止夜间施工",
                    "has_prior_opinion": False,
                    "first_visit": True,
                    "other_channel": False,
                },
            },
        ).json()
        assert (
            api.post(
                f"/api/v1/cases/{case['id']}/transitions", json={"action": "reply", "reply": "已责令施工单位夜间停工。"}
            ).status_code
            == 200
        )
    return case


async def test_complainant_tracks_a_case_in_chinese_then_english(page, live_server, replied_case):
    await page.goto(f"{live_server}/track?lang=zh-CN")
    assert await page.title() == "投诉信访事项查询 · casedesk"
    await page.fill("#code", replied_case["tracking_code"].lower())
    await page.fill("#pin", replied_case["access_pin"])
    await page.click("button[type=submit]")
    await page.wait_for_selector("#result:not([hidden])")
    assert await page.inner_text("#r-status") == "已答复"
    assert await page.inner_text("#r-reply") == "已责令施工单位夜间停工。"
    assert "赵六" not in await page.content()
    os.makedirs("var", exist_ok=True)
    await page.screenshot(path="var/portal-zh.png", full_page=True)

    await page.click("#switch-lang")
    await page.wait_for_load_state()
    assert await page.inner_text("h1") == "Track your complaint or petition"
    await page.fill("#code", replied_case["tracking_code"])
    await page.fill("#pin", "00000000")
    await page.click("button[type=submit]")
    await page.wait_for_selector("#error:not([hidden])")
    assert await page.inner_text("#error") == "No case matches this tracking code and PIN."
    assert await page.is_hidden("#result")
