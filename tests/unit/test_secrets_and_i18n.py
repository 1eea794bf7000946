from __future__ import annotations

import re

import pytest

from core.i18n import negotiate_locale, status_label
from core.settings import Settings
from tenants.secrets import (
    new_api_key,
    new_tracking_code,
    normalise_tracking_code,
    seal_pin,
    split_api_key,
    unseal_pin,
)


def test_tracking_codes_are_readable_and_distinct():
    codes = {new_tracking_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}", c) for c in codes)


def test_tracking_code_normalisation():
    assert normalise_tracking_code(" ab1o 2c3d ") == "AB10-2C3D"
    assert normalise_tracking_code("abcd-efgh") == "ABCD-EFGH"


def test_api_key_round_trip():
    full, prefix, digest = new_api_key()
    assert split_api_key(full) == prefix and len(digest) == 64
    assert split_api_key("cdk_short_x") is None and split_api_key("eyJhbGciOi.x.y") is None


def test_sealed_pin_needs_both_secrets():
    sealed = seal_pin("12345678", secret_key="server", context="idem-1")
    assert "12345678" not in sealed
    assert unseal_pin(sealed, secret_key="server", context="idem-1") == "12345678"
    assert unseal_pin(sealed, secret_key="server", context="idem-2") != "12345678"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, "zh-CN"),
        ("en-US,en;q=0.9", "en"),
        ("zh-TW,en;q=0.5", "zh-CN"),
        ("fr, en;q=0.1", "en"),
        ("en;q=0.2, zh;q=0.8", "zh-CN"),
        ("de", "zh-CN"),
        ("en;q=0", "zh-CN"),
    ],
)
def test_locale_negotiation(header, expected):
    assert negotiate_locale(header) == expected


def test_status_labels_exist_in_both_languages():
    from core.cases import STATUSES

    for status in STATUSES:
        assert status_label(status, "zh-CN") != status_label(status, "en") != f"status.{status}"


def test_settings_table_documents_every_field():
    rows = Settings.describe()
    assert all(name.startswith("CASEDESK_") and doc for name, _, doc in rows)
    assert {"CASEDESK_DATABASE_URL", "CASEDESK_REDIS_URL", "CASEDESK_SECRET_KEY"} <= {r[0] for r in rows}
