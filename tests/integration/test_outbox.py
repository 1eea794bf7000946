"""The outbox: which notices a case event writes, to whom, through which channel, in which
language — checked on the rows, in the event's own transaction, before any worker runs."""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID

from notice_support import configure_email, notices_of

from core.case_hooks import plugins_for
from core.db import transaction
from core.outbox import queue_notices
from core.plugin_io import NoticeRequest
from core.tables import Tenant
from tenants.scope import TenantScope


def _one(rows, **match):
    found = [r for r in rows if all(r[k] == v for k, v in match.items())]
    assert len(found) == 1, (match, [(r["event"], r["recipient_kind"], r["channel"]) for r in rows])
    return found[0]


async def test_a_lifecycle_queues_each_steps_notices_through_the_intake_channel(make_tenant, client, smtp_server):
    _, port = smtp_server
    t = await make_tenant()
    await configure_email(client, t, port)
    complainant = {"name": "张三", "contact": "zhangsan@example.org", "id_number": "110101199001011234"}
    case = await t.new_case(channel="email", complainant=complainant)
    receipt = _one(await notices_of(t.id, case["id"]), event="register")
    assert (receipt["recipient_kind"], receipt["channel"], receipt["recipient"]) == (
        "complainant", "email", "zhangsan@example.org"
    )  # fmt: skip
    assert receipt["state"] == "pending" and receipt["locale"] == "zh-CN" and not receipt["written"]
    assert receipt["template_event"] == "registered" and receipt["context"]["tracking_code"] == case["tracking_code"]
    assert receipt["context"]["complainant_name"] == "张三" and receipt["context"]["due_at"]  # the running clock

    assert (await t.act(case["id"], "accept")).status_code == 200
    accepted = _one(await notices_of(t.id, case["id"]), event="accept")
    assert (accepted["channel"], accepted["template_event"]) == ("email", "accepted")

    assert (await t.act(case["id"], "assign", lead_department_id=str(t.departments["A"]))).status_code == 200
    assigned = [n for n in await notices_of(t.id, case["id"]) if n["event"] == "assign"]
    # gov_petition: a written assignment order to the lead department, and its people told in-app
    letter = _one(assigned, channel="letter")
    assert (letter["recipient_kind"], letter["recipient_name"], letter["template"]) == (
        "department", "部门A", "gov_petition/assignment_order"
    )  # fmt: skip
    in_app = _one(assigned, channel="in_app")
    assert in_app["user_id"] == t.users["handler_a"] and in_app["context"]["tracking_code"] is None

    assert (await t.act(case["id"], "start", headers=t.as_user("handler_a"))).status_code == 200
    reply = await t.act(case["id"], "reply", reply="已责令整改。", headers=t.as_user("handler_a"))
    assert reply.status_code == 200, reply.text
    result = _one(await notices_of(t.id, case["id"]), event="reply")
    assert (result["channel"], result["written"], result["template"]) == ("letter", True, "gov_petition/result")
    assert result["context"]["result"] == "已责令整改。"

    listed = await client.get(f"/api/v1/notices?case_id={case['id']}", headers=t.as_user("supervisor"))
    assert listed.status_code == 200
    assert {n["event"] for n in listed.json()["items"]} >= {"register", "accept", "assign", "reply"}


async def test_without_a_configured_channel_the_complainant_is_told_in_the_portal(make_tenant):
    t = await make_tenant()
    case = await t.new_case(channel="phone")  # a phone number, but no SMS gateway configured
    receipt = _one(await notices_of(t.id, case["id"]), event="register")
    assert (receipt["channel"], receipt["recipient"]) == ("in_app", f"case:{case['id']}")


async def test_notices_follow_the_tenants_language(make_tenant, client, smtp_server):
    _, port = smtp_server
    t = await make_tenant()
    await Tenant.update({Tenant.locale: "en"}).where(Tenant.id == t.id)
    await configure_email(client, t, port)
    case = await t.new_case(channel="email", complainant={"name": "Li Lei", "contact": "li@example.org"})
    receipt = _one(await notices_of(t.id, case["id"]), event="register")
    assert receipt["locale"] == "en" and receipt["context"]["intake_channel"] == "by e-mail"


async def test_anonymous_complainants_get_no_outcome_notices_and_none_without_a_contact(make_tenant, client):
    t = await make_tenant()
    silent = await t.new_case(anonymous=True, complainant=None, channel="letter")
    reachable = await t.new_case(anonymous=True, complainant={"contact": "13900000000"})
    for case in (silent, reachable):
        await t.act(case["id"], "accept")
        await t.act(case["id"], "assign", lead_department_id=str(t.departments["A"]))
        await t.act(case["id"], "start", headers=t.as_user("handler_a"))
        assert (await t.act(case["id"], "reply", reply="已处理", headers=t.as_user("handler_a"))).status_code == 200
    assert [n for n in await notices_of(t.id, silent["id"]) if n["recipient_kind"] == "complainant"] == []
    to_reachable = [n for n in await notices_of(t.id, reachable["id"]) if n["recipient_kind"] == "complainant"]
    assert [n["event"] for n in to_reachable] == ["register"]  # the receipt only (002 L77)
    assert to_reachable[0]["context"]["complainant_name"] is None
    # staff are still told about the anonymous case
    assert any(n["recipient_kind"] == "department" for n in await notices_of(t.id, silent["id"]))


