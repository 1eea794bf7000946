"""Each sector's acceptance, routing, escalation and closure rules, exercised through the API.

Every test names the seed line it checks (as in ``tests/plugins/``); the plugin tests prove the
rule as a pure function, these prove the API carries it out: statuses, department ids, events,
clocks, 409 vetoes and 422s.
"""

from __future__ import annotations

from typing import Any

import pytest
from harness import PASSWORD
from sector_api import body, create_seed_departments, event, events, put_plugin, register

from core.plugins import get_sector


async def sector_tenant(make_tenant, client, key: str, config: dict[str, Any] | None = None):
    """A tenant with only ``key`` enabled (configured through the API) and its seed departments."""
    t = await make_tenant(sectors=[key])
    if config is not None:
        assert (await put_plugin(client, t, key, config=config)).status_code == 200
    return t, await create_seed_departments(client, t, key)


async def new_case(client, t, payload, headers=None) -> dict[str, Any]:
    response = await register(client, t, payload, headers)
    assert response.status_code == 201, response.text
    return response.json()


async def act(client, t, case_id, action, headers=None, **fields):
    return await client.post(
        f"/api/v1/cases/{case_id}/transitions", json={"action": action, **fields}, headers=headers or t.admin
    )


async def to_replied(client, t, case: dict[str, Any], lead: str, *, reply: dict[str, Any] | None = None) -> None:
    """Move a case from its current status to ``replied`` (lead department ``lead``)."""
    if case["status"] == "registered":
        assert (await act(client, t, case["id"], "accept")).status_code == 200
    steps = [
        ("assign", {"lead_department_id": lead}),
        ("start", {}),
        ("reply", {"reply": "已处理完毕", **(reply or {})}),
    ]
    for action, fields in steps:
        response = await act(client, t, case["id"], action, **fields)
        assert response.status_code == 200, (action, response.text)


# -- gov_petition ------------------------------------------------------------------------------


@pytest.mark.parametrize("ground", ["NR1", "NR2"])
async def test_refusal_on_a_ground_naming_another_body_needs_the_target_seed_004_L13_L31(make_tenant, client, ground):
    t, _ = await sector_tenant(make_tenant, client, "gov_petition")
    case = await new_case(client, t, body("gov_petition"))
    assert case["status"] == "registered"  # staff decide after the interview (seed 004 L37–L47)
    missing = await act(client, t, case["id"], "not_accept", ground=ground)
    assert missing.status_code == 422 and missing.json()["field"] == "target", missing.text
    refused = await act(client, t, case["id"], "not_accept", ground=ground, target="市中级人民法院")
    assert refused.status_code == 200, refused.text
    assert refused.json()["status"] == "not_accepted"
    assert (refused.json()["not_accepted_ground"], refused.json()["transfer_target"]) == (ground, "市中级人民法院")


async def test_a_concluded_re_review_is_no_longer_accepted_by_rule_NA1_seed_004_L15(make_tenant, client):
    t, _ = await sector_tenant(make_tenant, client, "gov_petition")
    case = await new_case(client, t, body("gov_petition", extra={"review_status": "review_concluded"}))
    assert (case["status"], case["not_accepted_ground"]) == ("not_accepted", "NA1")
    refusal = await event(client, t, case["id"], "not_accept")
    assert refusal["actor_id"] is None and refusal["data"]["by"] == "rule"
    assert refusal["data"]["ground_kind"] == "no_longer_accepted"
    assert "seed 004 L15 (1)" in refusal["data"]["reason"]


async def test_a_matter_in_litigation_is_refused_with_the_legal_route_named_NR2_seed_004_L13_L31(make_tenant, client):
    t, _ = await sector_tenant(make_tenant, client, "gov_petition")
    case = await new_case(client, t, body("gov_petition", extra={"legal_route": "litigation"}))
    assert (case["status"], case["not_accepted_ground"]) == ("not_accepted", "NR2")
    assert case["transfer_target"] == "诉讼 / litigation"


