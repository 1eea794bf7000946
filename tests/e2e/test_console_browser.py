"""The staff console in a real Chromium: log in, find a case, move it, see the timeline."""

from __future__ import annotations

import json
import uuid

import httpx
import pytest
from e2e_helpers import casedesk

pytestmark = pytest.mark.browser

PASSWORD = "console-test-password"


@pytest.fixture
def staffed_tenant(server_env, live_server) -> dict:
    slug = f"console-{uuid.uuid4().hex[:8]}"
    created = casedesk(
        "tenant", "create", "--slug", slug, "--name", "示范信访局", "--sector", "gov_petition", "--json", env=server_env
    )
    assert created.returncode == 0, created.stderr
    headers = {"Authorization": f"Bearer {json.loads(created.stdout)['api_key']}"}
    with httpx.Client(base_url=live_server + "/api/v1", headers=headers) as api:
        dept = api.post("/departments", json={"code": "urban_management", "name_zh": "城管局"}).json()
        assert (
            api.post("/users", json={"username": "chief", "password": PASSWORD, "roles": ["supervisor"]}).status_code
            == 201
        )
        case = api.post(
            "/cases",
            json={
                "sector": "gov_petition",
                "category": "urban",
                "channel": "visit",
                "subject": "占道经营影响通行",
                "description": "菜市场门口摊贩占道。",
                "complainant": {"name": "钱七", "contact": "13700000000"},
                "extra": {
                    "demands": "清理占道",
                    "has_prior_opinion": False,
                    "first_visit": True,
                    "other_channel": False,
                },
            },
        ).json()
    return {"slug": slug, "case": case, "department": dept}


async def test_supervisor_accepts_and_assigns_in_the_console(page, live_server, staffed_tenant):
    await page.goto(f"{live_server}/console?lang=zh-CN")
    await page.fill("#tenant", staffed_tenant["slug"])
    await page.fill("#username", "chief")
    await page.fill("#password", "wrong-password-here")
    await page.click("#login button[type=submit]")
    await page.wait_for_selector("#login-error:not([hidden])")

    await page.fill("#password", PASSWORD)
    await page.click("#login button[type=submit]")
    row = page.locator("tr.case-row", has_text="占道经营影响通行")
    await row.wait_for()
    await row.click()
    await page.wait_for_selector("#detail:not([hidden])")
    assert await page.inner_text("#d-status") == "已登记"
    assert "钱七" in await page.inner_text("#d-complainant")

    await page.click("#d-actions button[data-action=accept]")
    await page.wait_for_function("document.getElementById('d-status').textContent === '已受理'")
    await page.click("#d-actions button[data-action=assign]")
    await page.select_option("#x-department", staffed_tenant["department"]["id"])
    await page.click("#d-submit")
    await page.wait_for_function("document.getElementById('d-status').textContent === '已交办'")
    timeline = await page.inner_text("#d-events")
    assert "受理" in timeline and "交办" in timeline and "chief" in timeline
    await page.screenshot(path="var/console-zh.png", full_page=True)