async def test_one_written_refusal_per_person_and_matter_R7(make_tenant, client):
    t = await make_tenant()
    person = {"name": "王五", "contact": "13700000000", "id_number": "110101198001011111", "address": "幸福路28号"}

    async def refuse(**overrides):
        case = await t.new_case(channel="letter", complainant=person, **overrides)
        response = await t.act(case["id"], "not_accept", ground="NR2", target="东湖区人民法院")
        assert response.status_code == 200, response.text
        return next(n for n in await notices_of(t.id, case["id"]) if n["event"] == "not_accept")

    first = await refuse()
    assert first["written"] and first["channel"] == "letter" and first["dedupe_key"].startswith("written_refusal:")
    first_case = first["case_id"]
    again = await refuse(related_case_id=str(first_case))  # the same matter, a later contact
    assert not again["written"] and again["channel"] != "letter" and again["dedupe_key"] is None
    third = await refuse(related_case_id=str(again["case_id"]))  # a chain still leads to the same matter
    assert not third["written"]
    other_matter = await refuse()
    assert other_matter["written"] and other_matter["dedupe_key"] != first["dedupe_key"]


async def test_confidential_cases_never_name_the_complainant_to_departments(make_tenant):
    t = await make_tenant()
    for confidential in (False, True):
        case = await t.new_case(confidential=confidential)
        await t.act(case["id"], "accept")
        await t.act(case["id"], "assign", lead_department_id=str(t.departments["A"]))
        staff = [n for n in await notices_of(t.id, case["id"]) if n["recipient_kind"] == "department"]
        assert staff
        names = {n["context"]["complainant_name"] for n in staff}
        assert names == ({None} if confidential else {"张三"})


async def test_a_transfer_tells_the_complainant_and_the_receiving_body(make_tenant):
    t = await make_tenant()
    case = await t.new_case()
    response = await t.act(case["id"], "transfer", target="东湖区住房和城乡建设局")
    assert response.status_code == 200, response.text
    rows = [n for n in await notices_of(t.id, case["id"]) if n["event"] == "transfer"]
    receiver = _one(rows, recipient_kind="forwarding_body")
    assert (receiver["channel"], receiver["recipient_name"], receiver["template_event"]) == (
        "letter", "东湖区住房和城乡建设局", "transferred_receiver"
    )  # fmt: skip
    visitor = _one(rows, recipient_kind="complainant")
    assert (visitor["template"], visitor["template_event"], visitor["written"]) == (
        "gov_petition/transfer_notice_visitor", "transferred", True
    )  # fmt: skip


async def test_escalations_reach_people_even_when_nobody_holds_the_named_role(make_tenant):
    t = await make_tenant()
    case = await t.new_case(group_size=8)  # collective visit: notify the duty leader (004 L37)
    escalated = [n for n in await notices_of(t.id, case["id"]) if n["event"] == "escalated"]
    assert escalated, "the collective-visit trigger queues a notice"
    assert {n["user_id"] for n in escalated} == {t.users["supervisor"]}  # nobody is duty leader here
    context = escalated[0]["context"]
    assert context["clock_name"] == "集体访" and context["escalation_level"] == "事件触发"


class _Asking:
    """The tenant's plugins, except that ``casedesk_notices`` asks for what the test says."""

    def __init__(self, real, requests) -> None:
        self._real, self._requests = real, requests

    def __getattr__(self, name):
        return getattr(self._real, name)

    def notices(self, case, event):
        return self._requests


async def test_a_missing_template_is_a_visible_failed_notice_not_a_blocked_case(make_tenant, client, clock):
    t = await make_tenant()
    case = await t.new_case()
    scope = TenantScope(t.id)
    asked = [
        NoticeRequest(event="register", recipient="complainant", template="gov_petition/nothing"),
        NoticeRequest(event="register", recipient="complainant", template="gov_petition/receipt", channel="letter"),
    ]
    async with transaction():
        plugins = _Asking(await plugins_for(scope), asked)
        ids = await queue_notices(scope, plugins, {"id": case["id"]}, "register", clock.now(), {})
    rows = [n for n in await notices_of(t.id, case["id"]) if n["id"] in ids]
    fine = _one(rows, template="gov_petition/nothing")  # falls back to the core "registered" wording
    assert fine["state"] == "pending" and fine["template_event"] == "registered"
    broken = _one(rows, template="gov_petition/receipt")  # no letter form of a receipt exists
    assert broken["state"] == "failed" and "no template" in broken["last_error"]
    failed = await client.get("/api/v1/notices?state=failed", headers=t.admin)
    assert [n["id"] for n in failed.json()["items"]] == [str(broken["id"])]


async def test_a_ladder_level_fired_by_the_deadline_scan_queues_its_notices(make_tenant, client, clock):
    from core.db import as_utc
    from core.deadline_scan import fire_due_levels

    t = await make_tenant()
    case = await t.new_case()
    await t.act(case["id"], "accept")
    await t.act(case["id"], "assign", lead_department_id=str(t.departments["A"]))
    clocks = (await client.get(f"/api/v1/cases/{case['id']}/clocks", headers=t.admin)).json()
    handling = next(c for c in clocks if c["rule_key"] == "handling")
    clock.set(as_utc(datetime.fromisoformat(handling["due_at"])) + timedelta(minutes=1))
    # what the worker's deadline scan does for this clock (the scan itself would fire every tenant's)
    fired, _ = await fire_due_levels(TenantScope(t.id), UUID(case["id"]), UUID(handling["id"]), clock.now())
    assert fired >= 1
    escalated = [n for n in await notices_of(t.id, case["id"]) if n["event"] == "escalated"]
    assert escalated, "the ladder's levels queue notices"
    contexts = [n["context"] for n in escalated]
    assert {c["clock_name"] for c in contexts} == {"办理期限"}
    assert any(c["overdue"] for c in contexts) and all(c["escalation_level"].endswith("级督办") for c in contexts)
    assert all(n["recipient_kind"] == "role" and n["user_id"] == t.users["supervisor"] for n in escalated)
