"""Schemathesis fuzzes every operation of ``/schema/openapi.json`` against the in-process app.

For each operation, Hypothesis draws a bounded, derandomized set of requests from the documented
schema in five flavours: valid ones (positive mode), invalid ones (negative mode), both again
aimed at real rows of a seeded tenant (so handlers run past their 404 into the business logic),
and valid ones with a NUL character added to every string they carry (PostgreSQL cannot store
one). Each request is sent with one credential — a tenant-admin API key, then a read-only auditor
key — and its answer must pass schemathesis' checks:

* ``not_a_server_error`` — never a 5xx;
* ``status_code_conformance`` / ``content_type_conformance`` / ``response_schema_conformance`` —
  the status, media type and body are the documented ones (a documented 201 is a 201 sent);
* ``negative_data_rejection`` — a request that violates the schema is refused with a 4xx;

and every 4xx must be ``application/problem+json`` whose ``status``, ``title`` and ``detail`` are
there (``status`` repeating the HTTP status).

The cases are drawn first and sent afterwards through the ``client`` fixture's transport, so the
app runs in the test's own event loop on both backends (schemathesis' ASGI transport would run it
in a portal thread, and a Postgres pool must not be shared between loops). There is no shrinking
then; a failure prints the request as ``curl`` instead.

Excluded: nothing. Log-in and the public look-up are rate-limited, but the test harness raises
both limits (``CASEDESK_LOGIN_RATE`` / ``CASEDESK_PUBLIC_LOOKUP_RATE``), so they are fuzzed
like the rest. The credential is fixed in every case (it is not what is being fuzzed: credentials
have their own tests in ``test_auth.py``), so negative mode never "breaks" it by dropping it.
"""

from __future__ import annotations

import contextlib
import time
from typing import Any

import hypothesis
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

EXAMPLES = 5  # per operation and flavour: about 5 x 5 x 55 requests per credential, < 30 s
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
# Path parameters that are not ids: one real value each, by operation path.
REAL_NAMES = {
    "/api/v1/tenant/plugins/{key}": {"key": "gov_petition"},
    "/api/v1/tenant/channels/{channel}": {"channel": "email"},
}


def _draw(strategy, count: int) -> list[Any]:
    """``count`` examples of ``strategy``, the same ones on every run (derandomized, no database)."""
    drawn: list[Any] = []

    @hypothesis.settings(
        max_examples=count,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def collect(case: Any) -> None:
        drawn.append(case)

    # E.g. no negative variant exists of an operation whose only parameter is fixed.
    with contextlib.suppress(hypothesis.errors.Unsatisfiable, hypothesis.errors.FailedHealthCheck):
        collect()
    return drawn


def _with_nul(value: Any) -> Any:
    if isinstance(value, str):
        middle = len(value) // 2
        return value[:middle] + "\x00" + value[middle:]
    if isinstance(value, dict):
        return {k: _with_nul(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_with_nul(v) for v in value]
    return value


def _nul_cases(cases: list[Any]) -> list[Any]:
    out = []
    for case in cases:
        body = getattr(case, "body", None)
        changed = False
        if isinstance(body, dict | list) and _with_nul(body) != body:
            case.body, changed = _with_nul(body), True
        if case.query and _with_nul(case.query) != case.query:
            case.query, changed = _with_nul(case.query), True
        if changed:
            out.append(case)
    return out


def _cases(schema, real_ids: dict[str, str], headers: dict[str, str]) -> list[Any]:
    cases: list[Any] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        names = [p.name for p in operation.path_parameters]
        fixed = {n: real_ids[n] for n in names if n in real_ids} | REAL_NAMES.get(operation.path, {})
        flavours: list[dict[str, Any]] = [{}]
        if names and set(fixed) == set(names):
            flavours.append({"path_parameters": fixed})
        for flavour in flavours:
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                cases += _draw(operation.as_strategy(mode, headers=headers, **flavour), EXAMPLES)
        positive = operation.as_strategy(GenerationMode.POSITIVE, headers=headers, **flavours[-1])
        cases += _nul_cases(_draw(positive, EXAMPLES))
    return cases


async def _seed(t, client) -> dict[str, str]:
    """Real ids of the tenant, by path parameter name."""
    case = await t.new_case()
    spare = await client.post("/api/v1/api-keys", json={"name": "spare", "role": "handler"}, headers=t.admin)
    assert spare.status_code == 201, spare.text
    ids = {
        "case_id": case["id"],
        "clock_id": case["clocks"][0]["id"],
        "department_id": str(t.departments["A"]),
        "user_id": str(t.users["handler_b"]),
        "key_id": spare.json()["id"],  # never the key the fuzzer itself uses
    }
    notices = await client.get("/api/v1/notices", headers=t.admin)
    if notices.status_code == 200 and notices.json().get("items"):
        ids["notice_id"] = notices.json()["items"][0]["id"]
    return ids


def _problem_failure(response) -> str | None:
    if not 400 <= response.status_code < 500:
        return None
    content_type = response.headers.get("content-type", "")
    if not content_type.startswith("application/problem+json"):
        return f"a {response.status_code} that is not problem+json but {content_type!r}"
    body = response.json()
    missing = [k for k in ("status", "title", "detail") if k not in body]
    if missing or body["status"] != response.status_code:
        return f"a problem without {missing} or with another status: {body}"
    return None


async def _fuzz(client, cases: list[Any]) -> list[str]:
    failures: list[str] = []
    for case in cases:
        kwargs = case.as_transport_kwargs(base_url=str(client.base_url))
        request = {k: kwargs[k] for k in ("method", "url", "headers", "params", "cookies") if kwargs.get(k)}
        if "json" in kwargs:
            request["json"] = kwargs["json"]
        elif kwargs.get("data") is not None:
            request["content"] = kwargs["data"]
        response = await client.request(**request)
        label = f"{case.operation.label} -> {response.status_code}"
        try:
            case.validate_response(response, checks=CHECKS)
        except FailureGroup as exc:
            failures.append(f"{label}: {exc}")
            continue
        problem = _problem_failure(response)
        if problem:
            failures.append(f"{label}: {problem}\n{case.as_curl_command()}")
    return failures


@pytest.mark.parametrize("credential", ["tenant_admin", "auditor"])
async def test_fuzz_every_operation(make_tenant, client, credential):
    started = time.monotonic()
    schema = schemathesis.openapi.from_dict((await client.get("/schema/openapi.json")).json())
    t = await make_tenant()
    real_ids = await _seed(t, client)
    headers = t.admin
    if credential == "auditor":
        key = await client.post(
            "/api/v1/api-keys",
            json={"name": "auditor", "role": "auditor", "scopes": ["cases:read", "admin:read"]},
            headers=t.admin,
        )
        assert key.status_code == 201, key.text
        headers = {"Authorization": f"Bearer {key.json()['api_key']}"}
    cases = _cases(schema, real_ids, headers)
    failures = await _fuzz(client, cases)
    assert not failures, f"{len(failures)} of {len(cases)} requests failed:\n\n" + "\n\n".join(failures[:15])
    assert time.monotonic() - started < 120, "the fuzz run is meant to stay short; lower EXAMPLES"
