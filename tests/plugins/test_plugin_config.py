"""Config validation: defaults ⊕ overrides, strict, with exact JSON-path fields for a 422."""

from __future__ import annotations

import pytest

from core.plugins import PluginConfigError, config_schema, validate_config


def errors_of(key: str, overrides: object) -> list[dict[str, str]]:
    with pytest.raises(PluginConfigError) as err:
        validate_config(key, overrides)  # type: ignore[arg-type]
    assert err.value.plugin == key
    return err.value.errors


def test_defaults_when_nothing_is_overridden():
    config = validate_config("property", None)
    assert config.deadlines.notify_minutes == 5 and config.deadlines.arrival_minutes == 15


def test_a_nested_override_keeps_its_siblings():
    """A tenant changes property notify_minutes 5 → 10 and keeps everything else."""
    config = validate_config("property", {"deadlines": {"notify_minutes": 10}})
    assert config.deadlines.notify_minutes == 10
    assert config.deadlines.arrival_minutes == 15
    assert config.routing.by_category["repair"].lead == "maintenance"


def test_a_negative_deadline_names_the_exact_field():
    assert errors_of("property", {"deadlines": {"arrival_minutes": -3}}) == [
        {"field": "$.deadlines.arrival_minutes", "message": "Expected `int` >= 1, got `-3`"}
    ]


def test_a_nullable_bound_names_the_field():
    errors = errors_of("hospital", {"deadlines": {"outpatient_reply_days": 0}})
    assert errors == [{"field": "$.deadlines.outpatient_reply_days", "message": "Expected `int` >= 1, got `0`"}]


def test_a_string_where_a_number_belongs_is_rejected_strictly():
    errors = errors_of("property", {"deadlines": {"notify_minutes": "5"}})
    assert errors == [{"field": "$.deadlines.notify_minutes", "message": "Expected `int`, got `str`"}]


def test_unknown_keys_are_errors_with_their_path():
    assert errors_of("property", {"deadlines": {"notfy_minutes": 3}})[0]["field"] == "$.deadlines.notfy_minutes"
    assert errors_of("property", {"colour": "red"})[0]["field"] == "$.colour"


def test_a_bad_entry_in_a_routing_table_is_named_by_its_key():
    errors = errors_of("hospital", {"routing": {"overrides": {"medical": {"lead": "x"}, "conduct": {"lead": 7}}}})
    assert errors == [{"field": "$.routing.overrides['conduct'].lead", "message": "Expected `str`, got `int`"}]


def test_an_unknown_key_inside_a_routing_row():
    errors = errors_of("gov_petition", {"routing": {"by_category": {"labour": {"leader": "hrss"}}}})
    assert errors[0]["field"] == "$.routing.by_category['labour'].leader"


def test_an_invalid_choice_is_named():
    errors = errors_of("hospital", {"routing": {"table": "Z"}})
    assert errors[0]["field"] == "$.routing.table"
    assert errors[0]["message"] == "Invalid enum value 'Z'; expected one of 'B', 'C6'"


def test_department_codes_in_a_config_are_found_with_their_paths():
    from core.plugin_departments import department_refs, missing_department_warnings

    config = validate_config("property", {"routing": {"large_repair_lead": "works"}})
    refs = department_refs(config)
    assert refs[:2] == [
        ("$.routing.by_category['repair'].lead", "maintenance"),
        ("$.routing.by_category['repair'].cooperating[0]", "cs_centre"),
    ]
    assert refs[-1] == ("$.routing.large_repair_lead", "works")
    have = {code for _, code in refs} - {"works"}
    assert [w["field"] for w in missing_department_warnings(config, have)] == ["$.routing.large_repair_lead"]
    assert department_refs(validate_config("bank", {})) == []


def test_cross_field_rules_are_reported():
    errors = errors_of("gov_petition", {"collective_threshold": 60})
    assert errors[0]["field"] == "$" and "large_scale_threshold" in errors[0]["message"]


def test_overrides_must_be_an_object():
    assert errors_of("school", ["not", "a", "dict"]) == [{"field": "$", "message": "Expected `object`"}]


def test_category_overrides_are_checked_against_the_sector_tree():
    errors = errors_of("school", {"categories": {"disable": ["teaching", "nope"]}})
    assert errors == [{"field": "$.categories.disable[1]", "message": "category `nope` does not exist"}]


def test_unknown_plugin_is_a_key_error():
    with pytest.raises(KeyError):
        validate_config("no-such-plugin", {})


def test_json_schema_of_a_config():
    schema = config_schema("gov_petition")
    props = schema["$defs"]["GovPetitionConfig"]["properties"]
    assert props["collective_threshold"]["minimum"] == 2
    assert schema["$defs"]["GovPetitionConfig"]["additionalProperties"] is False