async def test_closing_needs_seal_signature_and_the_petitioners_opinion_seed_004_L63_L93(make_tenant, client):
    t, departments = await sector_tenant(make_tenant, client, "gov_petition")
    case = await new_case(client, t, body("gov_petition"))
    await to_replied(client, t, case, departments["urban_management"])

    bare = await act(client, t, case["id"], "close")
    assert bare.status_code == 409, bare.text
    problem = bare.json()
    assert problem["missing"] == ["unit_seal", "leader_signature", "petitioner_opinion"]
    assert problem["vetoed_by"] == "gov_petition"
    partial = await act(client, t, case["id"], "close", checklist={"unit_seal": True, "leader_signature": False})
    assert partial.status_code == 409 and partial.json()["missing"] == ["leader_signature", "petitioner_opinion"]
    # The veto rolled the transition back: still replied, nothing recorded.
    shown = (await client.get(f"/api/v1/cases/{case['id']}", headers=t.admin)).json()
    assert shown["status"] == "replied"
    assert "close" not in [e["action"] for e in await events(client, t, case["id"])]

    full = dict.fromkeys(("unit_seal", "leader_signature", "petitioner_opinion"), True)
    closed = await act(client, t, case["id"], "close", checklist=full)
    assert closed.status_code == 200 and closed.json()["status"] == "closed"


async def test_an_answer_on_the_spot_closes_without_the_checklist_seed_004_L63(make_tenant, client):
    t, _ = await sector_tenant(make_tenant, client, "gov_petition")
    case = await new_case(client, t, body("gov_petition", channel="visit"))
    replied = await act(client, t, case["id"], "reply", reply="当场解答了有关政策")
    assert replied.status_code == 200, replied.text
    assert (await event(client, t, case["id"], "reply"))["data"]["on_the_spot"] is True
    closed = await act(client, t, case["id"], "close")
    assert closed.status_code == 200, closed.text
    assert (await event(client, t, case["id"], "close"))["data"]["on_the_spot"] is True


async def test_a_bureau_may_shorten_the_closure_checklist_seed_004_L63_L93(make_tenant, client):
    t, departments = await sector_tenant(make_tenant, client, "gov_petition", {"closure_checklist": ["unit_seal"]})
    case = await new_case(client, t, body("gov_petition"))
    await to_replied(client, t, case, departments["urban_management"])
    assert (await act(client, t, case["id"], "close")).json()["missing"] == ["unit_seal"]
    assert (await act(client, t, case["id"], "close", checklist={"unit_seal": True})).status_code == 200


async def test_a_county_matter_goes_to_its_petition_office_seed_004_L57(make_tenant, client):
    t, departments = await sector_tenant(make_tenant, client, "gov_petition")
    case = await new_case(client, t, body("gov_petition", extra={"territory": "county_a"}))
    assert case["lead_department_id"] == departments["county_a_petition_office"]
    assert "seed 004 L57" in (await event(client, t, case["id"], "route"))["data"]["reason"]
    unknown = await register(client, t, body("gov_petition", extra={"territory": "county_z"}))
    assert unknown.status_code == 422 and unknown.json()["field"] == "extra.territory"


async def test_a_leaders_instruction_makes_it_an_assignment_jiaoban_seed_004_L61(make_tenant, client):
    t, departments = await sector_tenant(make_tenant, client, "gov_petition")
    case = await new_case(client, t, body("gov_petition", extra={"leader_instruction": True}))
    reason = (await event(client, t, case["id"], "route"))["data"]["reason"]
    assert reason.startswith("assign:") and "seed 004 L61 (1)" in reason
    assert case["lead_department_id"] == departments["urban_management"]


async def test_expropriation_is_led_by_natural_resources_with_housing_seed_004_L59(make_tenant, client):
    t, departments = await sector_tenant(make_tenant, client, "gov_petition")
    case = await new_case(client, t, body("gov_petition", category="land_housing.expropriation"))
    assert case["lead_department_id"] == departments["natural_resources"]
    assert case["cooperating_department_ids"] == [departments["housing"]]


# -- hospital ----------------------------------------------------------------------------------


async def test_a_complete_complaint_is_accepted_by_rule_seed_001_L420_L424(make_tenant, client):
    t, departments = await sector_tenant(make_tenant, client, "hospital")
    case = await new_case(client, t, body("hospital"))
    assert case["status"] == "accepted"
    accepted = await event(client, t, case["id"], "accept")
    assert accepted["data"]["by"] == "rule" and "seed 001 L420" in accepted["data"]["reason"]
    # Table B: outpatient disputes → 医务科 with the outpatient department (seed 001 L34).
    assert case["lead_department_id"] == departments["medical_affairs"]
    assert case["cooperating_department_ids"] == [departments["outpatient"]]


async def test_missing_materials_are_asked_for_first_seed_001_L422_L432(make_tenant, client):
    t, _ = await sector_tenant(make_tenant, client, "hospital")
    case = await new_case(client, t, body("hospital", channel="visit", extra={"respondent": None}))
    assert case["status"] == "registered"
    advice = await event(client, t, case["id"], "acceptance_advice")
    assert advice["data"]["missing"] == ["respondent", "transcript_signed"]


