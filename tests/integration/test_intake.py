"""Intake: validation problems, idempotent retries, numbering, and that failures write nothing."""

from __future__ import annotations

import asyncio

import pytest
from harness import case_body


async def _count(client, t) -> int:
    page = (await client.get("/api/v1/cases?limit=200", headers=t.admin)).json()
    return len(page["items"])


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"channel": "pigeon"}, "channel"),
        ({"subject": ""}, "subject"),
        ({"subject": "   "}, "subject"),
        ({"complainant": None}, "complainant"),
        ({"complainant": {"name": "", "contact": "138"}}, "complainant.name"),
        ({"complainant": {"name": "李四"}}, "complainant.contact"),
        ({"complainant": {"name": "李四", "contact": "1", "age": 3}}, "complainant.age"),
        ({"group_size": 0}, "group_size"),
        ({"sector": "bank"}, "sector"),
        ({"received_at": "2030-01-01T00:00:00+08:00"}, "received_at"),
        ({"related_case_id": "00000000-0000-4000-8000-000000000000"}, "related_case_id"),
        ({"severity": "apocalyptic"}, "severity"),
    ],
)
async def test_bad_intake_names_the_field_and_writes_nothing(make_tenant, client, overrides, field):
    t = await make_tenant()
    response = await client.post("/api/v1/cases", json=case_body(**overrides), headers=t.admin)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["status"] == 422 and problem["title"] and problem["detail"]
    assert field in [e["field"] for e in problem["errors"]], problem
    assert await _count(client, t) == 0


async def test_every_problem_is_reported_at_once(make_tenant, client):
    t = await make_tenant()
    response = await client.post(
        "/api/v1/cases",
        json=case_body(subject=" ", description=" ", complainant=None, sector="nope"),
        headers=t.admin,
    )
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"subject", "description", "complainant", "sector"} <= fields


async def test_malformed_json_is_a_problem(make_tenant, client):
    t = await make_tenant()
    response = await client.post(
        "/api/v1/cases", content=b"{not json", headers={**t.admin, "Content-Type": "application/json"}
    )
    assert response.status_code in (400, 422)
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_anonymous_case_needs_no_complainant_and_keeps_only_a_contact(make_tenant, client):
    t = await make_tenant()
    created = await t.new_case(
        anonymous=True, complainant={"name": "不愿透露", "contact": "wx:abc", "id_number": "110101199001011234"}
    )
    assert created["complainant"] == {"name": "", "contact": "wx:abc", "id_number": "", "address": ""}
    bare = await t.new_case(anonymous=True, complainant=None)
    assert bare["complainant"] is None


async def test_idempotent_retry_returns_the_same_case_and_pin(make_tenant, client):
    t = await make_tenant()
    headers = {**t.admin, "Idempotency-Key": "intake-42"}
    first = await client.post("/api/v1/cases", json=case_body(), headers=headers)
    second = await client.post("/api/v1/cases", json=case_body(), headers=headers)
    assert first.status_code == second.status_code == 201
    assert second.headers["Idempotent-Replayed"] == "true"
    assert first.json()["id"] == second.json()["id"]
    assert first.json()["access_pin"] == second.json()["access_pin"]
    assert await _count(client, t) == 1
    # The replayed PIN really opens the case.
    lookup = await client.post(
        "/api/v1/public/lookup",
        json={"tracking_code": second.json()["tracking_code"], "pin": second.json()["access_pin"]},
    )
    assert lookup.status_code == 200


async def test_concurrent_retries_with_one_key_create_one_case(make_tenant, client):
    t = await make_tenant()
    headers = {**t.admin, "Idempotency-Key": "burst"}
    responses = await asyncio.gather(
        *[client.post("/api/v1/cases", json=case_body(), headers=headers) for _ in range(5)]
    )
    assert {r.status_code for r in responses} == {201}
    assert len({r.json()["id"] for r in responses}) == 1
    assert await _count(client, t) == 1


async def test_reused_key_with_another_body_is_a_conflict(make_tenant, client):
    t = await make_tenant()
    headers = {**t.admin, "Idempotency-Key": "k1"}
    assert (await client.post("/api/v1/cases", json=case_body(), headers=headers)).status_code == 201
    other = await client.post("/api/v1/cases", json=case_body(subject="别的事"), headers=headers)
    assert other.status_code == 409
    assert other.json()["field"] == "Idempotency-Key"
    assert await _count(client, t) == 1


async def test_idempotency_keys_are_per_tenant(make_tenant, client):
    a, b = await make_tenant(), await make_tenant()
    ra = await client.post("/api/v1/cases", json=case_body(), headers={**a.admin, "Idempotency-Key": "same"})
    rb = await client.post("/api/v1/cases", json=case_body(), headers={**b.admin, "Idempotency-Key": "same"})
    assert ra.json()["id"] != rb.json()["id"]


async def test_numbers_are_sequential_per_tenant_under_concurrency(make_tenant, client):
    t = await make_tenant()
    responses = await asyncio.gather(
        *[client.post("/api/v1/cases", json=case_body(), headers=t.admin) for _ in range(8)]
    )
    assert sorted(r.json()["number"] for r in responses) == list(range(1, 9))
    assert len({r.json()["tracking_code"] for r in responses}) == 8


async def test_first_responsible_is_the_registering_staff_member(make_tenant, client):
    t = await make_tenant()
    created = await t.new_case(headers=t.as_user("handler_a"))
    assert created["first_responsible_id"] == str(t.users["handler_a"])
    via_key = await t.new_case()
    assert via_key["first_responsible_id"] is None
