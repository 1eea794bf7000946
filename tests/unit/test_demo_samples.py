"""The demo's sample cases pass every installed sector's intake rules, and a sector without
curated samples (a third-party plugin) still gets valid ones."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core.plugin_api import AppliesTo, Category, IntakeDraft, IntakeField, Names, Sector
from core.plugin_io import ComplainantDraft, TenantContext
from core.plugins import get_sector, sector_keys, tenant_plugins
from tenants.demo import DEMO_CASES, demo_cases, intake_extra

NOW = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


@pytest.mark.parametrize("key", sector_keys())
def test_every_sample_case_passes_the_sectors_intake_rules(key):
    sector = get_sector(key)
    plugins = tenant_plugins(TenantContext(id=f"demo-{key}", slug="demo", name="Demo"), {key: {}}, ("demo", key))
    samples = demo_cases(sector)
    assert samples, key
    for i, sample in enumerate(samples):
        channel = sample.channel or sector.channels[0]
        draft = IntakeDraft(
            sector=key,
            category=sample.category,
            channel=channel,
            subject=sample.subject,
            description=sample.description,
            received_at=NOW,
            complainant=ComplainantDraft(name=f"示例投诉人{i + 1}", contact="13800000000", address="示范路1号"),
            extra=intake_extra(sector, sample, channel, NOW),
        )
        assert plugins.validate_intake(draft) == [], (key, sample.category)


def test_the_built_in_sectors_and_the_example_have_curated_samples_that_route():
    assert set(DEMO_CASES) >= {"gov_petition", "hospital", "property", "school", "bank"}


def test_a_sector_without_curated_samples_gets_its_required_fields_filled():
    """required and required_when fields get sample values; optional ones stay out."""
    sector = Sector(
        key="third_party",
        names=Names("第三方", "Third party"),
        categories=[
            Category(code="a", names=Names("甲", "A"), children=[Category(code="a.x", names=Names("甲一", "A1"))]),
            Category(code="b", names=Names("乙", "B")),
        ],
        intake_fields=[
            IntakeField(name="ref", names=Names("编号", "Reference"), required=True),
            IntakeField(
                name="when", names=Names("日期", "Date"), type="date", required_when=AppliesTo(categories=["a"])
            ),
            IntakeField(name="note", names=Names("备注", "Note")),
        ],
    )
    samples = demo_cases(sector)
    assert [s.category for s in samples] == ["a.x", "b"]
    assert intake_extra(sector, samples[0], "web", NOW) == {"ref": "示例", "when": "2025-12-01"}
    assert intake_extra(sector, samples[1], "web", NOW) == {"ref": "示例"}