async def test_someone_without_standing_is_refused_H1_seed_001_L420(make_tenant, client):
    t, _ = await sector_tenant(make_tenant, client, "hospital")
    case = await new_case(client, t, body("hospital", extra={"complainant_role": "other"}))
    assert (case["status"], case["not_accepted_ground"]) == ("not_accepted", "H1")


async def test_automatic_acceptance_can_be_switched_off(make_tenant, client):
    """[CFG] auto_accept: staff decide even when seed 001 L420–L424's conditions hold."""
    t, _ = await sector_tenant(make_tenant, client, "hospital", {"auto_accept": False})
    case = await new_case(client, t, body("hospital"))
    assert case["status"] == "registered"


async def test_a_multi_department_dispute_is_led_by_medical_affairs_seed_001_L44(make_tenant, client):
    t, departments = await sector_tenant(make_tenant, client, "hospital")
    payload = body("hospital", category="medical.clinical", extra={"departments_involved": ["nursing", "pharmacy"]})
    case = await new_case(client, t, payload)
    assert case["lead_department_id"] == departments["medical_affairs"]
    assert case["cooperating_department_ids"] == sorted(departments[c] for c in ("nursing", "pharmacy", "inpatient"))
    assert "seed 001 L44" in (await event(client, t, case["id"], "route"))["data"]["reason"]


async def test_the_C6_table_routes_conduct_to_the_party_office_seed_001_L392(make_tenant, client):
    t, departments = await sector_tenant(make_tenant, client, "hospital")
    preset = get_sector("hospital").presets["C6"]
    more = await create_seed_departments(
        client, t, "hospital", [d for d in preset.departments if d.code not in departments]
    )
    assert (await put_plugin(client, t, "hospital", config=preset.overrides)).json()["warnings"] == []
    case = await new_case(client, t, body("hospital", category="conduct.red_envelope"))
    assert case["lead_department_id"] == more["party_office"]
    assert "seed 001 L392" in (await event(client, t, case["id"], "route"))["data"]["reason"]


async def test_the_first_person_contacted_stays_responsible_seed_000_L77_L79(make_tenant, client):
    t, departments = await sector_tenant(make_tenant, client, "hospital")
    case = await new_case(client, t, body("hospital"), headers=t.as_user("supervisor"))
    assert case["first_responsible_id"] == str(t.users["supervisor"])
    moved = await act(client, t, case["id"], "assign", lead_department_id=departments["nursing"])
    assert moved.status_code == 200
    assert moved.json()["first_responsible_id"] == str(t.users["supervisor"])
    # A case registered by an integration (API key) has no first-contact person.
    assert (await new_case(client, t, body("hospital")))["first_responsible_id"] is None


async def test_a_phone_complaint_gives_name_address_and_contact_seed_001_L424(make_tenant, client):
    t, _ = await sector_tenant(make_tenant, client, "hospital")
    response = await register(client, t, body("hospital", channel="phone", complainant={"name": "李四"}))
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"complainant.contact", "complainant.address"}
    anonymous = body("hospital", channel="phone", anonymous=True, complainant=None)
    assert (await register(client, t, anonymous)).status_code == 201  # allowed (same line)


async def test_an_answer_on_the_spot_needs_a_satisfied_complainant_and_a_record_seed_001_L430(make_tenant, client):
    t, _ = await sector_tenant(make_tenant, client, "hospital")
    case = await new_case(client, t, body("hospital", channel="visit"))  # transcript unsigned: stays registered
    bare = await act(client, t, case["id"], "reply", reply="当场解释了收费标准")
    assert bare.status_code == 409 and bare.json()["missing"] == ["satisfied", "record"]
    ok = await act(
        client, t, case["id"], "reply", reply="当场解释了收费标准", checklist={"satisfied": True, "record": True}
    )
    assert ok.status_code == 200 and ok.json()["status"] == "replied"


# -- property ----------------------------------------------------------------------------------


async def test_a_repair_is_accepted_at_once_and_routed_to_maintenance_seed_001_L842_L862(make_tenant, client):
    t, departments = await sector_tenant(make_tenant, client, "property")
    case = await new_case(client, t, body("property"))
    assert case["status"] == "accepted"
    assert (await event(client, t, case["id"], "accept"))["data"]["by"] == "rule"
    assert case["lead_department_id"] == departments["maintenance"]
    assert case["cooperating_department_ids"] == [departments["cs_centre"]]
    # Notify the maintenance team within 5 minutes of acceptance (seed 001 L862, L864).
    clock = next(c for c in case["clocks"] if c["rule_key"] == "notify_maintenance")
    assert (clock["amount"], clock["unit"]) == (5, "minutes")


async def test_a_large_repair_goes_to_the_engineering_department_seed_001_L856(make_tenant, client):
    t, departments = await sector_tenant(make_tenant, client, "property")
    case = await new_case(client, t, body("property", extra={"repair_size": "large"}))
    assert case["lead_department_id"] == departments["engineering"]
    assert case["cooperating_department_ids"] == [departments["maintenance"]]


async def test_other_complaints_need_no_unit_number_and_go_to_the_office_seed_001_L860_seed_000_L350(
    make_tenant, client
):
    t, departments = await sector_tenant(make_tenant, client, "property")
    case = await new_case(
        client, t, body("property", category="service", extra={"unit_number": None, "repair_item": None})
    )
    assert case["status"] == "registered"
    assert case["lead_department_id"] == departments["management_office"]


async def test_closing_needs_a_follow_up_with_a_satisfied_owner_seed_000_L369_seed_001_L80(make_tenant, client):
    t, departments = await sector_tenant(make_tenant, client, "property")
    case = await new_case(client, t, body("property"))
    await to_replied(client, t, case, departments["maintenance"])
    bare = await act(client, t, case["id"], "close", checklist={"followed_up": True})
    assert bare.status_code == 409 and bare.json()["missing"] == ["satisfied"]
    closed = await act(client, t, case["id"], "close", checklist={"followed_up": True, "satisfied": True})
    assert closed.status_code == 200 and closed.json()["status"] == "closed"


async def test_a_paid_repair_also_needs_the_owners_signature_seed_001_L882(make_tenant, client):
    t, departments = await sector_tenant(make_tenant, client, "property")
    case = await new_case(client, t, body("property", category="repair.own_unit"))
    await to_replied(client, t, case, departments["maintenance"])
    done = {"followed_up": True, "satisfied": True}
    assert (await act(client, t, case["id"], "close", checklist=done)).json()["missing"] == ["owner_signed_work_order"]
    signed = await act(client, t, case["id"], "close", checklist={**done, "owner_signed_work_order": True})
    assert signed.status_code == 200


async def test_not_the_offices_duty_needs_the_competent_body_P1_seed_001_L72(make_tenant, client):
    t, _ = await sector_tenant(make_tenant, client, "property")
    case = await new_case(client, t, body("property", category="service", extra={"unit_number": None}))
    missing = await act(client, t, case["id"], "not_accept", ground="P1")
    assert missing.status_code == 422 and missing.json()["field"] == "target"
    assert (await act(client, t, case["id"], "not_accept", ground="P1", target="市供电公司")).status_code == 200


# -- school ------------------------------------------------------------------------------------


async def test_food_safety_goes_to_the_investigation_group_and_escalates_seed_001_L158_seed_003_L148(
    make_tenant, client
):
    t, departments = await sector_tenant(make_tenant, client, "school")
    case = await new_case(client, t, body("school"))
    assert case["lead_department_id"] == departments["investigation_group"]
    assert case["cooperating_department_ids"] == [departments["general_affairs"]]
    escalations = {e["data"]["key"]: e for e in await events(client, t, case["id"]) if e["action"] == "escalated"}
    assert "safety" in escalations, escalations
    assert escalations["safety"]["data"]["notify"] == [{"kind": "role", "role": "principal"}]
    assert escalations["safety"]["data"]["rule_source"] == "seed 001 L158; seed 003 L148"
    assert case["severity"] == "high"  # raised from normal at once
    # Investigate at once: within 60 minutes by default (seed 001 L158; amount [CFG]).
    clock = next(c for c in case["clocks"] if c["rule_key"] == "safety_response")
    assert (clock["amount"], clock["unit"]) == (60, "minutes")


async def test_a_major_food_incident_is_supervised_seed_001_L132_L154(make_tenant, client):
    t, _ = await sector_tenant(make_tenant, client, "school")
    case = await new_case(client, t, body("school", extra={"poisoned_count": 12}))
    assert "supervised" in case["extra"].get("flags", []), case["extra"]
    # The seed's grades disagree (L156: 30), so the threshold is the tenant's to set.
    t2, _ = await sector_tenant(make_tenant, client, "school", {"food_major_poisoned": 30})
    case2 = await new_case(client, t2, body("school", extra={"poisoned_count": 12}))
    assert "supervised" not in case2["extra"].get("flags", [])


async def test_kindergarten_complaints_record_the_childs_name_seed_003_L153(make_tenant, client):
    t, _ = await sector_tenant(make_tenant, client, "school")
    no_child = {"child_name": None}
    missing = await register(client, t, body("school", category="management", extra=no_child))
    assert [e["field"] for e in missing.json()["errors"]] == ["extra.child_name"]
    assert (await register(client, t, body("school", category="teaching", extra=no_child))).status_code == 201
    t2, _ = await sector_tenant(make_tenant, client, "school", {"child_name_everywhere": True})
    everywhere = await register(client, t2, body("school", category="teaching", extra=no_child))
    assert [e["field"] for e in everywhere.json()["errors"]] == ["extra.child_name"]


async def test_feedback_states_the_result_and_the_measures_seed_003_L22(make_tenant, client):
    t, departments = await sector_tenant(make_tenant, client, "school")
    case = await new_case(client, t, body("school", category="teaching", extra={"child_name": None}))
    assert (await act(client, t, case["id"], "accept")).status_code == 200
    assert (
        await act(client, t, case["id"], "assign", lead_department_id=departments["academic_affairs"])
    ).status_code == 200
    assert (await act(client, t, case["id"], "start")).status_code == 200
    bare = await act(client, t, case["id"], "reply", reply="已与任课教师沟通")
    assert bare.status_code == 409 and bare.json()["missing"] == ["result", "measures"]
    ok = await act(
        client, t, case["id"], "reply", reply="已与任课教师沟通", checklist={"result": True, "measures": True}
    )
    assert ok.status_code == 200 and ok.json()["status"] == "replied"
    reply = await event(client, t, case["id"], "reply")
    assert reply["data"] == {"result": True, "measures": True, "on_the_spot": False}


# -- bank (the installed example plugin) -------------------------------------------------------


async def test_the_department_complained_about_handles_it_seed_001_L1010_L1014(make_tenant, client):
    t, departments = await sector_tenant(make_tenant, client, "bank")
    case = await new_case(client, t, body("bank"))
    assert case["lead_department_id"] == departments["outlet"]
    unnamed = await new_case(client, t, body("bank", extra={"respondent_department": None}))
    assert unnamed["lead_department_id"] == departments["operations"]
    assert "seed 001 L1010" in (await event(client, t, unnamed["id"], "route"))["data"]["reason"]


async def test_the_person_complained_about_cannot_handle_it_seed_001_L1014(make_tenant, client):
    t, departments = await sector_tenant(make_tenant, client, "bank")
    tokens = {}
    for username, display in (("wangwu", "王五"), ("zhao", "赵主任")):
        created = await client.post(
            "/api/v1/users",
            json={
                "username": username,
                "password": PASSWORD,
                "roles": ["handler"],
                "display_name": display,
                "department_id": departments["outlet"],
            },
            headers=t.admin,
        )
        assert created.status_code == 201, created.text
        login = await client.post(
            "/api/v1/auth/login", json={"tenant": t.slug, "username": username, "password": PASSWORD}
        )
        tokens[username] = {"Authorization": f"Bearer {login.json()['token']}"}
    case = await new_case(client, t, body("bank"))  # respondent_staff 王五
    assert (await act(client, t, case["id"], "accept")).status_code == 200
    assert (await act(client, t, case["id"], "assign", lead_department_id=departments["outlet"])).status_code == 200
    vetoed = await act(client, t, case["id"], "start", headers=tokens["wangwu"])
    assert vetoed.status_code == 409, vetoed.text
    assert (vetoed.json()["vetoed_by"], vetoed.json()["missing"]) == ("bank", ["handler"])
    assert (await act(client, t, case["id"], "start", headers=tokens["zhao"])).status_code == 200


async def test_complex_complaints_get_five_working_days_general_ones_three_seed_001_L1016(make_tenant, client):
    t, _ = await sector_tenant(make_tenant, client, "bank")
    general = await new_case(client, t, body("bank"))
    complex_ = await new_case(client, t, body("bank", category="complex.product"))
    reply = {c["id"]: next(k for k in c["clocks"] if k["rule_key"] == "reply") for c in (general, complex_)}
    assert (reply[general["id"]]["amount"], reply[general["id"]]["unit"]) == (3, "working_days")
    assert reply[complex_["id"]]["amount"] == 5


async def test_media_involvement_raises_the_priority_seed_001_L1016(make_tenant, client):
    t, _ = await sector_tenant(make_tenant, client, "bank")
    case = await new_case(client, t, body("bank", extra={"media": True}))
    assert case["severity"] == "high"
    keys = {e["data"]["key"] for e in await events(client, t, case["id"]) if e["action"] == "escalated"}
    assert "media" in keys
